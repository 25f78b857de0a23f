package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLNonTransientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the README's SECURITY section promises, checked. */
final class SecurityTest {
    private static final long WAIT = 20;

    @TempDir
    Path dir;

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        return failure(f, "");
    }

    private static Throwable failure(CompletableFuture<?> f, String what) throws Exception {
        try {
            Object v = f.get(WAIT, TimeUnit.SECONDS);
            throw new AssertionError(what + ": expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static long count(AsyncConnection db, String table) throws Exception {
        return db.executeFetchAll("select count(*) from " + table).get(WAIT, TimeUnit.SECONDS).get(0).getLong(0);
    }

    @Test
    void parametersAreAlwaysBound_neverInterpolated() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            db.executeScript("create table users (name text); insert into users values ('alice'), ('bob');")
                    .get(WAIT, TimeUnit.SECONDS);
            String hostile = "x' or '1'='1'; drop table users; --";
            for (Object[] attempt : List.of(new Object[] {hostile}, new Object[] {"?"}, new Object[] {":name"})) {
                assertThat(db.executeFetchAll("select name from users where name = ?", attempt)
                        .get(WAIT, TimeUnit.SECONDS)).isEmpty();
            }
            assertThat(db.execute("select name from users where name = :name", Map.of("name", hostile))
                    .get(WAIT, TimeUnit.SECONDS).fetchAll().get(WAIT, TimeUnit.SECONDS)).isEmpty();
            db.execute("insert into users values (?)", hostile).get(WAIT, TimeUnit.SECONDS);
            List<Row> rows = db.executeFetchAll("select name from users order by rowid").get(WAIT, TimeUnit.SECONDS);
            assertThat(rows).extracting(r -> r.getString(0)).containsExactly("alice", "bob", hostile);
            // a placeholder inside a string literal or a comment is text, not a parameter
            assertThat(db.executeFetchAll("select '?', ? /* :x ? */", 7).get(WAIT, TimeUnit.SECONDS).get(0).values())
                    .containsExactly("?", 7L);
        }
    }

    @Test
    void extensionLoadingIsOffUnlessEnabled() throws Exception {
        Path notALibrary = Files.writeString(dir.resolve("evil.so"), "not a shared library");
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            assertThat(failure(db.executeFetchAll("select load_extension(?)", notALibrary.toString())))
                    .isInstanceOf(SQLNonTransientException.class).hasMessageContaining("not authorized");
            assertThat(failure(db.loadExtension(notALibrary.toString())))
                    .isInstanceOf(SQLNonTransientException.class);
            db.enableLoadExtension(true).get(WAIT, TimeUnit.SECONDS);
            // enabled: now SQLite really tries to load it (and fails: it is not a library)
            assertThat(failure(db.loadExtension(notALibrary.toString())).getMessage())
                    .doesNotContain("not authorized");
            db.enableLoadExtension(false).get(WAIT, TimeUnit.SECONDS);
            assertThat(failure(db.executeFetchAll("select load_extension(?)", notALibrary.toString())))
                    .hasMessageContaining("not authorized");
        }
    }

    @Test
    void readOnlyIsReallyReadOnly() throws Exception {
        Path file = dir.resolve("ro.db");
        try (AsyncConnection rw = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            rw.executeScript("create table t (x); insert into t values (1);").get(WAIT, TimeUnit.SECONDS);
        }
        byte[] before = Files.readAllBytes(file);
        try (AsyncConnection ro = AioSqlite.connect(SqliteConfig.builder(file).readOnly(true).build())
                .get(WAIT, TimeUnit.SECONDS)) {
            for (String sql : List.of("insert into t values (2)", "update t set x = 3", "delete from t",
                    "drop table t", "create table u (y)", "create index i on t (x)", "pragma user_version = 9",
                    "vacuum", "alter table t add column z", "analyze")) {
                Throwable e = failure(ro.execute(sql), sql);
                assertThat(e).as(sql).isInstanceOf(SQLNonTransientException.class);
                ro.rollback().get(WAIT, TimeUnit.SECONDS);
            }
            assertThat(failure(ro.transaction(s -> s.execute("insert into t values (4)"))))
                    .isInstanceOf(SQLNonTransientException.class);
            assertThat(failure(ro.withJdbc(c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    return s.executeUpdate("delete from t");
                }
            }))).isInstanceOf(java.sql.SQLException.class);
            assertThat(count(ro, "t")).isEqualTo(1L);
            // read-only protects the database, not the file system: VACUUM INTO still writes a
            // copy (as in C and Python); an authorizer can refuse it
            Path copy = dir.resolve("copy.db");
            ro.execute("vacuum into ?", copy.toString()).get(WAIT, TimeUnit.SECONDS);
            assertThat(copy).exists();
            // (SQLite asks for VACUUM INTO's output file as an ATTACH)
            ro.setAuthorizer((action, arg1, arg2, schema, trigger) -> action == Authorizer.SQLITE_ATTACH
                    ? Authorizer.SQLITE_DENY : Authorizer.SQLITE_OK).get(WAIT, TimeUnit.SECONDS);
            assertThat(failure(ro.execute("vacuum into ?", dir.resolve("copy2.db").toString())))
                    .isInstanceOf(SQLNonTransientException.class);
            assertThat(dir.resolve("copy2.db")).doesNotExist();
        }
        assertThat(Files.readAllBytes(file)).as("the file is byte for byte unchanged").isEqualTo(before);
    }

    @Test
    void theAuthorizer_seesEveryStatement_triggerBodiesIncluded() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            db.executeScript("create table t (x); insert into t values (1), (2);"
                    + "create table log (y);"
                    + "create trigger wipe after insert on log begin delete from t; end;")
                    .get(WAIT, TimeUnit.SECONDS);
            db.setAuthorizer((action, arg1, arg2, schema, trigger) ->
                    (action == Authorizer.SQLITE_DELETE || action == Authorizer.SQLITE_DROP_TABLE
                            || action == Authorizer.SQLITE_UPDATE)
                            && "t".equalsIgnoreCase(arg1) ? Authorizer.SQLITE_DENY : Authorizer.SQLITE_OK)
                    .get(WAIT, TimeUnit.SECONDS);
            // denied, however the statement is written
            for (String sql : List.of("delete from t", "DELETE FROM \"t\" WHERE x = 1", "/* c */ delete from t",
                    "-- c\n delete from main.t", "drop table t", "with c as (select 1) delete from t",
                    "with recursive c(n) as (select 1 union all select n + 1 from c where n < 3) update t set x = 0",
                    "with a as (select 1), b as materialized (select 2) delete from t where x in (select * from a)")) {
                assertThat(failure(db.execute(sql), sql)).as(sql).isInstanceOf(SQLNonTransientException.class);
            }
            assertThat(failure(db.executeScript("select 1; delete from t;"))).isInstanceOf(SQLNonTransientException.class);
            assertThat(failure(db.transaction(s -> s.execute("delete from t")))).isInstanceOf(SQLNonTransientException.class);
            db.rollback().get(WAIT, TimeUnit.SECONDS);
            assertThat(count(db, "t")).isEqualTo(2L);
            // SQLite's own authorizer also sees a trigger's body (the emulation it replaced did not)
            assertThat(failure(db.execute("insert into log values (1)"))).isInstanceOf(SQLNonTransientException.class);
            db.commit().get(WAIT, TimeUnit.SECONDS);
            assertThat(count(db, "t")).as("the trigger could not delete the rows the authorizer guards").isEqualTo(2L);
            db.setAuthorizer(null).get(WAIT, TimeUnit.SECONDS);
            db.execute("drop table t").get(WAIT, TimeUnit.SECONDS);
        }
    }
}
