package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@link SQLException} the library raises implements {@link SqliteError}, and each is built
 * in one place ({@code Errors}).
 */
final class EveryErrorIsASqliteErrorTest {
    @TempDir
    Path dir;

    private final Map<String, Throwable> failures = new LinkedHashMap<>();

    private void collect(String scenario, CompletableFuture<?> future) throws Exception {
        try {
            Object value = future.get(30, TimeUnit.SECONDS);
            throw new AssertionError(scenario + ": expected a failure, got " + value);
        } catch (ExecutionException e) {
            failures.put(scenario, e.getCause());
        }
    }

    @Test
    void aBroadSetOfFailures_areAllSqliteErrors_withAConsistentName() throws Exception {
        Path file = dir.resolve("all.db");
        SqliteConfig impatient = SqliteConfig.builder(file).busyTimeout(Duration.ZERO)
                .queueCapacity(1).build();
        try (AsyncConnection db = AioSqlite.connect(impatient).get(10, TimeUnit.SECONDS);
                AsyncConnection other = AioSqlite.connect(impatient).get(10, TimeUnit.SECONDS)) {
            db.execute("create table t (id integer primary key, v text not null unique, b blob)").join();
            db.execute("insert into t (v, b) values ('a', x'00')").join();
            db.commit().join();
            collect("unique", db.execute("insert into t (v) values ('a')"));
            collect("not null", db.execute("insert into t (v) values (null)"));
            collect("syntax", db.execute("selec 1"));
            collect("no such table", db.executeFetchAll("select * from nope"));
            collect("too few parameters", db.execute("select ?, ?", 1));
            collect("unbindable", db.execute("select ?", new Object()));
            collect("two statements", db.execute("select 1; select 2"));
            collect("script", db.executeScript("create table s (x); selec 2"));
            collect("executeMany", db.executeMany("insert into t (v) values (?)", List.of(List.of("b"),
                    List.of("b"))));
            db.rollback().join();
            collect("function", AioSqlite.connect(":memory:").thenCompose(c -> c.createFunction(
                    "f", 0, args -> {
                        throw new IllegalStateException("f");
                    }, false).thenCompose(v -> c.executeFetchAll("select f()"))
                    .whenComplete((v, e) -> c.closeAsync())));
            collect("blob of an integer", db.blobOpen("t", "id", 1, true)); // (a TEXT opens, as in Python)
            collect("blob of no row", db.blobOpen("t", "b", 99, true));
            collect("blob of an unknown schema", db.blobOpen("t", "b", 1, true, "nope"));
            collect("load extension disabled", db.loadExtension("nope"));
            collect("backup into a missing directory", db.backup(dir.resolve("no/such/dir.db"),
                    BackupOptions.defaults()));
            collect("busy", db.execute("begin immediate").thenCompose(c -> other.execute(
                    "insert into t (v) values ('x')")));
            db.rollback().join();
            collect("deadline", db.executeFetchAll("with recursive c(x) as (select 1 union all"
                    + " select x + 1 from c) select count(*) from c").orTimeout(50, TimeUnit.MILLISECONDS));
            db.setAuthorizer((action, a1, a2, schema, trigger) -> Authorizer.SQLITE_DENY).join();
            collect("not authorized", db.executeFetchAll("select 1"));
            db.setAuthorizer(null).join();
            AsyncCursor cursor = db.cursor().join();
            cursor.close();
            collect("closed cursor", cursor.fetchOne());
            collect("queue full", Futures.callOnAFullQueue(db));
        }
        collect("closed connection", AioSqlite.connect(":memory:").thenCompose(
                c -> c.closeAsync().thenCompose(v -> c.executeFetchAll("select 1"))));
        collect("cannot open", AioSqlite.connect(dir.resolve("no/such/dir.db")));
        Path text = Files.writeString(dir.resolve("text.db"), "not a database ".repeat(100));
        collect("not a database", AioSqlite.connect(text).thenCompose(
                c -> c.executeFetchAll("select * from sqlite_master")
                        .whenComplete((v, e) -> c.closeAsync())));

        Path poolFile = dir.resolve("pool.db");
        try (SqlitePool pool = SqlitePool.open(SqliteConfig.builder(poolFile).build(), PoolOptions
                .builder().readers(1).maxWaiters(1).acquireTimeout(Duration.ofMillis(100))
                .groupCommit(4).build()).get(30, TimeUnit.SECONDS)) {
            pool.transaction(s -> s.execute("create table t (v)")).join();
            collect("a body that ends the group", pool.write(s -> s.execute("rollback")));
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holding = PoolTest.hold(pool::read, entered, release);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            collect("no reader in time", pool.read(s -> s.query("select 1")));
            release.countDown();
            holding.get(10, TimeUnit.SECONDS);
            SqlitePool closed = pool;
            closed.closeAsync().get(30, TimeUnit.SECONDS);
            collect("closed pool", closed.read(s -> s.query("select 1")));
        }
        // A waiter that must not time out while the line is full: its own pool, a long timeout.
        try (SqlitePool pool = SqlitePool.open(SqliteConfig.builder(poolFile).build(), PoolOptions
                .builder().readers(1).maxWaiters(1).acquireTimeout(Duration.ofSeconds(30)).build())
                .get(30, TimeUnit.SECONDS)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holding = PoolTest.hold(pool::read, entered, release);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<?> waiting = pool.read(s -> s.query("select 1"));
            collect("too many waiters", pool.read(s -> s.query("select 1")));
            release.countDown();
            holding.get(10, TimeUnit.SECONDS);
            waiting.get(10, TimeUnit.SECONDS);
        }
        try (SqlitePool readOnly = SqlitePool.open(SqliteConfig.builder(poolFile).readOnly(true)
                .build(), PoolOptions.defaults()).get(30, TimeUnit.SECONDS)) {
            collect("read-only pool", readOnly.transaction(s -> s.execute("insert into t values (1)")));
        }

        assertThat(failures).hasSizeGreaterThanOrEqualTo(27);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Throwable> f : failures.entrySet()) {
            Throwable e = f.getValue();
            if (!(e instanceof SQLException)) {
                problems.add(f.getKey() + ": not an SQLException: " + e);
            } else if (!(e instanceof SqliteError)) {
                problems.add(f.getKey() + ": not a SqliteError: " + e);
            } else {
                SqliteError s = (SqliteError) e;
                if ((s.errorName() == null) != (s.resultCode() < 0)) {
                    problems.add(f.getKey() + ": name " + s.errorName() + " for code " + s.resultCode());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Outside Errors, main code builds no SQLException and no Errors category itself. */
    @Test
    void exceptionsAreBuiltOnlyByErrors() throws Exception {
        Pattern construction = Pattern.compile("new\\s+(SQL\\w*Exception|Errors\\.[A-Z]\\w*)\\s*\\(");
        Path main = Path.of("src", "main", "java");
        assertThat(main).isDirectory();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path source : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (source.getFileName().toString().equals("Errors.java")) {
                    continue;
                }
                Matcher m = construction.matcher(Files.readString(source));
                while (m.find()) {
                    found.add(source + ": " + m.group());
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
