package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each row of the error mapping table, and the connection stays usable after each. */
final class ErrorMappingTest {
    @TempDir
    Path dir;

    private static void assertUsable(AsyncConnection db) throws Exception {
        assertThat(db.executeFetchAll("select 41 + 1").get(10, TimeUnit.SECONDS).get(0).getLong(0))
                .isEqualTo(42L);
    }

    private AsyncConnection open() throws Exception {
        return AioSqlite.connect(dir.resolve("errors.db")).get(10, TimeUnit.SECONDS);
    }

    @Test
    void constraintViolation_isIntegrityConstraintViolation() throws Exception {
        try (AsyncConnection db = open()) {
            db.execute("create table t (id integer primary key, v text not null unique)").join();
            db.execute("insert into t (v) values ('a')").join();
            Throwable e = failure(db.execute("insert into t (v) values ('a')"));
            assertThat(e).isInstanceOf(SQLIntegrityConstraintViolationException.class)
                    .hasMessageContaining("UNIQUE constraint failed: t.v")
                    .hasMessageContaining("insert into t (v) values ('a')");
            SqliteError info = (SqliteError) e;
            assertThat(info.resultCode()).isEqualTo(19);
            assertThat(info.extendedResultCode()).isEqualTo(2067);
            assertThat(info.sql()).isEqualTo("insert into t (v) values ('a')");
            Throwable notNull = failure(db.execute("insert into t (v) values (null)"));
            assertThat(notNull).isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThat(((SqliteError) notNull).extendedResultCode()).isEqualTo(1299);
            assertUsable(db);
        }
    }

    @Test
    void busy_isTransient() throws Exception {
        Path file = dir.resolve("busy.db");
        SqliteConfig noWait = SqliteConfig.builder(file).busyTimeout(Duration.ZERO).build();
        try (AsyncConnection a = AioSqlite.connect(noWait).get(10, TimeUnit.SECONDS);
                AsyncConnection b = AioSqlite.connect(noWait).get(10, TimeUnit.SECONDS)) {
            a.execute("create table t (x)").join();
            a.execute("begin immediate").join();
            a.execute("insert into t values (1)").join();
            Throwable e = failure(b.execute("insert into t values (2)"));
            assertThat(e).isInstanceOf(SQLTransientException.class)
                    .hasMessageContaining("database is locked");
            assertThat(((SqliteError) e).resultCode()).isEqualTo(5);
            a.commit().join();
            assertThat(b.inTransaction()).as("the failed implicit transaction").isTrue();
            b.rollback().join();
            b.execute("insert into t values (3)").join();
            b.commit().join();
            assertThat(b.executeFetchAll("select x from t order by x").join())
                    .extracting(r -> r.getLong(0)).containsExactly(1L, 3L);
        }
    }

    @Test
    void readOnly_isNonTransient() throws Exception {
        Path file = dir.resolve("ro.db");
        try (AsyncConnection rw = AioSqlite.connect(file).get(10, TimeUnit.SECONDS)) {
            rw.execute("create table t (x)").join();
        }
        SqliteConfig ro = SqliteConfig.builder(file).readOnly(true).build();
        try (AsyncConnection db = AioSqlite.connect(ro).get(10, TimeUnit.SECONDS)) {
            Throwable e = failure(db.execute("insert into t values (1)"));
            assertThat(e).isInstanceOf(SQLNonTransientException.class)
                    .isNotInstanceOf(SQLNonTransientConnectionException.class)
                    .hasMessageContaining("readonly");
            assertThat(((SqliteError) e).resultCode()).isEqualTo(8);
            db.rollback().join();
            assertUsable(db);
        }
    }

    @Test
    void cannotOpen_isNonTransientConnection_withSqliteTextAndPath() throws Exception {
        String bad = dir.resolve("missing").resolve("dir").resolve("x.db").toString();
        Throwable e = failure(AioSqlite.connect(bad));
        assertThat(e).isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("unable to open database file")
                .hasMessageContaining(bad);
        assertThat(((SqliteError) e).resultCode()).isEqualTo(14);
    }

    @Test
    void notADatabase_isNonTransientConnection() throws Exception {
        Path file = dir.resolve("text.db");
        Files.writeString(file, "this is not a database, but it is long enough to have a header".repeat(20));
        try (AsyncConnection db = AioSqlite.connect(file).get(10, TimeUnit.SECONDS)) {
            Throwable e = failure(db.executeFetchAll("select * from sqlite_master"));
            assertThat(e).isInstanceOf(SQLNonTransientConnectionException.class)
                    .hasMessageContaining("not a database");
            assertThat(((SqliteError) e).resultCode()).isEqualTo(26);
        }
    }

    @Test
    void grammarErrors_areSyntaxErrors() throws Exception {
        try (AsyncConnection db = open()) {
            db.execute("create table t (x)").join();
            for (String sql : List.of("selec 1", "select * from nope", "select nope from t",
                    "select nope(1)", "create table t (y)", "insert into t (y) values (1)")) {
                Throwable e = failure(db.execute(sql));
                assertThat(e).as(sql).isInstanceOf(SQLSyntaxErrorException.class)
                        .hasMessageContaining(sql);
                assertThat(((SqliteError) e).sql()).isEqualTo(sql);
            }
            assertUsable(db);
        }
    }

    @Test
    void parameterMistakes_nameTheProblem() throws Exception {
        try (AsyncConnection db = open()) {
            Throwable tooFew = failure(db.execute("select ?, ?", 1));
            assertThat(tooFew).isInstanceOf(SQLException.class).hasMessageContaining(
                    "Incorrect number of bindings supplied. The current statement uses 2, and there are 1 supplied.");
            assertThat(((SQLException) tooFew).getSQLState()).isEqualTo("07001");
            Throwable tooMany = failure(db.execute("select ?", 1, 2));
            assertThat(tooMany).hasMessageContaining("uses 1, and there are 2 supplied");
            Throwable missing = failure(db.execute("select :a, :b", Map.of("a", 1)));
            assertThat(missing).hasMessageContaining(
                    "You did not supply a value for binding parameter :b.");
            Throwable unsupported = failure(db.execute("select ?", new Object()));
            assertThat(unsupported).isInstanceOf(SQLDataException.class)
                    .hasMessageContaining("parameter 1 has unsupported type java.lang.Object");
            Throwable two = failure(db.execute("select 1; select 2"));
            assertThat(two).hasMessageContaining("You can only execute one statement at a time");
            assertUsable(db);
        }
    }

    @Test
    void closedConnection_failsAtOnceWithNonTransientConnection() throws Exception {
        AsyncConnection db = open();
        db.closeAsync().get(10, TimeUnit.SECONDS);
        CompletableFuture<List<Row>> f = db.executeFetchAll("select 1");
        assertThat(f).isCompletedExceptionally();
        Throwable e = failure(f);
        assertThat(e).isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("is closed");
        assertThat(((SQLException) e).getSQLState()).isEqualTo("08003");
    }

    @Test
    void nullArguments_throwAtOnce() throws Exception {
        try (AsyncConnection db = open()) {
            assertThatThrownBy(() -> db.execute((String) null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("sql");
            assertThatThrownBy(() -> db.execute("select :a", (Map<String, ?>) null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("params");
            assertThatThrownBy(() -> db.executeMany("select 1", null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> db.createFunction("f", -2, args -> 1, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
            assertUsable(db);
        }
    }
}
