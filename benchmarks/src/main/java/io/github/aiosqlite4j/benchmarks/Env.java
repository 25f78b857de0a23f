package io.github.aiosqlite4j.benchmarks;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqliteConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** What the workloads share: the mode (sizes), a temp directory, one Vertx instance, helpers. */
public final class Env implements AutoCloseable {

    final boolean quick;
    final Path dir;
    final Vertx vertx;
    private final AtomicInteger files = new AtomicInteger();
    private final Map<String, Path> shared = new HashMap<>();

    Env(boolean quick) throws IOException {
        this.quick = quick;
        this.dir = Files.createTempDirectory("aiosqlite4j-bench");
        this.vertx = Vertx.vertx();
    }

    /** {@return {@code full} in the full run, {@code small} with --quick} */
    int n(int full, int small) {
        return quick ? small : full;
    }

    /** A new database file, created with the given SQL through plain JDBC. */
    Path newFile(String name, List<String> setupSql) throws SQLException {
        Path file = dir.resolve(name + "-" + files.incrementAndGet() + ".db");
        try (Connection c = jdbc(file.toString())) {
            run(c, setupSql);
        }
        return file;
    }

    /** One file per name for read-only workloads, shared by the systems. */
    Path sharedFile(String name, List<String> setupSql) throws SQLException {
        Path file = shared.get(name);
        if (file == null) {
            file = newFile(name, setupSql);
            shared.put(name, file);
        }
        return file;
    }

    // ---- plain JDBC ----

    static Connection jdbc(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + database);
    }

    static void run(Connection c, List<String> sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String one : sql) {
                s.executeUpdate(one);
            }
        }
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- aiosqlite4j ----

    /**
     * Whether aiosqlite4j's futures complete on the worker thread ({@code Compare --completion
     * worker}: {@code completionExecutor(Runnable::run)}) instead of the default executor.
     */
    static volatile boolean completeOnWorker;

    /** {@return a builder for {@code database} with the run's completion mode} */
    static SqliteConfig.Builder config(String database) {
        SqliteConfig.Builder b = SqliteConfig.builder(database);
        return completeOnWorker ? b.completionExecutor(Runnable::run) : b;
    }

    static AsyncConnection aio(String database, List<String> setupSql) {
        AsyncConnection db = AioSqlite.connect(config(database).build()).join();
        for (String one : setupSql) {
            db.execute(one).join().closeAsync().join();
        }
        db.commit().join();
        return db;
    }

    static long queryLong(AsyncConnection db, String sql) {
        return db.executeFetchAll(sql).join().get(0).getLong(0);
    }

    // ---- Vert.x JDBC client ----

    Pool vertxPool(String database, List<String> setupSql) {
        return vertxPool(database, setupSql, 1);
    }

    /** A {@code JDBCPool} of {@code maxSize} connections, after running the setup SQL. */
    Pool vertxPool(String database, List<String> setupSql, int maxSize) {
        Pool pool = JDBCPool.pool(vertx,
                new JDBCConnectOptions().setJdbcUrl("jdbc:sqlite:" + database),
                new PoolOptions().setMaxSize(maxSize));
        for (String one : setupSql) {
            await(pool.query(one).execute());
        }
        return pool;
    }

    static long queryLong(Pool pool, String sql) {
        return await(pool.query(sql).execute()).iterator().next().getLong(0);
    }

    /**
     * Waits for a Vert.x future from a thread outside Vert.x. Only for untimed setup and checks:
     * a timed Vert.x batch runs on its event loop ({@link #onLoop}).
     */
    static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }

    /** A new event-loop context for one Vert.x side: its batches run there. */
    Context loop() {
        return vertx.getOrCreateContext();
    }

    /**
     * Runs one timed Vert.x batch as its users drive the client: {@code body} starts on the
     * side's event loop and chains its calls with {@code compose}, so every callback runs on that
     * event loop and no Vert.x thread waits. The runner's thread waits once, for the batch's end.
     *
     * @return what the batch's future completed with
     */
    static <T> T onLoop(Context loop, Supplier<Future<T>> body) {
        CompletableFuture<T> done = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                body.get().onComplete(ar -> {
                    if (ar.succeeded()) {
                        done.complete(ar.result());
                    } else {
                        done.completeExceptionally(ar.cause());
                    }
                });
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        return done.join();
    }

    /**
     * {@code n} calls one after another, each started when the previous one completed (the
     * Vert.x way of awaiting each call).
     */
    static Future<Void> repeat(int n, IntFunction<Future<?>> call) {
        return repeat(0, n, call);
    }

    private static Future<Void> repeat(int i, int n, IntFunction<Future<?>> call) {
        return i == n ? Future.succeededFuture()
                : call.apply(i).compose(x -> repeat(i + 1, n, call));
    }

    // ---- virtual threads (Java 21+; this module compiles for 17) ----

    /**
     * {@return a new virtual-thread-per-task executor, or null if this JDK has no virtual threads
     * (before 21; 19 and 20 only as a preview)}
     */
    static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                    .invoke(null);
        } catch (ReflectiveOperationException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Whether this JDK runs virtual threads (Java 21+). */
    static final boolean VIRTUAL_THREADS = hasVirtualThreads();

    private static boolean hasVirtualThreads() {
        ExecutorService e = virtualThreads();
        if (e != null) {
            e.shutdown();
        }
        return e != null;
    }

    @Override
    public void close() throws IOException {
        await(vertx.close());
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
