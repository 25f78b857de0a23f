package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Streams.collect;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * iterDump against lines produced by CPython's {@code sqlite3.Connection.iterdump()} (Python
 * 3.11.7) for the same SQL; none of these schemas has a foreign key violation, the one point where
 * 3.13 (which we follow) prints an extra first line.
 */
final class IterDumpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String SCHEMA = String.join("\n",
            "create table \"weird \"\"name\"\"\" (\"col \"\"a\"\"\" integer, b text, c real, d blob, e);",
            "insert into \"weird \"\"name\"\"\" values (1, 'it''s",
            "two lines', 1.5, x'00ff', null);",
            "insert into \"weird \"\"name\"\"\" values (-9223372036854775808, '', 1e300, x'', 9223372036854775807);",
            "create table seq (id integer primary key autoincrement, v text);",
            "insert into seq (v) values ('a'), ('b');",
            "create index idx_seq_v on seq(v);",
            "create view v_seq as select v from seq;",
            "create trigger trg after insert on seq begin update seq set v = upper(new.v) where id = new.id; end;");

    private static final List<String> PYTHON = List.of(
            "BEGIN TRANSACTION;",
            "CREATE TABLE seq (id integer primary key autoincrement, v text);",
            "INSERT INTO \"seq\" VALUES(1,'a');",
            "INSERT INTO \"seq\" VALUES(2,'b');",
            "CREATE TABLE \"weird \"\"name\"\"\" (\"col \"\"a\"\"\" integer, b text, c real, d blob, e);",
            "INSERT INTO \"weird \"\"name\"\"\" VALUES(1,'it''s\ntwo lines',1.5,X'00FF',NULL);",
            "INSERT INTO \"weird \"\"name\"\"\" VALUES(-9223372036854775808,'',1.0e+300,X'',9223372036854775807);",
            "CREATE INDEX idx_seq_v on seq(v);",
            "CREATE VIEW v_seq as select v from seq;",
            "CREATE TRIGGER trg after insert on seq begin update seq set v = upper(new.v) where id = new.id; end;",
            "DELETE FROM \"sqlite_sequence\";",
            "INSERT INTO \"sqlite_sequence\" VALUES('seq',2);",
            "COMMIT;");

    @Test
    void dump_matchesPythonLineForLine() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            db.executeScript(SCHEMA).join();
            assertThat(collect(db.iterDump(), Long.MAX_VALUE)).succeedsWithin(WAIT).isEqualTo(PYTHON);
            assertThat(collect(db.iterDump(), 1)).as("one line per request").succeedsWithin(WAIT)
                    .isEqualTo(PYTHON);
        }
    }

    @Test
    void dump_inSmallChunks_isTheSame() throws Exception {
        SqliteConfig small = SqliteConfig.builder(":memory:").iterChunkSize(1).build();
        try (AsyncConnection db = AioSqlite.connect(small).get(10, TimeUnit.SECONDS)) {
            db.executeScript(SCHEMA).join();
            assertThat(collect(db.iterDump(), 3)).succeedsWithin(WAIT).isEqualTo(PYTHON);
        }
    }

    @Test
    void dump_replaysIntoAnEqualDatabase() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS);
                AsyncConnection copy = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            db.executeScript(SCHEMA).join();
            List<String> lines = collect(db.iterDump(), 64).get(10, TimeUnit.SECONDS);
            copy.executeScript(String.join("\n", lines)).join();
            String q = "select * from \"weird \"\"name\"\"\" order by 1";
            assertThat(copy.executeFetchAll(q).join()).isEqualTo(db.executeFetchAll(q).join());
            assertThat(copy.executeFetchAll("select * from v_seq order by 1").join())
                    .isEqualTo(db.executeFetchAll("select * from v_seq order by 1").join());
            assertThat(collect(copy.iterDump(), 64)).succeedsWithin(WAIT).isEqualTo(lines);
        }
    }

    @Test
    void dump_virtualTable_usesWritableSchema() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            db.execute("create virtual table docs using fts5(body)").join();
            List<String> lines = collect(db.iterDump(), 64).get(10, TimeUnit.SECONDS);
            assertThat(lines.get(0)).isEqualTo("BEGIN TRANSACTION;");
            assertThat(lines.get(1)).isEqualTo("PRAGMA writable_schema=ON;");
            assertThat(lines.get(2)).isEqualTo("INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql)"
                    + "VALUES('table','docs','docs',0,'CREATE VIRTUAL TABLE docs using fts5(body)');");
            assertThat(lines.get(lines.size() - 2)).isEqualTo("PRAGMA writable_schema=OFF;");
            assertThat(lines.get(lines.size() - 1)).isEqualTo("COMMIT;");
        }
    }

    @Test
    void dump_foreignKeyViolation_disablesForeignKeysFirst_asPython313() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            db.executeScript("create table p (id integer primary key);"
                    + "create table c (pid integer references p(id));"
                    + "insert into c values (7);").join();
            List<String> lines = collect(db.iterDump(), 64).get(10, TimeUnit.SECONDS);
            assertThat(lines).startsWith("PRAGMA foreign_keys=OFF;", "BEGIN TRANSACTION;");
        }
    }

    @Test
    void dump_emptyDatabase() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            assertThat(collect(db.iterDump(), 64)).succeedsWithin(WAIT)
                    .isEqualTo(List.of("BEGIN TRANSACTION;", "COMMIT;"));
        }
    }

    /**
     * CPython 3.13's {@code test_dump_filter}, line for line: the pattern selects tables and views
     * by their own name.
     */
    @Test
    void dumpFilter_selectsObjectsByName_asPython313() throws Exception {
        List<String> tables = List.of(
                "CREATE TABLE \"some_table_2\" (\"id_1\" INTEGER);",
                "INSERT INTO \"some_table_2\" VALUES(3);",
                "INSERT INTO \"some_table_2\" VALUES(4);",
                "CREATE TABLE \"test_table_1\" (\"id_2\" INTEGER);",
                "INSERT INTO \"test_table_1\" VALUES(1);",
                "INSERT INTO \"test_table_1\" VALUES(2);");
        List<String> views = List.of(
                "CREATE VIEW \"view_1\" AS SELECT * FROM \"some_table_2\";",
                "CREATE VIEW \"view_2\" AS SELECT * FROM \"test_table_1\";");
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            for (String sql : tables) {
                db.execute(sql).join();
            }
            for (String sql : views) {
                db.execute(sql).join();
            }
            db.commit().join();
            assertThat(dump(db, "%_table_%")).isEqualTo(wrap(tables));
            assertThat(dump(db, "view_%")).isEqualTo(wrap(views));
            assertThat(dump(db, "%_1")).isEqualTo(wrap(List.of(tables.get(3), tables.get(4),
                    tables.get(5), views.get(0))));
            assertThat(dump(db, "some_%")).isEqualTo(wrap(tables.subList(0, 3)));
            assertThat(dump(db, "view_2")).isEqualTo(wrap(views.subList(1, 2)));
            List<String> all = new ArrayList<>(tables);
            all.addAll(views);
            assertThat(dump(db, "%")).isEqualTo(wrap(all));
            assertThat(dump(db, "nothing")).isEqualTo(wrap(List.of()));
            // Python's "if filter:": an empty pattern is no filter; so is null.
            assertThat(dump(db, "")).isEqualTo(wrap(all));
            assertThat(dump(db, null)).isEqualTo(wrap(all));
            // one line per request reads the same lines
            assertThat(collect(db.iterDump("%_1"), 1)).succeedsWithin(WAIT)
                    .isEqualTo(dump(db, "%_1"));
        }
    }

    private static List<String> dump(AsyncConnection db, String filter) throws Exception {
        return collect(db.iterDump(filter), Long.MAX_VALUE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static List<String> wrap(List<String> lines) {
        List<String> out = new ArrayList<>();
        out.add("BEGIN TRANSACTION;");
        out.addAll(lines);
        out.add("COMMIT;");
        return out;
    }
}
