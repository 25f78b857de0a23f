package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
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

    static CompletableFuture<List<String>> collect(Flow.Publisher<String> publisher, long batch) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        List<String> lines = new ArrayList<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription s;
            private long left;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                left = batch;
                s.request(batch);
            }

            @Override
            public void onNext(String item) {
                lines.add(item);
                if (--left == 0) {
                    left = batch;
                    s.request(batch);
                }
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                result.complete(lines);
            }
        });
        return result;
    }

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
}
