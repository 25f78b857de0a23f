package io.github.aiosqlite4j.internal.live;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.RowMapper;
import io.github.aiosqlite4j.internal.engine.Errors;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.sqlite.SQLiteConnection;

/**
 * The live queries of one connection or pool: the watchers, the hooks on the connection that
 * writes, and the {@code PRAGMA data_version} poll.
 *
 * <p><b>Changes.</b> The first watcher registers a {@link ChangeListener} on the writing
 * connection (before that, and after the last watcher left, no hook of ours is there: the write
 * path pays nothing). A commit hands the hub the tables it changed; the hub then queues a task
 * on that connection which, running after the COMMIT statement returned (so a new read
 * transaction sees it), picks the watchers reading one of those tables; they become stale. A
 * stale watcher re-queries when it has demand; a watcher is never behind by more than one
 * re-query, and keeps at most one result (see {@link Watcher}).
 *
 * <p><b>Other connections and processes.</b> Their commits fire no hook here. While someone
 * watches, every {@code pollInterval} the hub reads {@code PRAGMA data_version} on the writing
 * connection, unless a commit of its own came since the last look (then it looks at the next
 * tick); when the value moved, every watcher re-queries (an unchanged result is not emitted).
 * Without a writing connection (a read-only pool) each tick re-queries every watcher.
 *
 * <p>Threads: the hooks run on the writer's worker ({@link #committed}, {@link #rolledBack}); the
 * rest on the completion executor, the poll timer or a caller's thread, under {@code this}.
 */
public final class LiveHub {
    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");

    /** Runs one watcher's query. */
    public interface Querier {
        /**
         * Returns the result, or null when it could not run now (it is retried at the next commit,
         * rollback or poll).
         *
         * @param mapper null for rows
         * @param hasUncommittedWrites true (asked on the worker that runs the query) while the
         *     connection it runs on holds changes not committed: the query must not see them
         * @return the result, or null when it could not run now (it is retried at the next commit,
         *     rollback or poll)
         */
        <T> CompletableFuture<List<T>> query(String sql, RowMapper<T> mapper, Object[] params,
                BooleanSupplier hasUncommittedWrites);
    }

    private static final class PollTimer {
        static final ScheduledExecutorService TIMER = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "aiosqlite4j-live-poll");
                thread.setDaemon(true);
                return thread;
            });
            t.setRemoveOnCancelPolicy(true);
            // The thread ends a second after the last poll is cancelled (nobody watches).
            t.setKeepAliveTime(1, TimeUnit.SECONDS);
            t.allowCoreThreadTimeOut(true);
            return Executors.unconfigurableScheduledExecutorService(t);
        }
    }

    private final AsyncConnection writer;
    private final Querier querier;
    private final Function<String, CompletableFuture<Set<String>>> tables;
    private final Duration pollInterval;
    private final Executor executor;

    private final Set<Watcher<?>> watchers = new HashSet<>();
    /** Registered on the writer while someone watches; null otherwise. */
    private ChangeListener listener;
    /** Completes when the current listener is registered; null while nobody watches. */
    private CompletableFuture<Void> listening;
    /** The listener the current registration attaches (set on the writer's worker). */
    private ChangeListener[] registering;
    /** Tables committed and not yet handed to the watchers. */
    private Set<String> pending = new HashSet<>();
    private boolean flushQueued;
    /** A watcher waits for the writer's uncommitted changes to end. */
    private boolean deferred;
    /** A commit of the writer's own since the last poll tick. */
    private boolean busy;
    private ScheduledFuture<?> poll;
    private long dataVersion = Long.MIN_VALUE;
    private boolean polling;
    private boolean closed;

    /**
     * @param writer the connection whose commits the hooks see (and whose {@code data_version} is
     *     polled); null for none (a read-only pool)
     * @param querier runs the watchers' queries
     * @param tables the tables a query reads ({@link ReadTables}); a null set means every change
     * @param pollInterval how often {@code data_version} is read while idle; zero for never
     * @param executor the completion executor (what the hooks start runs there, never in SQLite)
     */
    public LiveHub(AsyncConnection writer, Querier querier,
            Function<String, CompletableFuture<Set<String>>> tables, Duration pollInterval,
            Executor executor) {
        this.writer = writer;
        this.querier = querier;
        this.tables = tables;
        this.pollInterval = pollInterval;
        this.executor = executor;
    }

    /**
     * Returns a publisher of the query's results; each subscription is one watcher.
     *
     * @param mapper null for {@link io.github.aiosqlite4j.Row}s
     * @param params the caller's values (copied here)
     * @return a publisher of the query's results; each subscription is one watcher
     * @throws IllegalArgumentException if sql is not one read-only statement
     */
    public <T> Flow.Publisher<List<T>> publisher(String sql, RowMapper<T> mapper, Object[] params) {
        ParsedSql parsed = ParsedSql.of(sql);
        if (parsed.isEmpty() || parsed.hasMultipleStatements() || !parsed.isReadOnly()) {
            throw new IllegalArgumentException("watch needs one read-only statement (a query), was: "
                    + Errors.abbreviate(sql));
        }
        Object[] p = params == null ? new Object[0] : params.clone();
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber must not be null");
            Watcher<T> w = new Watcher<>(this, subscriber, sql, mapper, p);
            subscriber.onSubscribe(w);
            start(w);
        };
    }

    /** Ends every watcher (onComplete) and stops the poll: the connection or pool closes. */
    public void close() {
        List<Watcher<?>> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(watchers);
            watchers.clear();
            stopListening();
        }
        all.forEach(Watcher::complete);
    }

    // --------------------------------------------------------------------------- watchers

    private <T> void start(Watcher<T> w) {
        tables.apply(w.sql).thenCompose(t -> {
            w.tables = t;
            return register(w);
        }).whenComplete((v, e) -> {
            if (e != null) {
                w.fail(Errors.unwrap(e));
            } else {
                w.invalidate();
            }
        });
    }

    private synchronized CompletableFuture<Void> register(Watcher<?> w) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
        if (w.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        watchers.add(w);
        if (listening == null) {
            listening = listen();
            if (pollInterval.toNanos() > 0) {
                long nanos = pollInterval.toNanos();
                poll = PollTimer.TIMER.scheduleWithFixedDelay(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
            }
        }
        return listening;
    }

    /** The watcher ended (cancelled, failed, completed). */
    synchronized void unregister(Watcher<?> w) {
        if (watchers.remove(w) && watchers.isEmpty()) {
            stopListening();
        }
    }

    private CompletableFuture<Void> listen() {
        if (writer == null) {
            return CompletableFuture.completedFuture(null);
        }
        ChangeListener[] slot = new ChangeListener[1];
        registering = slot;
        return writer.withJdbc(c -> {
            SQLiteConnection conn = c.unwrap(SQLiteConnection.class);
            ChangeListener l = new ChangeListener(this, conn, writer.inTransaction());
            l.attach(conn);
            long version;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA data_version")) {
                version = rs.getLong(1);
            }
            synchronized (this) {
                slot[0] = l;
                listener = l;
                dataVersion = version; // before the first watcher's first query
            }
            return null;
        });
    }

    /** Under this: the hooks go (queued behind the registration), the poll stops. */
    private void stopListening() {
        if (poll != null) {
            poll.cancel(false);
            poll = null;
        }
        if (listening == null) {
            return;
        }
        listening = null;
        ChangeListener[] slot = registering;
        registering = null;
        if (writer != null && !writer.isClosed()) {
            // Queued behind the registration, so slot[0] is set by then (unless it failed); a
            // registration for a new watcher is queued behind this and attaches its own.
            writer.withJdbc(c -> {
                ChangeListener l;
                synchronized (this) {
                    l = slot[0];
                    if (listener == l) {
                        listener = null;
                    }
                }
                if (l != null) {
                    l.detach(c.unwrap(SQLiteConnection.class));
                }
                return null;
            });
        }
    }

    /**
     * Worker of the connection the query runs on (a single connection: the writer): whether the
     * connection holds uncommitted changes the query must not see.
     */
    synchronized boolean writerHasUncommittedChanges(Watcher<?> w) {
        if (listener == null || !listener.uncommittedChanges(writer.inTransaction())) {
            return false;
        }
        // Before the hook that ends them (it runs on this thread too) can look for waiters.
        deferred = true;
        w.waitForTransactionEnd();
        return true;
    }

    Querier querier() {
        return querier;
    }

    // ---------------------------------------------------------------------------------- hooks

    /** Writer's worker, in the commit hook: the tables the update hook saw committed. */
    void committed(Set<String> changed) {
        synchronized (this) {
            if (closed) {
                return;
            }
            busy = true;
            pending.addAll(changed);
            if (flushQueued) {
                return;
            }
            flushQueued = true;
        }
        queueFlush();
    }

    /** Writer's worker, in the rollback hook: a watcher waiting for it re-queries. */
    void rolledBack() {
        synchronized (this) {
            if (closed || !deferred || flushQueued) {
                return;
            }
            flushQueued = true;
        }
        queueFlush();
    }

    /**
     * The COMMIT has not returned yet when its hook runs: the changes are taken by a task queued
     * behind it on the writer, which therefore sees only commits that are complete (a later
     * commit's hook queues the next one); the watchers re-query on the completion executor.
     */
    private void queueFlush() {
        writer.run(s -> staleWatchers(true)).whenCompleteAsync((stale, e) -> {
            (e == null ? stale : staleWatchers(false)).forEach(Watcher::invalidate);
        }, executor);
    }

    /** @param settled on the writer's worker, between statements: unnamed changes can be counted */
    private synchronized List<Watcher<?>> staleWatchers(boolean settled) {
        flushQueued = false;
        boolean all = !settled || listener != null && listener.settle(writer.inTransaction());
        boolean waiters = deferred;
        Set<String> changed = pending;
        deferred = false;
        pending = new HashSet<>();
        List<Watcher<?>> stale = new ArrayList<>();
        for (Watcher<?> w : watchers) {
            if (all || w.reads(changed) || waiters && w.isWaiting()) {
                stale.add(w);
            }
        }
        return stale;
    }

    // ------------------------------------------------------------------------------ polling

    private void tick() {
        synchronized (this) {
            if (closed || polling) {
                return;
            }
            if (busy) {
                busy = false;
                return;
            }
            polling = true;
        }
        CompletableFuture<Long> version = writer == null
                ? CompletableFuture.completedFuture(null)
                : writer.executeFetchAll("PRAGMA data_version").thenApply(rows -> rows.get(0).getLong(0));
        version.whenComplete((v, e) -> {
            List<Watcher<?>> stale;
            synchronized (this) {
                polling = false;
                if (e != null) {
                    LOG.log(System.Logger.Level.DEBUG, "live queries: PRAGMA data_version failed", e);
                    return;
                }
                boolean moved = v == null || (dataVersion != Long.MIN_VALUE && v != dataVersion);
                dataVersion = v == null ? dataVersion : v;
                stale = new ArrayList<>();
                for (Watcher<?> w : watchers) {
                    if (moved || w.isWaiting()) {
                        stale.add(w);
                    }
                }
            }
            stale.forEach(Watcher::invalidate);
        });
    }
}
