package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.RowMapper;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.LiveQueries;
import io.github.aiosqlite4j.internal.engine.Errors;
import io.github.aiosqlite4j.internal.live.LiveHub;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The pool behind {@link SqlitePool}: one writer {@link AsyncConnection} and N readers, all built
 * on the public connection API. This class sends each request to its side and runs close; the
 * parts, one file each:
 *
 * <ul>
 *   <li>{@link ReaderQueue}: hands out the readers, one whole reader per request (idle stack,
 *       FIFO waiters, {@code acquireTimeout}, {@code maxWaiters}), and reader leases.
 *   <li>{@link WriterQueue}: the order in which work reaches the writer's own task queue, and
 *       writer leases (while one holds the writer, every other submission waits in its backlog).
 *   <li>{@link GroupCommit}: {@code write} bodies run in groups, one transaction per group.
 *   <li>{@link PoolLeases}: the {@link PoolLease}s granted and not released (the R2DBC driver's
 *       transactions span calls), rolled back on release, reclaimed at close.
 *   <li>{@link PoolRouting}: which side runs one statement ({@link #execute}).
 *   <li>{@link PoolLifecycle}: opening the connections, and close's last step.
 *   <li>{@link PoolState}: what the parts share: the one lock, the closed flag, the counters
 *       behind {@link #metrics()}, completing a caller's future on the completion executor.
 *   <li>{@link CloseDrain}: what close waits for of the readers, the writer and group commit.
 * </ul>
 *
 * <p>The one lock orders every queue with close and keeps {@link #metrics()} consistent; it is
 * held only to take or give back a connection or to enqueue, never while a body or a callback
 * runs.
 *
 * <p><b>Close.</b> Marks the pool closed (new requests fail fast), lets the queued and running
 * reads finish and closes the readers, waits until no write body is left in a group queue and no
 * lease holds or waits for the writer (leases still held after the shutdown grace period are
 * released by force), then queues {@code PRAGMA wal_checkpoint(TRUNCATE)} on the writer behind
 * every accepted write, and closes the writer. Failures there are logged. At JVM shutdown the
 * hook closes the pool this way rather than its connections directly ({@link PoolLifecycle}).
 */
public final class DefaultSqlitePool implements SqlitePool {
    private static final System.Logger LOG = System.getLogger(SqlitePool.class.getName());

    private final PoolState state;
    private final AsyncConnection writer; // null in read-only mode
    /** The threads of the pool's connections: close() from a body would wait for itself. */
    private final Set<Thread> workerThreads;
    private final PoolLeases leases;
    private final ReaderQueue readerQueue;
    private final WriterQueue writerQueue;
    private final GroupCommit groupCommit;
    private volatile CompletableFuture<Void> closeFuture;
    /** The live queries: the writer's hooks drive re-queries on the readers. */
    private final LiveHub liveHub;

    DefaultSqlitePool(SqliteConfig config, PoolOptions options, AsyncConnection writer,
            List<AsyncConnection> readers, Set<Thread> workerThreads) {
        this.state = new PoolState(options.name(), config.database(), config.completionExecutor());
        this.writer = writer;
        this.workerThreads = Set.copyOf(workerThreads);
        this.leases = new PoolLeases(state, config.shutdownGracePeriod(), options.leakDetectionThreshold());
        this.readerQueue = new ReaderQueue(state, readers, options, leases);
        this.writerQueue = new WriterQueue(state, writer, leases);
        this.groupCommit = new GroupCommit(state, writer, writerQueue, options.groupCommit());
        this.liveHub = new LiveHub(writer, new LiveHub.Querier() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> CompletableFuture<List<T>> query(String sql, RowMapper<T> mapper,
                    Object[] params, BooleanSupplier hasUncommittedWrites) {
                // A reader never sees the writer's uncommitted changes.
                return readerQueue.submit(r -> mapper == null
                        ? r.executeFetchAll(sql, params).thenApply(rows -> (List<T>) (List<?>) rows)
                        : r.executeFetchAll(sql, mapper, params));
            }
        }, sql -> readerQueue.submit(r -> LiveQueries.tablesRead(r, sql)), config.livePollInterval(),
                config.completionExecutor());
    }

    /**
     * Opens a pool; see {@link SqlitePool#open}.
     *
     * @param config the connection settings
     * @param options the pool settings
     * @return the future pool
     */
    public static CompletableFuture<SqlitePool> open(SqliteConfig config, PoolOptions options) {
        return PoolLifecycle.open(config, options);
    }

    /**
     * Refuses databases that cannot be shared between connections, and non-WAL journals.
     *
     * @param config the configuration a pool would open
     * @throws IllegalArgumentException if it names an in-memory or temporary database, or a
     *     journal mode other than WAL
     */
    public static void checkDatabase(SqliteConfig config) {
        PoolLifecycle.checkDatabase(config);
    }

    // ------------------------------------------------------------------------------ reads

    @Override
    public <T> CompletableFuture<T> read(SqlFunction<SqliteSession, T> body) {
        Objects.requireNonNull(body, "body must not be null");
        return readerQueue.submit(r -> r.transaction(IsolationLevel.DEFERRED, body));
    }

    // ----------------------------------------------------------------------------- writes

    @Override
    public <T> CompletableFuture<T> transaction(SqlFunction<SqliteSession, T> body) {
        Objects.requireNonNull(body, "body must not be null");
        return writerQueue.submit(w -> w.transaction(IsolationLevel.IMMEDIATE, body));
    }

    @Override
    public <T> CompletableFuture<T> write(SqlFunction<SqliteSession, T> body) {
        Objects.requireNonNull(body, "body must not be null");
        if (!groupCommit.isOn()) {
            return writerQueue.submit(w -> w.transaction(IsolationLevel.IMMEDIATE, body));
        }
        return groupCommit.submit(body);
    }

    // ----------------------------------------------------------------------------- leases

    /**
     * Leases the writer: once every write submitted before has been queued, the writer is this
     * lease's alone until {@link PoolLease#release()}; writes submitted meanwhile (and other lease
     * requests) wait, in order. Used by the R2DBC driver for transactions that span calls.
     *
     * @param timeoutNanos how long to wait for the writer; 0 or less: fail at once if it is not
     *     free
     * @return a future completed with the lease on the completion executor, or failed with
     *     {@link java.sql.SQLTransientException} after the timeout, with {@link
     *     java.sql.SQLNonTransientConnectionException} if the pool is closed, or with {@link
     *     java.sql.SQLNonTransientException} in read-only mode; cancelling it while it waits
     *     withdraws the request
     */
    public CompletableFuture<PoolLease> leaseWriter(long timeoutNanos) {
        return leases.watch(writerQueue.lease(timeoutNanos));
    }

    /**
     * Leases a reader, waiting in line with {@link #read} requests (same {@code acquireTimeout}
     * and {@code maxWaiters}). The reader is {@code query_only} and in autocommit mode; the holder
     * may begin a read transaction on it.
     *
     * @return a future completed with the lease, or failed as {@link #read} fails to get a reader;
     *     cancelling it while it waits withdraws the request
     */
    public CompletableFuture<PoolLease> leaseReader() {
        return leases.watch(readerQueue.lease());
    }

    /** {@return how many leases are granted and not yet released (diagnostics and tests)} */
    public int leasesHeld() {
        return leases.held();
    }

    // ------------------------------------------------------------------------- statements

    @Override
    public CompletableFuture<Long> execute(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Object[] args = params == null ? null : params.clone();
        return route(sql, c -> c.run(s -> s.execute(sql, args)));
    }

    @Override
    public CompletableFuture<List<Row>> executeFetchAll(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Object[] args = params == null ? null : params.clone();
        return route(sql, c -> c.executeFetchAll(sql, args));
    }

    @Override
    public <T> CompletableFuture<List<T>> executeFetchAll(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        Object[] args = params == null ? null : params.clone();
        return route(sql, c -> c.executeFetchAll(sql, mapper, args));
    }

    @Override
    public Flow.Publisher<List<Row>> watch(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        return liveHub.publisher(sql, null, params);
    }

    @Override
    public <T> Flow.Publisher<List<T>> watch(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        return liveHub.publisher(sql, mapper, params);
    }

    private <T> CompletableFuture<T> route(String sql, Function<AsyncConnection, CompletableFuture<T>> work) {
        switch (PoolRouting.route(ParsedSql.of(sql))) {
            case READER:
                return readerQueue.submit(work);
            case WRITER:
                return writerQueue.submit(work);
            default:
                throw new IllegalArgumentException("a pool runs transaction control and ATTACH/DETACH"
                        + " on no connection, since each statement may run on a different one; sql was '"
                        + Errors.abbreviate(sql) + "'; use SqlitePool.transaction(body) for a"
                        + " transaction, SqliteConfig.Builder.pragma for per-connection settings");
        }
    }

    // ---------------------------------------------------------------------------- state

    @Override
    public PoolMetrics metrics() {
        synchronized (state.lock) {
            return state.metrics(readerQueue.size(), readerQueue.busy(), readerQueue.waiting(),
                    leases.held());
        }
    }

    @Override
    public String name() {
        return state.name;
    }

    @Override
    public boolean isReadOnly() {
        return writer == null;
    }

    @Override
    public boolean isClosed() {
        synchronized (state.lock) {
            return state.closed;
        }
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        synchronized (state.lock) {
            if (closeFuture != null) {
                return closeFuture;
            }
            state.closed = true;
            closeFuture = new CompletableFuture<>();
        }
        CompletableFuture<Void> done = closeFuture;
        liveHub.close();
        CompletableFuture<Void> readersDrained = readerQueue.drain();
        CompletableFuture<Void> groupsDrained = groupCommit.drain();
        CompletableFuture<Void> writerDrained = writerQueue.drain();
        CompletableFuture<Void> drained = CompletableFuture.allOf(readersDrained, groupsDrained, writerDrained);
        leases.reclaimAfterGrace(drained);
        drained.thenCompose(v -> PoolLifecycle.closeWriter(state, writer)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "pool '" + state.name + "': closing the writer failed",
                        Errors.unwrap(e));
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "closed pool '" + state.name + "'");
            state.complete(() -> done.complete(null));
        });
        return done;
    }

    @Override
    public void close() {
        // Once closed, the connections' threads may run other connections (threads are reused):
        // calling close() again from one of them must not be mistaken for a call from a body.
        if (!(closeFuture != null && closeFuture.isDone())
                && workerThreads.contains(Thread.currentThread())) {
            throw new IllegalStateException("close() called on a worker thread of pool '" + state.name
                    + "' (inside a body): it would wait for itself; call closeAsync() instead");
        }
        closeAsync().join();
    }

    @Override
    public String toString() {
        return "SqlitePool{name=" + state.name + ", database=" + state.database + ", " + metrics() + "}";
    }
}
