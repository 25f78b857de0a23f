package io.github.aiosqlite4j.benchmarks;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqliteConfig;
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
import java.util.concurrent.atomic.AtomicInteger;
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

    /** @return {@code full} in the full run, {@code small} with --quick */
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

    static AsyncConnection aio(String database, List<String> setupSql) {
        AsyncConnection db = AioSqlite.connect(SqliteConfig.builder(database).build()).join();
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
        Pool pool = JDBCPool.pool(vertx,
                new JDBCConnectOptions().setJdbcUrl("jdbc:sqlite:" + database),
                new PoolOptions().setMaxSize(1));
        for (String one : setupSql) {
            await(pool.query(one).execute());
        }
        return pool;
    }

    static long queryLong(Pool pool, String sql) {
        return await(pool.query(sql).execute()).iterator().next().getLong(0);
    }

    /** Waits for a Vert.x future from a thread outside Vert.x. */
    static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
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
