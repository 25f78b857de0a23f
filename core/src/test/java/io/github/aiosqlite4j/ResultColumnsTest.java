package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached statement's result columns (names, declared types) follow the schema: the engine keeps
 * them per prepared statement and reads them again once SQLite re-prepared it, which a schema
 * change by another connection causes too.
 */
final class ResultColumnsTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    private static List<Column> describe(AsyncConnection db, String sql) throws Exception {
        AsyncCursor cursor = get(db.execute(sql));
        try {
            get(cursor.fetchAll());
            return cursor.description();
        } finally {
            get(cursor.closeAsync());
        }
    }

    @Test
    void cachedStatement_seesColumnsAnotherConnectionRenamedRetypedOrAdded() throws Exception {
        String file = dir.resolve("shape.db").toString();
        SqliteConfig config = SqliteConfig.builder(file).autocommit(Autocommit.ON).build();
        try (AsyncConnection db = get(AioSqlite.connect(config));
                AsyncConnection other = get(AioSqlite.connect(config))) {
            get(db.execute("create table t (a integer, b text)"));
            get(db.execute("insert into t values (1, 'x')"));
            String sql = "select * from t";
            for (int i = 0; i < 3; i++) { // cached after the first run
                assertThat(describe(db, sql)).containsExactly(
                        new Column("a", "INTEGER"), new Column("b", "TEXT"));
            }
            assertThat(get(db.executeFetchAll(sql)).get(0).columnNames()).containsExactly("a", "b");

            get(other.execute("alter table t rename column b to c"));
            assertThat(describe(db, sql)).containsExactly(
                    new Column("a", "INTEGER"), new Column("c", "TEXT"));
            assertThat(get(db.executeFetchAll(sql)).get(0).columnNames()).containsExactly("a", "c");

            // same names, other declared types: only the re-prepare tells
            get(other.executeScript("drop table t; create table t (a blob, c real);"
                    + " insert into t values (x'00', 2.5);"));
            assertThat(describe(db, sql)).containsExactly(
                    new Column("a", "BLOB"), new Column("c", "REAL"));

            get(other.execute("alter table t add column d varchar(10)"));
            assertThat(describe(db, sql)).containsExactly(new Column("a", "BLOB"),
                    new Column("c", "REAL"), new Column("d", "varchar(10)"));
            Row row = get(db.executeFetchAll(sql)).get(0);
            assertThat(row.columnNames()).containsExactly("a", "c", "d");
            assertThat(row.getDouble("c")).isEqualTo(2.5);
        }
    }

    @Test
    void twoOpenCursorsOnOneText_eachReadsItsOwnColumns() throws Exception {
        try (AsyncConnection db = get(AioSqlite.connect(":memory:"))) {
            get(db.executeScript("create table t (a integer, b text); insert into t values (1, 'x'), (2, 'y');"));
            String sql = "select a, b as bee from t order by a";
            AsyncCursor first = get(db.execute(sql));
            AsyncCursor second = get(db.execute(sql)); // the first still holds the cached statement
            assertThat(get(first.fetchOne()).orElseThrow().getString("bee")).isEqualTo("x");
            assertThat(get(second.fetchAll())).extracting(r -> r.getString("bee")).containsExactly("x", "y");
            assertThat(get(first.fetchOne()).orElseThrow().getString("bee")).isEqualTo("y");
            assertThat(first.description()).isEqualTo(second.description());
            get(first.closeAsync());
            get(second.closeAsync());
            for (int i = 0; i < 3; i++) {
                assertThat(describe(db, sql)).containsExactly(new Column("a", "INTEGER"), new Column("bee", "TEXT"));
            }
        }
    }
}
