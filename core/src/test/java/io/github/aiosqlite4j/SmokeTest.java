package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 30 smoke tests of Python's aiosqlite 0.22.1 ({@code aiosqlite/tests/smoke.py}), one method
 * each, named exactly as in Python. Python-only cases are mapped to their Java meaning (see
 * AIOSQLITE.md section 4).
 */
final class SmokeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long WAIT_MS = WAIT.toMillis();
    private static final String BAD_PATH = "/something/that/shouldnt/exist.db";

    @TempDir
    Path tempDir;

    /** The database file, as Python's {@code setUp}: {@code Path(td).resolve() / "test.db"}. */
    private Path db;

    @BeforeEach
    void setUp() throws Exception {
        db = tempDir.toRealPath().resolve("test.db");
    }

    // -----------------------------------------------------------------------------------------
    // Helpers

    /** Waits (bounded) for a future that must succeed, and returns its value. */
    private static <T> T result(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** Waits (bounded) for a future that must fail, and returns the cause of its failure. */
    private static Throwable failureOf(CompletableFuture<?> future)
            throws InterruptedException, TimeoutException {
        try {
            Object value = future.get(WAIT_MS, TimeUnit.MILLISECONDS);
            return fail("expected the future to fail, but it completed with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static AsyncConnection connect(Path file) throws Exception {
        return result(AioSqlite.connect(file));
    }

    private static AsyncConnection connect(String location) throws Exception {
        return result(AioSqlite.connect(location));
    }

    private static List<List<Object>> values(List<Row> rows) {
        return rows.stream().map(Row::values).collect(Collectors.toList());
    }

    private static List<List<Object>> fetchAllValues(AsyncConnection conn, String sql) throws Exception {
        try (AsyncCursor cursor = result(conn.execute(sql))) {
            return values(result(cursor.fetchAll()));
        }
    }
    /** Live worker threads made by the default thread factory. */
    private static Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("aiosqlite4j-")
                        && !t.getName().equals("aiosqlite4j-cleaner")
                        && !t.getName().equals("aiosqlite4j-shutdown"))
                .collect(Collectors.toSet());
    }

    /** Waits, up to a deadline, for every worker thread not in {@code before} to end. */
    private static Set<Thread> workersStillAliveSince(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<Thread> extra = new HashSet<>(workerThreads());
        extra.removeAll(before);
        for (Thread t : extra) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                t.join(left);
            }
        }
        Set<Thread> alive = new HashSet<>(workerThreads());
        alive.removeAll(before);
        return alive;
    }

    /** A thread factory that remembers the thread it made (daemon, like the default). */
    private static ThreadFactory capturing(AtomicReference<Thread> holder, String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            holder.set(t);
            return t;
        };
    }

    private static void createFooWithTwoRows(AsyncConnection conn) throws Exception {
        result(conn.execute("create table foo (i integer, k charvar(250))").thenCompose(AsyncCursor::closeAsync));
        result(conn.executeMany("insert into foo values (?, ?)", List.of(List.of(1, "hello"), List.of(2, "world")))
                .thenCompose(AsyncCursor::closeAsync));
        result(conn.commit());
    }

    // -----------------------------------------------------------------------------------------
    // The 30 smoke tests

    @Test
    void test_connection_await() throws Exception {
        AsyncConnection conn = result(AioSqlite.connect(db));
        try {
            assertThat(conn).isInstanceOf(AsyncConnection.class);
            assertThat(conn.isClosed()).isFalse();
            try (AsyncCursor cursor = result(conn.execute("select 1, 2"))) {
                assertThat(values(result(cursor.fetchAll()))).isEqualTo(List.of(List.of(1L, 2L)));
            }
        } finally {
            result(conn.closeAsync());
        }
        assertThat(conn.isClosed()).isTrue();
    }

    @Test
    void test_connection_context() throws Exception {
        AsyncConnection outer;
        try (AsyncConnection conn = connect(db)) {
            outer = conn;
            assertThat(conn.isClosed()).isFalse();
            try (AsyncCursor cursor = result(conn.execute("select 1, 2"))) {
                assertThat(values(result(cursor.fetchAll()))).isEqualTo(List.of(List.of(1L, 2L)));
            }
        }
        assertThat(outer.isClosed()).isTrue();
    }

    @Test
    void test_connection_locations() throws Exception {
        List<List<Object>> expected;
        try (AsyncConnection conn = connect(db)) {
            result(conn.execute("create table foo (i integer, k integer)").thenCompose(AsyncCursor::closeAsync));
            result(conn.execute("insert into foo (i, k) values (1, 5)").thenCompose(AsyncCursor::closeAsync));
            result(conn.commit());
            expected = fetchAllValues(conn, "select * from foo");
        }
        assertThat(expected).isEqualTo(List.of(List.of(1L, 5L)));

        List<CompletableFuture<AsyncConnection>> locations = List.of(
                AioSqlite.connect(db.toString()),
                AioSqlite.connect(db),
                AioSqlite.connect("file:" + db),
                AioSqlite.connect(SqliteConfig.builder(db).build()));
        for (CompletableFuture<AsyncConnection> location : locations) {
            try (AsyncConnection conn = result(location)) {
                assertThat(fetchAllValues(conn, "select * from foo"))
                        .as("rows read through %s", conn.config().database())
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void test_multiple_connections() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            result(conn.execute("create table multiple_connections (i integer primary key asc, k integer)")
                    .thenCompose(AsyncCursor::closeAsync));
        }

        List<CompletableFuture<AsyncConnection>> connections = new ArrayList<>();
        List<CompletableFuture<Void>> work = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                int k = i;
                CompletableFuture<AsyncConnection> opened = AioSqlite.connect(db);
                connections.add(opened);
                work.add(opened.thenCompose(c -> c.execute("insert into multiple_connections (k) values (?)", k)
                        .thenCompose(AsyncCursor::closeAsync)
                        .thenCompose(v -> c.commit())));
            }
            result(CompletableFuture.allOf(work.toArray(new CompletableFuture<?>[0])));
        } finally {
            for (CompletableFuture<AsyncConnection> opened : connections) {
                result(opened.thenCompose(AsyncConnection::closeAsync));
            }
        }

        try (AsyncConnection conn = connect(db)) {
            List<Row> rows = result(conn.executeFetchAll("select * from multiple_connections"));
            assertThat(rows).hasSize(10);
            assertThat(rows).extracting(r -> r.getLong("k"))
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void test_multiple_queries() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            result(conn.execute("create table multiple_queries (i integer primary key asc, k integer)")
                    .thenCompose(AsyncCursor::closeAsync));

            List<CompletableFuture<AsyncCursor>> inserts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                inserts.add(conn.execute("insert into multiple_queries (k) values (?)", i));
            }
            result(CompletableFuture.allOf(inserts.toArray(new CompletableFuture<?>[0])));
            for (CompletableFuture<AsyncCursor> insert : inserts) {
                result(insert.thenCompose(AsyncCursor::closeAsync));
            }
            result(conn.commit());
        }

        try (AsyncConnection conn = connect(db)) {
            List<Row> rows = result(conn.executeFetchAll("select * from multiple_queries"));
            assertThat(rows).hasSize(10);
            assertThat(rows).extracting(r -> r.getLong("k"))
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void test_iterable_cursor() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            try (AsyncCursor cursor = result(conn.cursor())) {
                result(cursor.execute("create table iterable_cursor (i integer primary key asc, k integer)"));
                List<List<Integer>> params = new ArrayList<>();
                for (int i = 1; i <= 10; i++) {
                    params.add(List.of(i));
                }
                result(cursor.executeMany("insert into iterable_cursor (k) values (?)", params));
                result(conn.commit());
            }

            try (AsyncCursor cursor = result(conn.execute("select * from iterable_cursor"))) {
                List<Row> rows = new CopyOnWriteArrayList<>();
                long count = result(cursor.forEach(rows::add));
                assertThat(count).isEqualTo(10);
                assertThat(rows).hasSize(10);
                assertThat(rows).extracting(r -> r.getLong("k"))
                        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            }
        }
    }

    @Test
    void test_multi_loop_usage() throws Exception {
        try (AsyncConnection conn = connect(":memory:")) {
            result(conn.execute("create table foo (id int, name varchar)").thenCompose(AsyncCursor::closeAsync));
            result(conn.execute("insert into foo values (?, ?), (?, ?)", 1, "Sally", 2, "Janet")
                    .thenCompose(AsyncCursor::closeAsync));
            result(conn.commit());

            List<CompletableFuture<Integer>> perThread = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                CompletableFuture<Integer> rowCount = new CompletableFuture<>();
                perThread.add(rowCount);
                Thread t = new Thread(() -> {
                    try (AsyncCursor cursor = result(conn.execute("select * from foo"))) {
                        rowCount.complete(result(cursor.fetchAll()).size());
                    } catch (Throwable e) {
                        rowCount.completeExceptionally(e);
                    }
                }, "smoke-multi-loop-" + i);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            for (CompletableFuture<Integer> rowCount : perThread) {
                assertThat(result(rowCount)).isEqualTo(2);
            }
            for (Thread t : threads) {
                t.join(WAIT_MS);
                assertThat(t.isAlive()).as("thread %s finished", t.getName()).isFalse();
            }
        }
    }

    @Test
    void test_context_cursor() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            try (AsyncCursor cursor = result(conn.cursor())) {
                result(cursor.execute("create table context_cursor (i integer primary key asc, k integer)"));
                List<List<Integer>> params = new ArrayList<>();
                for (int i = 1; i <= 10; i++) {
                    params.add(List.of(i));
                }
                result(cursor.executeMany("insert into context_cursor (k) values (?)", params));
                result(conn.commit());
            }

            try (AsyncCursor cursor = result(conn.execute("select * from context_cursor"))) {
                List<Row> rows = result(Streams.collect(cursor.rows(), Long.MAX_VALUE));
                assertThat(rows).hasSize(10);
                assertThat(rows).extracting(r -> r.getLong("k"))
                        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            }
        }
    }

    @Test
    void test_cursor_return_self() throws Exception {
        try (AsyncConnection conn = connect(db);
                AsyncCursor cursor = result(conn.cursor())) {
            AsyncCursor returned = result(cursor.execute(
                    "create table test_cursor_return_self (i integer, k integer)"));
            assertThat(returned).isSameAs(cursor);

            returned = result(cursor.executeMany("insert into test_cursor_return_self values (?, ?)",
                    List.of(List.of(1, 1), List.of(2, 2), List.of(3, 3))));
            assertThat(returned).isSameAs(cursor);

            returned = result(cursor.executeScript("insert into test_cursor_return_self values (3, 4);"
                    + " insert into test_cursor_return_self values (4, 5);"));
            assertThat(returned).isSameAs(cursor);

            assertThat(cursor.connection()).isSameAs(conn);
            assertThat(fetchAllValues(conn, "select count(*) from test_cursor_return_self"))
                    .isEqualTo(List.of(List.of(5L)));
        }
    }

    @Test
    void test_connection_properties() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            assertThat(result(conn.totalChanges())).isZero();

            try (AsyncCursor cursor = result(conn.cursor())) {
                assertThat(conn.inTransaction()).isFalse();
                result(cursor.execute(
                        "create table test_properties (i integer primary key asc, k integer, d text)"));
                result(cursor.execute("insert into test_properties (k, d) values (1, 'hi')"));
                assertThat(conn.inTransaction()).isTrue();
                result(conn.commit());
                assertThat(conn.inTransaction()).isFalse();
            }

            assertThat(result(conn.totalChanges())).isEqualTo(1L);

            try (AsyncCursor cursor = result(conn.execute("select * from test_properties"))) {
                Optional<Row> fetched = result(cursor.fetchOne());
                assertThat(fetched).isPresent();
                Row row = fetched.orElseThrow();
                assertThat(row.size()).isEqualTo(3);
                assertThat(row.values()).containsExactly(1L, 1L, "hi");
                assertThat(row.get(0)).isEqualTo(1L);
                assertThat(row.get(1)).isEqualTo(1L);
                assertThat(row.get(2)).isEqualTo("hi");
                assertThat(row.get("k")).isEqualTo(1L);
                assertThat(row.get("K")).isEqualTo(1L);
                assertThat(row.get("D")).isEqualTo("hi");
                assertThat(row.getString("d")).isEqualTo("hi");
                assertThat(row.columnNames()).containsExactly("i", "k", "d");
                assertThatThrownBy(() -> row.get("nope")).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void test_fetch_all() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            result(conn.execute("create table test_fetch_all (i integer primary key asc, k integer)")
                    .thenCompose(AsyncCursor::closeAsync));
            result(conn.execute("insert into test_fetch_all (k) values (10), (24), (16), (32)")
                    .thenCompose(AsyncCursor::closeAsync));
            result(conn.commit());
        }

        try (AsyncConnection conn = connect(db);
                AsyncCursor cursor = result(conn.execute("select k from test_fetch_all where k < 30"))) {
            assertThat(values(result(cursor.fetchAll())))
                    .isEqualTo(List.of(List.of(10L), List.of(24L), List.of(16L)));
        }
    }

    @Test
    void test_enable_load_extension() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            // Forbidden by default.
            assertThat(failureOf(conn.loadExtension("test")))
                    .isInstanceOf(SQLNonTransientException.class)
                    .isInstanceOf(SqliteError.class);

            result(conn.enableLoadExtension(true));
            Throwable error = failureOf(conn.loadExtension("test"));
            assertThat(error).isInstanceOf(SQLException.class).isInstanceOf(SqliteError.class);
            assertThat(error.getMessage()).doesNotContainIgnoringCase("not authorized");

            // The connection is still usable.
            assertThat(fetchAllValues(conn, "select 1")).isEqualTo(List.of(List.of(1L)));
        }
    }

    @Test
    void test_set_progress_handler() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            result(conn.setProgressHandler(() -> true, 1));
            Throwable error = failureOf(conn.execute(
                    "create table test_set_progress_handler (i integer primary key asc, k integer)"));
            assertThat(error).isInstanceOf(SQLException.class).isInstanceOf(SqliteError.class);
            assertThat(((SqliteError) error).resultCode()).isEqualTo(9); // SQLITE_INTERRUPT
        }
    }

    @Test
    void test_create_function() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            result(conn.createFunction("no_arg", 0, args -> "no arg", false));
            result(conn.createFunction("one_arg", 1, args -> (Long) args[0] * 2, false));

            try (AsyncCursor res = result(conn.execute("SELECT no_arg()"))) {
                Row row = result(res.fetchOne()).orElseThrow();
                assertThat(row.get(0)).isEqualTo("no arg");
            }
            try (AsyncCursor res = result(conn.execute("SELECT one_arg(10)"))) {
                Row row = result(res.fetchOne()).orElseThrow();
                assertThat(row.get(0)).isEqualTo(20L);
            }
        }
    }

    @Test
    void test_create_function_deterministic() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            result(conn.createFunction("one_arg", 1, args -> (Long) args[0] * 2, true));
            result(conn.execute("create table foo (id int, bar int)").thenCompose(AsyncCursor::closeAsync));

            // A deterministic function may be used in an index expression.
            result(conn.execute("create index t on foo(one_arg(bar))").thenCompose(AsyncCursor::closeAsync));
            assertThat(fetchAllValues(conn, "select name from sqlite_master where type = 'index'"))
                    .isEqualTo(List.of(List.<Object>of("t")));

            // A non-deterministic one may not (what makes the flag matter).
            result(conn.createFunction("nd_arg", 1, args -> (Long) args[0] * 2, false));
            assertThat(failureOf(conn.execute("create index t2 on foo(nd_arg(bar))")))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("non-deterministic");
        }
    }

    @Test
    void test_set_trace_callback() throws Exception {
        try (AsyncConnection conn = connect(db)) {
            List<String> statements = new CopyOnWriteArrayList<>();
            result(conn.setTraceCallback(statements::add));
            result(conn.execute("select 10").thenCompose(AsyncCursor::closeAsync));
            assertThat(statements).contains("select 10");
        }
    }

    @Test
    void test_set_authorizer_deny_drops() throws Exception {
        Authorizer denyDrops = (action, arg1, arg2, dbName, trigger) ->
                action == Authorizer.SQLITE_DROP_TABLE ? Authorizer.SQLITE_DENY : Authorizer.SQLITE_OK;
        try (AsyncConnection conn = connect(db)) {
            result(conn.setAuthorizer(denyDrops));

            result(conn.execute("create table test_table (id integer primary key, data text)")
                    .thenCompose(AsyncCursor::closeAsync));
            result(conn.execute("insert into test_table (data) values ('test')")
                    .thenCompose(AsyncCursor::closeAsync));
            result(conn.commit());
            assertThat(fetchAllValues(conn, "select * from test_table"))
                    .isEqualTo(List.of(List.of(1L, "test")));

            Throwable denied = failureOf(conn.execute("drop table test_table"));
            assertThat(denied).isInstanceOf(SQLNonTransientException.class).isInstanceOf(SqliteError.class);
            assertThat(((SqliteError) denied).resultCode()).isEqualTo(23); // SQLITE_AUTH
            assertThat(fetchAllValues(conn, "select count(*) from test_table"))
                    .as("the denied DROP left the table in place")
                    .isEqualTo(List.of(List.of(1L)));

            result(conn.setAuthorizer(null));
            result(conn.execute("drop table test_table").thenCompose(AsyncCursor::closeAsync));
            assertThat(fetchAllValues(conn,
                    "select count(*) from sqlite_master where type = 'table' and name = 'test_table'"))
                    .isEqualTo(List.of(List.of(0L)));
        }
    }

    @Test
    void test_set_authorizer_exception_propagation() throws Exception {
        Authorizer throwing = (action, arg1, arg2, dbName, trigger) -> {
            throw new IllegalStateException("test exception");
        };
        try (AsyncConnection conn = connect(db)) {
            result(conn.setAuthorizer(throwing));
            Throwable error = failureOf(conn.execute("create table test_table (id integer)"));
            assertThat(error).isInstanceOf(SQLNonTransientException.class).isInstanceOf(SqliteError.class);

            result(conn.setAuthorizer(null));
            assertThat(fetchAllValues(conn,
                    "select count(*) from sqlite_master where type = 'table' and name = 'test_table'"))
                    .as("the refused CREATE TABLE created nothing")
                    .isEqualTo(List.of(List.of(0L)));
        }
    }

    @Test
    void test_connect_error() throws Exception {
        List<CompletableFuture<AsyncConnection>> attempts = List.of(
                AioSqlite.connect(BAD_PATH),
                AioSqlite.connect(Path.of(BAD_PATH)),
                AioSqlite.connect(SqliteConfig.builder(BAD_PATH).build()));
        for (CompletableFuture<AsyncConnection> attempt : attempts) {
            assertThat(failureOf(attempt))
                    .isInstanceOf(SQLNonTransientConnectionException.class)
                    .isInstanceOf(SqliteError.class)
                    .hasMessageContaining("unable to open database")
                    .hasMessageContaining(BAD_PATH);
        }
    }

    @Test
    void test_connect_base_exception() throws Exception {
        // (1) The open is cancelled before it even starts: the worker must close what it opened
        // and end, since nobody will ever receive the connection.
        CountDownLatch gate = new CountDownLatch(1);
        AtomicReference<Thread> gated = new AtomicReference<>();
        SqliteConfig config = SqliteConfig.builder(db).threadFactory(r -> {
            Thread t = new Thread(() -> {
                try {
                    if (gate.await(WAIT_MS, TimeUnit.MILLISECONDS)) {
                        r.run();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "aiosqlite4j-smoke-gated");
            t.setDaemon(true);
            gated.set(t);
            return t;
        }).build();
        CompletableFuture<AsyncConnection> cancelled = AioSqlite.connect(config);
        assertThat(cancelled.cancel(true)).isTrue();
        gate.countDown();
        assertThat(cancelled).isCancelled();
        Thread worker = gated.get();
        assertThat(worker).isNotNull();
        worker.join(WAIT_MS);
        assertThat(worker.isAlive()).as("worker of a cancelled connect ended").isFalse();

        // (2) Cancelling right away, racing the open: either the cancel wins (and the worker
        // cleans up alone) or the connection arrived first (and we close it). No worker leaks.
        Set<Thread> before = workerThreads();
        for (int i = 0; i < 20; i++) {
            CompletableFuture<AsyncConnection> racing = AioSqlite.connect(db);
            if (!racing.cancel(true)) {
                result(racing).close();
            }
        }
        assertThat(workersStillAliveSince(before)).as("leaked worker threads after cancelled opens").isEmpty();

        // (3) The open fails: the failure type is right and no worker thread remains.
        before = workerThreads();
        assertThat(failureOf(AioSqlite.connect(BAD_PATH)))
                .isInstanceOf(SQLNonTransientConnectionException.class);
        assertThat(workersStillAliveSince(before)).as("leaked worker threads after a failed open").isEmpty();
    }

    @Test
    void test_iterdump() throws Exception {
        try (AsyncConnection conn = connect(":memory:")) {
            result(conn.execute("create table foo (i integer, k charvar(250))").thenCompose(AsyncCursor::closeAsync));
            result(conn.executeScript("insert into foo values (1, 'hello'); insert into foo values (2, 'world')")
                    .thenCompose(AsyncCursor::closeAsync));

            List<String> lines = result(Streams.collect(conn.iterDump(), Long.MAX_VALUE));
            assertThat(lines).containsExactly(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE foo (i integer, k charvar(250));",
                    "INSERT INTO \"foo\" VALUES(1,'hello');",
                    "INSERT INTO \"foo\" VALUES(2,'world');",
                    "COMMIT;");
        }
    }

    @Test
    void test_cursor_on_closed_connection() throws Exception {
        AsyncConnection conn = connect(db);
        AsyncCursor cursor;
        try {
            cursor = result(conn.execute("select 1, 2"));
        } finally {
            result(conn.closeAsync());
        }
        assertThat(failureOf(cursor.fetchAll())).isInstanceOf(SQLNonTransientConnectionException.class);
        assertThat(failureOf(cursor.fetchAll())).isInstanceOf(SQLNonTransientConnectionException.class);
        // Closing the cursor of a closed connection still succeeds.
        result(cursor.closeAsync());
    }

    @Test
    void test_cursor_on_closed_connection_loop() throws Exception {
        AsyncConnection conn = connect(db);
        AsyncCursor cursor;
        List<CompletableFuture<List<Row>>> fetches = new ArrayList<>();
        CompletableFuture<Void> closing = null;
        try {
            cursor = result(conn.execute("select 1, 2"));
            for (int i = 0; i < 100; i++) {
                if (i == 50) {
                    closing = conn.closeAsync();
                }
                fetches.add(cursor.fetchAll());
            }
        } finally {
            if (closing == null) {
                closing = conn.closeAsync();
            }
        }
        result(closing);

        for (int i = 0; i < fetches.size(); i++) {
            CompletableFuture<List<Row>> fetch = fetches.get(i);
            try {
                List<Row> rows = fetch.get(WAIT_MS, TimeUnit.MILLISECONDS);
                assertThat(i).as("fetch #%d completed, so it was queued before the close", i).isLessThan(50);
                assertThat(values(rows)).isEqualTo(i == 0 ? List.of(List.of(1L, 2L)) : List.of());
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as("failure of fetch #%d", i)
                        .isInstanceOf(SQLNonTransientConnectionException.class);
                // Work queued before close runs before the close (AsyncConnection#closeAsync).
                assertThat(i).as("fetch #%d was queued before the close, yet failed", i)
                        .isGreaterThanOrEqualTo(50);
            }
        }
        result(cursor.closeAsync());
    }

    @Test
    void test_close_blocking_until_transaction_queue_empty() throws Exception {
        AsyncConnection conn = connect(db);
        List<CompletableFuture<AsyncCursor>> executes = new ArrayList<>();
        CompletableFuture<Void> closing;
        try {
            for (int i = 0; i < 1000; i++) {
                executes.add(conn.execute("select 1, " + i));
            }
        } finally {
            closing = conn.closeAsync();
        }
        result(closing);

        List<Integer> notDone = new ArrayList<>();
        for (int i = 0; i < executes.size(); i++) {
            if (!executes.get(i).isDone()) {
                notDone.add(i);
            }
        }
        assertThat(notDone).as("executes still pending when close() completed").isEmpty();
        for (CompletableFuture<AsyncCursor> execute : executes) {
            assertThat(execute).isCompletedWithValueMatching(c -> c != null);
        }
        for (CompletableFuture<AsyncCursor> execute : executes) {
            result(execute.thenCompose(AsyncCursor::closeAsync));
        }
    }

    @Test
    void test_close_twice() throws Exception {
        AsyncConnection conn = connect(db);
        result(conn.closeAsync());
        result(conn.closeAsync());
        conn.close();
        assertThat(conn.isClosed()).isTrue();
    }

    @Test
    void test_backup_aiosqlite() throws Exception {
        List<int[]> progress = new CopyOnWriteArrayList<>();
        try (AsyncConnection db1 = connect(":memory:");
                AsyncConnection db2 = connect(":memory:")) {
            createFooWithTwoRows(db1);

            assertThat(failureOf(db2.execute("select * from foo")))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("no such table: foo");

            result(db1.backup(db2, BackupOptions.defaults()
                    .withProgress((status, remaining, total) -> progress.add(new int[] {status, remaining, total}))));

            assertThat(fetchAllValues(db2, "select * from foo"))
                    .isEqualTo(List.of(List.of(1L, "hello"), List.of(2L, "world")));
        }
        assertThat(progress).isNotEmpty();
        int[] last = progress.get(progress.size() - 1);
        assertThat(last[0]).as("status of the last step").isEqualTo(101); // SQLITE_DONE
        assertThat(last[1]).as("pages remaining after the last step").isZero();
        assertThat(last[2]).as("total pages").isPositive();
    }

    @Test
    void test_backup_sqlite() throws Exception {
        Path target = tempDir.toRealPath().resolve("backup.db");
        try (AsyncConnection db1 = connect(":memory:")) {
            createFooWithTwoRows(db1);

            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + target);
                    Statement st = plain.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery("select * from foo"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("no such table: foo");
            }

            result(db1.backup(target, BackupOptions.defaults()));
        }

        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + target);
                Statement st = plain.createStatement();
                ResultSet rs = st.executeQuery("select * from foo")) {
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(List.of(rs.getLong(1), rs.getString(2)));
            }
            assertThat(rows).isEqualTo(List.of(List.of(1L, "hello"), List.of(2L, "world")));
        }
    }

    @Test
    void test_emits_warning_when_left_open() throws Exception {
        String location = db.toString();
        CompletableFuture<LogRecord> warned = new CompletableFuture<>();
        Logger jul = Logger.getLogger("io.github.aiosqlite4j");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (record.getLevel() == Level.WARNING && message != null
                        && message.contains("garbage-collected before being closed")
                        && message.contains(location)) {
                    warned.complete(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        AtomicReference<Thread> worker = new AtomicReference<>();
        jul.addHandler(handler);
        try {
            openAndForget(SqliteConfig.builder(location)
                    .threadFactory(capturing(worker, "aiosqlite4j-smoke-leaked")).build());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            LogRecord record = null;
            while (record == null && System.nanoTime() < deadline) {
                System.gc();
                try {
                    record = warned.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    // collect again
                }
            }
            assertThat(record).as("warning about the leaked connection").isNotNull();
            assertThat(record.getLoggerName()).isEqualTo("io.github.aiosqlite4j");
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("garbage-collected before being closed");

            // ... and the leaked connection was closed: its worker ends.
            Thread t = worker.get();
            assertThat(t).isNotNull();
            t.join(WAIT_MS);
            assertThat(t.isAlive()).as("worker of the leaked connection ended").isFalse();
        } finally {
            jul.removeHandler(handler);
        }
    }

    /** Opens a connection, uses it, and drops every reference to it without closing it. */
    private static void openAndForget(SqliteConfig config) throws Exception {
        AsyncConnection leaked = result(AioSqlite.connect(config));
        assertThat(values(result(leaked.executeFetchAll("select 1")))).isEqualTo(List.of(List.of(1L)));
    }

    @Test
    void test_stop_without_close() throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        AsyncConnection conn = result(AioSqlite.connect(SqliteConfig.builder(db)
                .threadFactory(capturing(worker, "aiosqlite4j-smoke-stop")).build()));
        try {
            assertThat(fetchAllValues(conn, "select 1")).isEqualTo(List.of(List.of(1L)));
        } finally {
            result(conn.closeAsync());
        }
        assertThat(conn.isClosed()).isTrue();
        assertThat(worker.get().isAlive()).as("worker ended when closeAsync completed").isFalse();
        assertThat(failureOf(conn.execute("select 1"))).isInstanceOf(SQLNonTransientConnectionException.class);
    }

    @Test
    void test_stop_after_event_loop_closed() throws Exception {
        ExecutorService completion = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "smoke-completion");
            t.setDaemon(true);
            return t;
        });
        try {
            AsyncConnection conn = result(AioSqlite.connect(SqliteConfig.builder(db)
                    .completionExecutor(completion).build()));
            try {
                assertThat(fetchAllValues(conn, "select 1")).isEqualTo(List.of(List.of(1L)));
            } finally {
                completion.shutdown();
                assertThat(completion.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
                result(conn.closeAsync());
            }
            assertThat(conn.isClosed()).isTrue();
        } finally {
            completion.shutdownNow();
        }
    }
}
