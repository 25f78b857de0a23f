package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Autocommit;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.internal.ConnectionWorker;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Opening a pool and the end of closing it. {@link #open} checks the settings, opens the writer
 * (switched to WAL and checked writable) and then the readers ({@code query_only}), each with the
 * settings the pool needs, and closes whatever opened if anything fails; the pool it builds closes
 * its connections at JVM shutdown ({@link ConnectionWorker#ownedBy}). {@link #closeWriter} is the
 * last step of {@link DefaultSqlitePool#closeAsync()}.
 */
final class PoolLifecycle {
    private static final System.Logger LOG = System.getLogger(SqlitePool.class.getName());

    private PoolLifecycle() {}

    /**
     * Opens a pool; see {@link SqlitePool#open}.
     *
     * @param config the connection settings
     * @param options the pool settings
     * @return the future pool
     */
    static CompletableFuture<SqlitePool> open(SqliteConfig config, PoolOptions options) {
        checkDatabase(config);
        if (config.autocommit() == Autocommit.OFF) {
            throw new IllegalArgumentException("a pool manages transactions itself (a statement"
                    + " outside a body commits by itself), but autocommit was OFF, which keeps a"
                    + " transaction always open; leave SqliteConfig.autocommit LEGACY or set ON");
        }
        boolean readOnly = config.readOnly();
        SqliteConfig readerConfig = config.toBuilder()
                .autocommit(Autocommit.LEGACY)
                .isolationLevel(IsolationLevel.AUTOCOMMIT)
                .journalMode(null)
                .pragma("query_only", "1")
                .build();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CompletableFuture<AsyncConnection> writerFuture;
        if (readOnly) {
            writerFuture = CompletableFuture.completedFuture(null);
        } else {
            SqliteConfig writerConfig = config.toBuilder()
                    .autocommit(Autocommit.LEGACY)
                    .isolationLevel(IsolationLevel.AUTOCOMMIT)
                    .journalMode(SqliteConfig.JournalMode.WAL)
                    .build();
            writerFuture = connect(writerConfig).thenCompose(w -> w.run(s -> {
                threads.add(Thread.currentThread());
                List<Row> mode = s.query("PRAGMA journal_mode");
                String actual = mode.isEmpty() ? "?" : String.valueOf(mode.get(0).get(0));
                SQLException cause = null;
                if ("wal".equalsIgnoreCase(actual)) {
                    try { // a read-only file (or mode=ro URI) may already be in WAL mode
                        s.execute("BEGIN IMMEDIATE");
                        s.execute("ROLLBACK");
                    } catch (SQLException e) {
                        if (!(e instanceof SqliteError)
                                || ((SqliteError) e).resultCode() != Errors.SQLITE_READONLY) {
                            throw e;
                        }
                        cause = e;
                    }
                }
                if (!"wal".equalsIgnoreCase(actual) || cause != null) {
                    throw Errors.readOnly("cannot open pool '"
                            + options.name() + "' on '" + config.database() + "': the writer"
                            + (cause != null ? " cannot write to the file (" + cause.getMessage()
                                    + ")" : " could not switch the file to WAL (journal_mode is "
                                    + actual + ")") + "; is the file or its directory read-only?"
                            + " For a read-only pool set SqliteConfig.readOnly(true)", cause);
                }
                return w;
            }).handle((ok, error) -> {
                if (error != null) {
                    return w.closeAsync().handle((v, e) -> CompletableFuture.<AsyncConnection>failedFuture(
                            Errors.unwrap(error))).thenCompose(Function.identity());
                }
                return CompletableFuture.completedFuture(ok);
            }).thenCompose(Function.identity()));
        }
        return writerFuture.thenCompose(w -> {
            List<CompletableFuture<AsyncConnection>> opening = new ArrayList<>();
            for (int i = 0; i < options.readers(); i++) {
                opening.add(connect(readerConfig).thenCompose(r -> r.run(s -> {
                    threads.add(Thread.currentThread());
                    return r;
                }).whenComplete((ok, e) -> {
                    if (e != null) {
                        r.closeAsync();
                    }
                })));
            }
            return CompletableFuture.allOf(opening.toArray(new CompletableFuture<?>[0]))
                    .handle((v, ignored) -> {
                        List<AsyncConnection> opened = new ArrayList<>();
                        Throwable failure = null;
                        for (CompletableFuture<AsyncConnection> f : opening) {
                            try {
                                opened.add(f.join());
                            } catch (CompletionException | CancellationException e) {
                                Throwable cause = Errors.unwrap(e);
                                if (failure == null) {
                                    failure = cause;
                                } else if (failure != cause) {
                                    failure.addSuppressed(cause);
                                }
                            }
                        }
                        if (failure == null) {
                            SqlitePool pool = adopt(new DefaultSqlitePool(config, options, w, opened,
                                    threads), w, opened);
                            LOG.log(System.Logger.Level.DEBUG, () -> "opened pool '" + options.name()
                                    + "' on '" + config.database() + "' with " + opened.size()
                                    + " readers" + (w == null ? " (read-only)" : " and a writer"));
                            return CompletableFuture.completedFuture(pool);
                        }
                        List<CompletableFuture<Void>> closing = new ArrayList<>();
                        for (AsyncConnection c : opened) {
                            closing.add(c.closeAsync());
                        }
                        if (w != null) {
                            closing.add(w.closeAsync());
                        }
                        Throwable f = failure;
                        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
                                .handle((x, e) -> CompletableFuture.<SqlitePool>failedFuture(f))
                                .thenCompose(Function.identity());
                    })
                    .thenCompose(Function.identity());
        });
    }

    /** {@link AioSqlite#connect}, with a synchronous failure (a thread factory's) as a failed future. */
    private static CompletableFuture<AsyncConnection> connect(SqliteConfig config) {
        try {
            return AioSqlite.connect(config);
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Refuses databases that cannot be shared between connections, and non-WAL journals.
     *
     * @param config the configuration a pool would open
     * @throws IllegalArgumentException if it names an in-memory or temporary database, or a
     *     journal mode other than WAL
     */
    static void checkDatabase(SqliteConfig config) {
        String db = config.database();
        String lower = db.toLowerCase(Locale.ROOT);
        boolean memory = lower.equals(":memory:") || db.isEmpty()
                || (lower.startsWith("file:") && (lower.startsWith("file::memory:")
                        || lower.contains("mode=memory")));
        if (memory) {
            throw new IllegalArgumentException("a pool needs a database file that several"
                    + " connections share, but database was '" + db + "', which is private to one"
                    + " connection; use a file, or AioSqlite.connect for one in-memory connection");
        }
        if (config.journalMode() != null && config.journalMode() != SqliteConfig.JournalMode.WAL) {
            throw new IllegalArgumentException("a pool runs its database in WAL mode, but"
                    + " journalMode was " + config.journalMode() + "; leave it unset or use WAL");
        }
    }

    /** At JVM shutdown, {@code pool} drains and closes its connections, not the hook directly. */
    private static SqlitePool adopt(SqlitePool pool, AsyncConnection writer, List<AsyncConnection> readers) {
        if (writer != null) {
            ConnectionWorker.ownedBy(writer, pool);
        }
        for (AsyncConnection r : readers) {
            ConnectionWorker.ownedBy(r, pool);
        }
        return pool;
    }

    /**
     * Close's last step, once nothing is left for the writer but what it has queued: {@code
     * PRAGMA wal_checkpoint(TRUNCATE)} behind every accepted write (a failure or a checkpoint
     * that readers of other connections kept from finishing is logged), then the writer closes.
     *
     * @param state the pool's name and database, for the log
     * @param writer the writer, or null in read-only mode
     * @return a future completed once the writer is closed (failed if closing it failed)
     */
    static CompletableFuture<Void> closeWriter(PoolState state, AsyncConnection writer) {
        if (writer == null) {
            return CompletableFuture.<Void>completedFuture(null);
        }
        return writer.run(s -> s.query("PRAGMA wal_checkpoint(TRUNCATE)"))
                .handle((rows, e) -> {
                    if (e != null) {
                        LOG.log(System.Logger.Level.WARNING, "pool '" + state.name
                                + "': the WAL checkpoint at close failed", Errors.unwrap(e));
                    } else if (!rows.isEmpty() && Long.valueOf(1).equals(rows.get(0).get(0))) {
                        LOG.log(System.Logger.Level.WARNING, "pool '" + state.name + "': the WAL"
                                + " checkpoint at close could not finish: another connection"
                                + " to '" + state.database + "' was reading");
                    }
                    return writer.closeAsync();
                })
                .thenCompose(Function.identity());
    }
}
