package io.github.aiosqlite4j;

import io.github.aiosqlite4j.internal.ConnectionWorker;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Entry point: opens asynchronous SQLite connections.
 *
 * <pre>{@code
 * AioSqlite.connect("app.db")
 *         .thenCompose(db -> db.executeFetchAll("select name from users")
 *                 .whenComplete((rows, error) -> db.closeAsync()))
 *         .thenAccept(rows -> rows.forEach(System.out::println));
 * }</pre>
 */
public final class AioSqlite {
    private AioSqlite() {}

    /**
     * Opens a connection with default settings.
     *
     * @param database a file path, {@code ":memory:"}, {@code ""} (temporary), or a {@code file:}
     *     URI
     * @return a future completed with the open connection (on the default completion executor),
     *     or failed with {@link java.sql.SQLNonTransientConnectionException} if the database
     *     cannot be opened; the message keeps SQLite's text and names the location
     * @throws NullPointerException if {@code database} is null
     */
    public static CompletableFuture<AsyncConnection> connect(String database) {
        return connect(SqliteConfig.builder(database).build());
    }

    /**
     * Opens a connection to a database file with default settings.
     *
     * @param database the file
     * @return a future completed with the open connection
     * @throws NullPointerException if {@code database} is null
     */
    public static CompletableFuture<AsyncConnection> connect(Path database) {
        return connect(SqliteConfig.builder(database).build());
    }

    /**
     * Opens a connection. A worker thread is taken from the idle ones (or started) and the
     * database is opened on it; the PRAGMAs of the configuration run there, then its {@link
     * SqliteConfig#onOpen() onOpen} hook, then (with {@link Autocommit#OFF}) the {@code BEGIN} of
     * the always-open transaction, before the future completes. A thread that calls {@code
     * join()} on the returned future before the worker thread has started on the open (and with
     * no {@code onOpen} hook) opens the database itself instead, as it runs its own task on an
     * idle connection (README, thread model); this method itself never blocks.
     *
     * @param config the settings
     * @return a future completed with the open connection on the configured completion executor,
     *     or failed with {@link java.sql.SQLNonTransientConnectionException} if the database
     *     cannot be opened (the worker thread is then released; also when sqlite-jdbc cannot
     *     load its native library, for example from a read-only temporary directory: the message
     *     says so and the cause is sqlite-jdbc's reason; set {@code -Dorg.sqlite.tmpdir}), or with
     *     the {@code onOpen} hook's exception (the connection is then closed)
     * @throws NullPointerException if {@code config} is null
     */
    public static CompletableFuture<AsyncConnection> connect(SqliteConfig config) {
        CompletableFuture<AsyncConnection> opened =
                ConnectionWorker.open(Objects.requireNonNull(config, "config must not be null"));
        Function<? super AsyncConnection, ? extends CompletionStage<?>> hook = config.onOpen();
        if (hook == null) {
            return opened;
        }
        return opened.thenCompose(c -> {
            CompletionStage<?> setUp;
            try {
                setUp = Objects.requireNonNull(hook.apply(c), "SqliteConfig.onOpen returned null");
            } catch (RuntimeException | Error e) {
                setUp = CompletableFuture.failedFuture(e);
            }
            // Autocommit.OFF: the always-open transaction begins after the hook (the hook's
            // ATTACH, PRAGMAs and temporary tables cannot run inside it, or would be undone by
            // the first rollback()); setAutocommit(OFF) begins it unless the hook already did.
            setUp = setUp.thenCompose(v -> c.autocommit() == Autocommit.OFF
                    ? c.setAutocommit(Autocommit.OFF) : CompletableFuture.completedFuture(null));
            return setUp.handle((v, e) -> {
                if (e == null) {
                    return CompletableFuture.completedFuture(c);
                }
                Throwable cause = io.github.aiosqlite4j.internal.engine.Errors.unwrap(e);
                return c.closeAsync().handle((x, closing) -> CompletableFuture.<AsyncConnection>failedFuture(cause))
                        .thenCompose(Function.identity());
            }).thenCompose(Function.identity());
        });
    }

    /**
     * The version of the SQLite library bundled with sqlite-jdbc, for example {@code "3.54.1"}.
     *
     * @return the SQLite version
     */
    public static String sqliteVersion() {
        return ConnectionWorker.sqliteVersion();
    }

    /**
     * Whether aiosqlite4j's native library is available, and if not, why. The library (built for
     * linux, macOS and Windows on x86_64 and aarch64) gives SQLite's C API on sqlite-jdbc's own
     * connection: the authorizer, SQLite's trace with bound values and trigger statements, the
     * profile callback, incremental blob I/O, online backup between connections. The first call loads it (once per JVM: extracted under {@code
     * org.sqlite.tmpdir}, else {@code java.io.tmpdir}, and checksum-verified); the system property
     * {@code aiosqlite4j.native=false} turns it off. Without it, connections work, {@link
     * AsyncConnection#setAuthorizer} fails closed, and the trace reports statements as written.
     *
     * @return the state, on the calling thread
     */
    public static NativeFeatures nativeFeatures() {
        io.github.aiosqlite4j.internal.nativelib.NativeLibrary.Status s =
                io.github.aiosqlite4j.internal.nativelib.NativeLibrary.status();
        return new NativeFeatures(s.available(), s.platform(), s.reason());
    }
}
