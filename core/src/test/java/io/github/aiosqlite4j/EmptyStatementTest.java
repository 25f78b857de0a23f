package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Futures.failure;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL text with no statement in it (empty, whitespace, comments, semicolons) behaves as in
 * CPython's sqlite3: {@code execute} gives a cursor with no rows, rowcount -1 and no description,
 * {@code executemany} is refused; and the connection stays sound however often it is asked.
 */
final class EmptyStatementTest {
    private static final List<String> EMPTY = List.of("", "   \n\t", "-- a comment", "/* c */",
            "/**", ";", " ; ; ", "-- x\n;\n/* y */ ;");

    @TempDir
    Path dir;

    @Test
    void execute_givesAnEmptyCursor_everyTime_andTheConnectionStaysSound() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(dir.resolve("e.db")).get(30, SECONDS)) {
            db.execute("create table t (a)").join();
            AsyncCursor cursor = db.cursor().join();
            for (int round = 0; round < 3; round++) {
                for (String sql : EMPTY) {
                    AsyncCursor c = db.execute(sql).join();
                    assertThat(c.rowCount()).as("rowCount of %s", sql).isEqualTo(-1);
                    assertThat(c.description()).isEmpty();
                    assertThat(c.fetchAll().join()).isEmpty();
                    assertThat(db.executeFetchAll(sql).join()).isEmpty();
                    // a cursor with rows pending, then an empty statement: the rows are dropped
                    cursor.execute("select 1 union all select 2").join();
                    assertThat(cursor.execute(sql).join().fetchAll().join()).isEmpty();
                    assertThat(cursor.description()).isEmpty();
                    assertThat(db.run(s -> s.execute(sql)).join()).isEqualTo(-1);
                }
            }
            db.executeScript(String.join("\n", EMPTY)).join();
            assertThat(db.execute("insert into t values (1)").join().rowCount()).isEqualTo(1);
            db.commit().join();
            assertThat(db.executeFetchAll("select count(*) from t").join().get(0).getLong(0)).isEqualTo(1);
        }
    }

    @Test
    void anUnfinishedComment_isASyntaxError_asInSqlite() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(30, SECONDS)) {
            for (String sql : List.of("/*", " /*", ";/*", "/* x */ /*")) {
                assertThat(failure(db.execute(sql))).as(sql).isInstanceOf(SQLSyntaxErrorException.class);
            }
            assertThat(db.execute("select 1").join().fetchAll().join()).hasSize(1);
        }
    }

    @Test
    void executeMany_ofNoStatement_isRefused_asCPython() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(30, SECONDS)) {
            for (String sql : EMPTY) {
                Throwable e = failure(db.executeMany(sql, List.of(List.of(), List.of())));
                assertThat(e).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("no statement");
                assertThat(((SQLException) e).getSQLState()).isEqualTo("07001");
            }
            assertThat(db.executeFetchAll("select 1").join()).hasSize(1);
        }
    }

    @Test
    void pool_runsNoStatementAsNothing() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("pool.db")).build();
        try (SqlitePool pool = SqlitePool.open(config, PoolOptions.defaults()).get(30, SECONDS)) {
            for (int round = 0; round < 3; round++) {
                for (String sql : EMPTY) {
                    assertThat(pool.execute(sql).join()).as(sql).isEqualTo(-1);
                    assertThat(pool.executeFetchAll(sql).join()).isEmpty();
                }
            }
            assertThat(pool.execute("create table t (a)").join()).isEqualTo(-1);
            assertThat(pool.execute("insert into t values (1)").join()).isEqualTo(1);
        }
    }
}
