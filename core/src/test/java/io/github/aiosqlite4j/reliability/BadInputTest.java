package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.BackupOptions;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import io.github.aiosqlite4j.SqliteLimit;
import io.github.aiosqlite4j.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue of bad inputs. Each case names the exact exception category it must produce (the
 * nearest {@code java.sql}/{@code java.lang} class of the thrown exception must be exactly that
 * class, not a sub- or superclass), whether it is thrown at once or fails the future, and after
 * each case the connection (or, for cases that close it, a new one on the same file) must still
 * read, write and commit.
 */
final class BadInputTest {
    private static final long WAIT = 20;

    @TempDir
    Path dir;

    /** What one bad input does to a connection prepared with table {@code t(id, v unique)}. */
    @FunctionalInterface
    interface Action {
        Object run(AsyncConnection db, Path dir) throws Exception;
    }

    /** A follow-up check after the expected failure (for example, what a script left behind). */
    @FunctionalInterface
    interface Check {
        void run(AsyncConnection db) throws Exception;
    }

    record Case(String name, Class<? extends Throwable> expected, boolean atOnce, Action action,
            Check after) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void fails(String name, Class<? extends Throwable> expected, Action action) {
        CASES.add(new Case(name, expected, false, action, db -> { }));
    }

    private static void fails(String name, Class<? extends Throwable> expected, Action action, Check after) {
        CASES.add(new Case(name, expected, false, action, after));
    }

    private static void throwsAtOnce(String name, Class<? extends Throwable> expected, Action action) {
        CASES.add(new Case(name, expected, true, action, db -> { }));
    }

    private static List<Long> ids(AsyncConnection db, String table) throws Exception {
        List<Long> out = new ArrayList<>();
        for (Row r : db.executeFetchAll("select id from " + table + " order by id").get(WAIT, TimeUnit.SECONDS)) {
            out.add(r.getLong(0));
        }
        return out;
    }

    static {
        // --- grammar -----------------------------------------------------------------------
        fails("syntax error", SQLSyntaxErrorException.class, (db, d) -> db.execute("selec 1"));
        fails("unknown table", SQLSyntaxErrorException.class, (db, d) -> db.execute("select * from nope"));
        fails("unknown column", SQLSyntaxErrorException.class, (db, d) -> db.execute("select nope from t"));
        fails("unknown column in insert", SQLSyntaxErrorException.class,
                (db, d) -> db.execute("insert into t (nope) values (1)"));
        fails("unknown function", SQLSyntaxErrorException.class, (db, d) -> db.execute("select nope(1)"));
        fails("incomplete input", SQLSyntaxErrorException.class, (db, d) -> db.execute("select (1"));
        fails("unterminated string", SQLSyntaxErrorException.class, (db, d) -> db.execute("select 'abc"));
        fails("table already exists", SQLSyntaxErrorException.class, (db, d) -> db.execute("create table t (x)"));
        fails("release of an unknown savepoint", SQLSyntaxErrorException.class,
                (db, d) -> db.execute("release nope"));
        fails("parameter number ?40000 with one value", SQLException.class,
                (db, d) -> db.execute("select ?40000", 1));
        fails("executeFetchAll on a syntax error", SQLSyntaxErrorException.class,
                (db, d) -> db.executeFetchAll("select from where"));
        fails("executeInsert into an unknown table", SQLSyntaxErrorException.class,
                (db, d) -> db.executeInsert("insert into nope values (1)"));
        fails("executeMany with an unknown column", SQLSyntaxErrorException.class,
                (db, d) -> db.executeMany("insert into t (nope) values (?)", List.of(List.of(1))));
        fails("syntax error inside transaction()", SQLSyntaxErrorException.class,
                (db, d) -> db.transaction(s -> s.execute("insert into t (v) values ('tx')") + s.execute("selec 1")),
                db -> assertThat(db.executeFetchAll("select count(*) from t where v = 'tx'").join().get(0).getLong(0))
                        .as("the transaction was rolled back").isZero());

        // --- parameters --------------------------------------------------------------------
        fails("too few parameters", SQLException.class, (db, d) -> db.execute("select ?, ?", 1));
        fails("too many parameters", SQLException.class, (db, d) -> db.execute("select ?", 1, 2));
        fails("parameters to a statement without any", SQLException.class, (db, d) -> db.execute("select 1", 1));
        fails("named parameter missing from the map", SQLException.class,
                (db, d) -> db.execute("select :a, :b", Map.of("a", 1)));
        fails("named parameters given a map for '?' placeholders", SQLException.class,
                (db, d) -> db.execute("select ?", Map.of("a", 1)));
        fails("unsupported parameter type Object", SQLDataException.class,
                (db, d) -> db.execute("select ?", new Object()));
        fails("unsupported parameter type Thread", SQLDataException.class,
                (db, d) -> db.executeFetchAll("select ?", Thread.currentThread()));
        fails("unsupported parameter type in executeMany", SQLDataException.class,
                (db, d) -> db.executeMany("insert into t (v) values (?)", List.of(List.of("ok"), List.of(new Object()))));
        fails("unsupported named parameter type", SQLDataException.class,
                (db, d) -> db.execute("select :a", Map.of("a", new StringBuilder("x"))));
        fails("lone high surrogate in a text parameter", SQLDataException.class,
                (db, d) -> db.execute("insert into t (v) values (?)", "bad\uD800text"),
                db -> assertThat(ids(db, "t")).isEmpty());
        fails("lone low surrogate in a text parameter", SQLDataException.class,
                (db, d) -> db.executeFetchAll("select ?", "\uDC00"));
        fails("lone surrogate in SQL text", SQLDataException.class,
                (db, d) -> db.executeFetchAll("select 'a\uD800'"));
        fails("NUL character in SQL text", SQLDataException.class,
                (db, d) -> db.executeFetchAll("select 1\u0000; drop table t"),
                db -> assertThat(ids(db, "t")).isEmpty());
        fails("NUL character in SQL text hiding a second statement", SQLDataException.class,
                (db, d) -> db.execute("delete from t where id = 1\u0000 or 1 = 1"));
        fails("NUL character in a script", SQLDataException.class,
                (db, d) -> db.executeScript("insert into t (v) values ('x');\u0000drop table t;"),
                db -> assertThat(ids(db, "t")).as("nothing of the script ran").isEmpty());

        // --- sizes and limits -------------------------------------------------------------
        fails("blob parameter past SQLITE_LIMIT_LENGTH", SQLDataException.class,
                (db, d) -> db.setLimit(SqliteLimit.LENGTH, 1000)
                        .thenCompose(old -> db.execute("insert into t (v) values (?)", (Object) new byte[5000])),
                db -> assertThat(ids(db, "t")).isEmpty());
        fails("text parameter past SQLITE_LIMIT_LENGTH", SQLDataException.class,
                (db, d) -> db.setLimit(SqliteLimit.LENGTH, 1000)
                        .thenCompose(old -> db.executeFetchAll("select ?", "x".repeat(5000))));
        fails("zeroblob past SQLITE_LIMIT_LENGTH", SQLDataException.class,
                (db, d) -> db.setLimit(SqliteLimit.LENGTH, 1000)
                        .thenCompose(old -> db.executeFetchAll("select zeroblob(5000)")));
        fails("SQL text past SQLITE_LIMIT_SQL_LENGTH", SQLDataException.class,
                (db, d) -> db.setLimit(SqliteLimit.SQL_LENGTH, 100)
                        .thenCompose(old -> db.executeFetchAll("select 1 -- " + "x".repeat(200))));
        throwsAtOnce("negative fetchMany size", IllegalArgumentException.class,
                (db, d) -> db.execute("select 1").get(WAIT, TimeUnit.SECONDS).fetchMany(-1));
        throwsAtOnce("zero fetchMany size", IllegalArgumentException.class,
                (db, d) -> db.execute("select 1").get(WAIT, TimeUnit.SECONDS).fetchMany(0));
        throwsAtOnce("negative arraySize", IllegalArgumentException.class, (db, d) -> {
            db.cursor().get(WAIT, TimeUnit.SECONDS).setArraySize(-5);
            return null;
        });
        throwsAtOnce("zero iterChunkSize", IllegalArgumentException.class, (db, d) -> {
            db.cursor().get(WAIT, TimeUnit.SECONDS).setIterChunkSize(0);
            return null;
        });
        throwsAtOnce("negative limit", IllegalArgumentException.class,
                (db, d) -> db.setLimit(SqliteLimit.LENGTH, -1));
        throwsAtOnce("function arity 128", IllegalArgumentException.class,
                (db, d) -> db.createFunction("f", 128, args -> 1, false));
        throwsAtOnce("progress handler every 0 instructions", IllegalArgumentException.class,
                (db, d) -> db.setProgressHandler(() -> false, 0));
        throwsAtOnce("negative queue capacity", IllegalArgumentException.class,
                (db, d) -> SqliteConfig.builder(":memory:").queueCapacity(-1).build());
        throwsAtOnce("negative busy timeout", IllegalArgumentException.class,
                (db, d) -> SqliteConfig.builder(":memory:").busyTimeout(java.time.Duration.ofMillis(-1)).build());
        throwsAtOnce("negative blob seek", IllegalArgumentException.class, (db, d) -> {
            long id = db.executeInsert("insert into t (v, b) values ('blob', zeroblob(10))").get(WAIT, TimeUnit.SECONDS);
            db.blobOpen("t", "b", id, true).get(WAIT, TimeUnit.SECONDS).seek(-1);
            return null;
        });
        throwsAtOnce("blob seek past its end", IllegalArgumentException.class, (db, d) -> {
            long id = db.executeInsert("insert into t (v, b) values ('blob', zeroblob(10))").get(WAIT, TimeUnit.SECONDS);
            db.blobOpen("t", "b", id, true).get(WAIT, TimeUnit.SECONDS).seek(11);
            return null;
        });
        throwsAtOnce("blob write past its end", IllegalArgumentException.class, (db, d) -> {
            long id = db.executeInsert("insert into t (v, b) values ('blob', zeroblob(10))").get(WAIT, TimeUnit.SECONDS);
            return db.blobOpen("t", "b", id, false).get(WAIT, TimeUnit.SECONDS).write(new byte[11]);
        });

        // --- constraints and state ---------------------------------------------------------
        fails("unique constraint", SQLIntegrityConstraintViolationException.class,
                (db, d) -> db.execute("insert into t (v) values ('dup')")
                        .thenCompose(c -> db.execute("insert into t (v) values ('dup')")));
        fails("executeScript failing halfway", SQLSyntaxErrorException.class,
                (db, d) -> db.executeScript("insert into t (id, v) values (1, 'a');"
                        + "insert into t (id, v) values (2, 'b');"
                        + "insert into nope values (3);"
                        + "insert into t (id, v) values (4, 'd');"),
                db -> assertThat(ids(db, "t")).as("what ran stays, the rest did not run").containsExactly(1L, 2L));
        fails("executeScript with a constraint error halfway", SQLIntegrityConstraintViolationException.class,
                (db, d) -> db.executeScript("insert into t (id, v) values (1, 'a');"
                        + "insert into t (id, v) values (1, 'again');"
                        + "insert into t (id, v) values (3, 'c');"),
                db -> assertThat(ids(db, "t")).containsExactly(1L));
        fails("a UDF that throws", SQLException.class, (db, d) -> db.createFunction("boom", 0, args -> {
            throw new IllegalStateException("boom");
        }, false).thenCompose(v -> db.executeFetchAll("select boom()")));
        fails("a UDF that blocks on its own connection", SQLException.class,
                (db, d) -> db.createFunction("reenter", 0,
                        args -> db.executeFetchAll("select 1").join().get(0).getLong(0), false)
                        .thenCompose(v -> db.executeFetchAll("select reenter()")));
        fails("a row mapper that throws", IllegalStateException.class,
                (db, d) -> db.executeFetchAll("select 1", r -> {
                    throw new IllegalStateException("mapper");
                }));
        fails("transaction body that throws", IllegalStateException.class,
                (db, d) -> db.transaction(s -> {
                    s.execute("insert into t (v) values ('body')");
                    throw new IllegalStateException("body");
                }),
                db -> assertThat(ids(db, "t")).isEmpty());
        fails("load_extension while not enabled", SQLNonTransientException.class,
                (db, d) -> db.loadExtension(d.resolve("nope").toString()));
        fails("load_extension() SQL function while not enabled", SQLNonTransientException.class,
                (db, d) -> db.executeFetchAll("select load_extension('nope')"));
        fails("deserialize into the temp schema", SQLException.class,
                (db, d) -> db.deserialize("temp", new byte[0]));
        fails("deserialize of bytes that are not a database", SQLNonTransientConnectionException.class, (db, d) -> {
            // a garbage schema makes every later statement of its connection fail (SQLite reads
            // every attached schema), so this uses a connection of its own
            AsyncConnection mem = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS);
            return mem.deserialize("main", "not a database at all".repeat(40).getBytes())
                    .thenCompose(v -> mem.executeFetchAll("select * from sqlite_master"))
                    .whenComplete((r, e) -> mem.closeAsync());
        });
        fails("blobOpen on a missing row", SQLException.class, (db, d) -> db.blobOpen("t", "b", 12345, true));
        fails("blobOpen in an unknown schema", SQLSyntaxErrorException.class, (db, d) -> db.blobOpen("t", "b", 1, true, "nope"));

        // --- read-only ------------------------------------------------------------------------
        fails("insert on a read-only connection", SQLNonTransientException.class, (db, d) -> {
            AsyncConnection ro = readOnly(d);
            return ro.execute("insert into t (v) values ('ro')").whenComplete((c, e) -> ro.closeAsync());
        }, db -> assertThat(ids(db, "t")).isEmpty());
        fails("create table on a read-only connection", SQLNonTransientException.class, (db, d) -> {
            AsyncConnection ro = readOnly(d);
            return ro.executeScript("create table x (y)").whenComplete((c, e) -> ro.closeAsync());
        });
        fails("writable_schema trick on a read-only connection", SQLNonTransientException.class, (db, d) -> {
            AsyncConnection ro = readOnly(d);
            return ro.run(s -> {
                s.execute("pragma writable_schema = on");
                return s.execute("delete from sqlite_master");
            }).whenComplete((c, e) -> ro.closeAsync());
        }, db -> assertThat(db.executeFetchAll("select count(*) from sqlite_master").join().get(0).getLong(0))
                .isPositive());
        fails("pragma user_version on a read-only connection", SQLNonTransientException.class, (db, d) -> {
            AsyncConnection ro = readOnly(d);
            return ro.execute("pragma user_version = 7").whenComplete((c, e) -> ro.closeAsync());
        }, db -> assertThat(db.executeFetchAll("pragma user_version").join().get(0).getLong(0)).isZero());
        fails("write to a database attached by a read-only connection", SQLNonTransientException.class, (db, d) -> {
            AsyncConnection ro = readOnly(d);
            Path other = d.resolve("other.db");
            try (AsyncConnection rw = AioSqlite.connect(other).get(WAIT, TimeUnit.SECONDS)) {
                rw.execute("create table o (x)").get(WAIT, TimeUnit.SECONDS);
            }
            return ro.execute("attach ? as o", other.toString())
                    .thenCompose(c -> ro.execute("insert into o.o values (1)"))
                    .whenComplete((c, e) -> ro.closeAsync());
        });
        fails("write through a mode=ro URI", SQLNonTransientException.class, (db, d) -> {
            AsyncConnection ro = AioSqlite.connect("file:" + d.resolve("bad.db") + "?mode=ro")
                    .get(WAIT, TimeUnit.SECONDS);
            return ro.execute("delete from t").whenComplete((c, e) -> ro.closeAsync());
        });

        // --- opening -------------------------------------------------------------------------
        fails("a file that is not a database", SQLNonTransientConnectionException.class, (db, d) -> {
            Path f = d.resolve("text.db");
            Files.writeString(f, "definitely not SQLite ".repeat(100));
            return AioSqlite.connect(f).thenCompose(c -> c.executeFetchAll("select * from sqlite_master")
                    .whenComplete((r, e) -> c.closeAsync()));
        });
        fails("a directory as the path", SQLNonTransientConnectionException.class,
                (db, d) -> AioSqlite.connect(Files.createDirectories(d.resolve("adir")))
                        .thenCompose(c -> c.executeFetchAll("select * from sqlite_master")
                                .whenComplete((r, e) -> c.closeAsync())));
        fails("a path in a missing folder", SQLNonTransientConnectionException.class,
                (db, d) -> AioSqlite.connect(d.resolve("missing").resolve("x.db")));
        fails("a missing file opened read-only", SQLNonTransientConnectionException.class,
                (db, d) -> AioSqlite.connect(SqliteConfig.builder(d.resolve("absent.db")).readOnly(true).build()));

        // --- closed things -------------------------------------------------------------------
        fails("fetch on a closed cursor", SQLException.class, (db, d) -> {
            AsyncCursor c = db.execute("select 1").get(WAIT, TimeUnit.SECONDS);
            c.close();
            return c.fetchOne();
        });
        fails("execute on a closed cursor", SQLException.class, (db, d) -> {
            AsyncCursor c = db.cursor().get(WAIT, TimeUnit.SECONDS);
            c.closeAsync().get(WAIT, TimeUnit.SECONDS);
            return c.execute("select 1");
        });
        fails("execute on a closed connection", SQLNonTransientConnectionException.class, (db, d) -> {
            AsyncConnection other = AioSqlite.connect(d.resolve("bad.db")).get(WAIT, TimeUnit.SECONDS);
            other.close();
            return other.execute("select 1");
        });
        fails("commit on a closed connection", SQLNonTransientConnectionException.class, (db, d) -> {
            AsyncConnection other = AioSqlite.connect(d.resolve("bad.db")).get(WAIT, TimeUnit.SECONDS);
            other.close();
            return other.commit();
        });
        fails("a cursor fetched after its connection closed", SQLNonTransientConnectionException.class, (db, d) -> {
            AsyncConnection other = AioSqlite.connect(d.resolve("bad.db")).get(WAIT, TimeUnit.SECONDS);
            AsyncCursor c = other.execute("select 1 union all select 2").get(WAIT, TimeUnit.SECONDS);
            other.close();
            return c.fetchAll();
        });
        fails("rows() of a cursor whose connection closed", SQLNonTransientConnectionException.class, (db, d) -> {
            AsyncConnection other = AioSqlite.connect(d.resolve("bad.db")).get(WAIT, TimeUnit.SECONDS);
            AsyncCursor c = other.execute("select 1 union all select 2").get(WAIT, TimeUnit.SECONDS);
            other.close();
            return Streams.collect(c.rows());
        });
        fails("blob read after its connection closed", SQLNonTransientConnectionException.class, (db, d) -> {
            AsyncConnection other = AioSqlite.connect(d.resolve("bad.db")).get(WAIT, TimeUnit.SECONDS);
            long id = other.executeInsert("insert into t (v, b) values ('blob', zeroblob(10))").get(WAIT, TimeUnit.SECONDS);
            var blob = other.blobOpen("t", "b", id, true).get(WAIT, TimeUnit.SECONDS);
            other.close();
            return blob.read(5);
        });

        // --- nulls everywhere ----------------------------------------------------------------
        throwsAtOnce("connect(null String)", NullPointerException.class, (db, d) -> AioSqlite.connect((String) null));
        throwsAtOnce("connect(null Path)", NullPointerException.class, (db, d) -> AioSqlite.connect((Path) null));
        throwsAtOnce("connect(null config)", NullPointerException.class,
                (db, d) -> AioSqlite.connect((SqliteConfig) null));
        throwsAtOnce("execute(null)", NullPointerException.class, (db, d) -> db.execute((String) null));
        throwsAtOnce("execute(sql, null map)", NullPointerException.class,
                (db, d) -> db.execute("select :a", (Map<String, ?>) null));
        throwsAtOnce("executeMany(null, seq)", NullPointerException.class,
                (db, d) -> db.executeMany(null, List.of()));
        throwsAtOnce("executeMany(sql, null)", NullPointerException.class,
                (db, d) -> db.executeMany("select 1", null));
        throwsAtOnce("executeScript(null)", NullPointerException.class, (db, d) -> db.executeScript(null));
        throwsAtOnce("executeFetchAll(null)", NullPointerException.class, (db, d) -> db.executeFetchAll(null));
        throwsAtOnce("executeFetchAll(sql, null mapper)", NullPointerException.class,
                (db, d) -> db.executeFetchAll("select 1", (io.github.aiosqlite4j.RowMapper<Object>) null));
        throwsAtOnce("executeInsert(null)", NullPointerException.class, (db, d) -> db.executeInsert(null));
        throwsAtOnce("transaction(null)", NullPointerException.class, (db, d) -> db.transaction(null));
        throwsAtOnce("transaction(AUTOCOMMIT, body)", IllegalArgumentException.class,
                (db, d) -> db.transaction(IsolationLevel.AUTOCOMMIT, s -> 1));
        throwsAtOnce("run(null)", NullPointerException.class, (db, d) -> db.run(null));
        throwsAtOnce("withJdbc(null)", NullPointerException.class, (db, d) -> db.withJdbc(null));
        throwsAtOnce("setIsolationLevel(null)", NullPointerException.class, (db, d) -> db.setIsolationLevel(null));
        throwsAtOnce("createFunction(null name)", NullPointerException.class,
                (db, d) -> db.createFunction(null, 0, args -> 1, false));
        throwsAtOnce("createCollation(null name)", NullPointerException.class,
                (db, d) -> db.createCollation(null, String::compareTo));
        throwsAtOnce("getLimit(null)", NullPointerException.class, (db, d) -> db.getLimit(null));
        throwsAtOnce("serialize(null)", NullPointerException.class, (db, d) -> db.serialize(null));
        throwsAtOnce("deserialize(main, null)", NullPointerException.class, (db, d) -> db.deserialize("main", null));
        throwsAtOnce("blobOpen(null table)", NullPointerException.class, (db, d) -> db.blobOpen(null, "b", 1, true));
        throwsAtOnce("blobOpen(null schema)", NullPointerException.class, (db, d) -> db.blobOpen("t", "b", 1, true, null));
        throwsAtOnce("blobOpen schema with a NUL", IllegalArgumentException.class,
                (db, d) -> db.blobOpen("t", "b", 1, true, "main\0x"));
        throwsAtOnce("loadExtension(null)", NullPointerException.class, (db, d) -> db.loadExtension(null));
        throwsAtOnce("backup(null path)", NullPointerException.class,
                (db, d) -> db.backup((Path) null, BackupOptions.defaults()));
        throwsAtOnce("backup to itself", IllegalArgumentException.class,
                (db, d) -> db.backup(db, BackupOptions.defaults()));
        throwsAtOnce("cursor.execute(null)", NullPointerException.class,
                (db, d) -> db.cursor().get(WAIT, TimeUnit.SECONDS).execute((String) null));
        throwsAtOnce("cursor.forEach(null)", NullPointerException.class,
                (db, d) -> db.execute("select 1").get(WAIT, TimeUnit.SECONDS).forEach(null));
        throwsAtOnce("builder(null)", NullPointerException.class, (db, d) -> SqliteConfig.builder((String) null));
    }

    private static AsyncConnection readOnly(Path d) throws Exception {
        return AioSqlite.connect(SqliteConfig.builder(d.resolve("bad.db")).readOnly(true).build())
                .get(WAIT, TimeUnit.SECONDS);
    }

    /** The class the category is judged by: the nearest JDK class above the thrown one. */
    static Class<?> category(Throwable t) {
        Class<?> c = t.getClass();
        while (!c.getName().startsWith("java.")) {
            c = c.getSuperclass();
        }
        return c;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void theCatalogueHasAtLeastFortyCases() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(40);
        assertThat(CASES.stream().map(Case::name).distinct().count()).isEqualTo(CASES.size());
    }

    @TestFactory
    Stream<DynamicTest> eachBadInput_failsWithItsExactType_andTheConnectionStaysUsable() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> runCase(c)));
    }

    private void runCase(Case c) throws Exception {
        Path d = Files.createTempDirectory(dir, "case");
        Path file = d.resolve("bad.db");
        try (AsyncConnection db = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            db.executeScript("create table t (id integer primary key, v text unique, b blob)")
                    .get(WAIT, TimeUnit.SECONDS);
            Throwable thrown = null;
            Object result = null;
            try {
                result = c.action().run(db, d);
            } catch (Throwable t) {
                thrown = unwrap(t);
            }
            if (c.atOnce()) {
                assertThat(thrown).as("%s: thrown at once, before a future exists", c.name()).isNotNull();
            } else {
                assertThat(thrown).as("%s: no exception at once, a failed future", c.name()).isNull();
                assertThat(result).isInstanceOf(CompletableFuture.class);
                try {
                    Object value = ((CompletableFuture<?>) result).get(WAIT, TimeUnit.SECONDS);
                    throw new AssertionError(c.name() + ": expected " + c.expected().getName()
                            + ", the future completed with " + value);
                } catch (ExecutionException e) {
                    thrown = unwrap(e);
                }
            }
            assertThat(category(thrown)).as("%s: category of %s", c.name(), thrown).isEqualTo(c.expected());
            assertThat(thrown.getMessage()).as(c.name()).isNotBlank();
            if (thrown instanceof SQLException && !(thrown instanceof SqliteError)) {
                throw new AssertionError(c.name() + ": an SQLException that is not a SqliteError", thrown);
            }
            db.rollback().get(WAIT, TimeUnit.SECONDS);
            c.after().run(db);
            assertUsable(db);
        }
        try (AsyncConnection again = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            assertUsable(again);
            assertThat(again.executeFetchAll("pragma integrity_check").get(WAIT, TimeUnit.SECONDS).get(0).getString(0))
                    .isEqualTo("ok");
        }
    }

    /** Reads, writes, commits and reads back on the same connection. */
    static void assertUsable(AsyncConnection db) throws Exception {
        assertThat(db.executeFetchAll("select ? + 1", 41).get(WAIT, TimeUnit.SECONDS).get(0).getLong(0))
                .isEqualTo(42L);
        String marker = "usable-" + System.nanoTime();
        db.execute("insert into t (v) values (?)", marker).get(WAIT, TimeUnit.SECONDS);
        db.commit().get(WAIT, TimeUnit.SECONDS);
        assertThat(db.executeFetchAll("select count(*) from t where v = ?", marker).get(WAIT, TimeUnit.SECONDS)
                .get(0).getLong(0)).isEqualTo(1L);
        db.execute("delete from t where v = ?", marker).get(WAIT, TimeUnit.SECONDS);
        db.commit().get(WAIT, TimeUnit.SECONDS);
        assertThat(db.inTransaction()).isFalse();
    }

    @Test
    void nulCharacterInTextParameter_isStoredAndReadBackWhole() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            String text = "a\u0000b\u0000";
            db.execute("create table x (v text)").get(WAIT, TimeUnit.SECONDS);
            db.execute("insert into x values (?)", text).get(WAIT, TimeUnit.SECONDS);
            List<Row> rows = db.executeFetchAll("select v, length(v), length(cast(v as blob)) from x")
                    .get(WAIT, TimeUnit.SECONDS);
            assertThat(rows.get(0).getString(0)).isEqualTo(text);
            assertThat(rows.get(0).getLong(2)).isEqualTo(4L);
            String supplementary = "\uD83D\uDE00 ok"; // a valid surrogate pair round-trips
            assertThat(db.executeFetchAll("select ?", supplementary).get(WAIT, TimeUnit.SECONDS).get(0).getString(0))
                    .isEqualTo(supplementary);
        }
    }

    @Test
    void nullParameterValues_bindSqlNull_andANullArrayMeansNoParameters() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            List<Row> rows = db.executeFetchAll("select ? is null, ?2 is null", new Object[] {null, null}).get(WAIT, TimeUnit.SECONDS);
            assertThat(rows.get(0).values()).containsExactly(1L, 1L);
            assertThat(db.executeFetchAll("select 5", (Object[]) null).get(WAIT, TimeUnit.SECONDS).get(0).getLong(0))
                    .isEqualTo(5L);
            Map<String, Object> named = new java.util.HashMap<>();
            named.put("a", null);
            assertThat(db.execute("select :a is null", named).get(WAIT, TimeUnit.SECONDS).fetchOne()
                    .get(WAIT, TimeUnit.SECONDS).orElseThrow().getLong(0)).isEqualTo(1L);
            assertThat(Arrays.asList(1, null)).hasSize(2);
        }
    }
}
