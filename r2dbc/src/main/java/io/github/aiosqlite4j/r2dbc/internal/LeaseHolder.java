package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.pool.DefaultSqlitePool;
import io.github.aiosqlite4j.internal.pool.PoolLease;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * What one {@link PooledConnection} holds of its pool: the leases it asked for, the transaction's
 * lease among them, and the results still reading from one. Kept apart from the connection, and
 * never referring to it, so that a connection nobody closed can be garbage-collected: its {@link
 * Cleaner} action is {@link #run()}, which gives everything back.
 *
 * <p><b>Transactions</b> are begun without a lease ({@link #begin}); their first operation takes
 * one ({@link #start()}) and runs {@code BEGIN}. So a transaction given up before its first
 * statement (a caller that timed out as it began) holds nothing, whoever forgets to end it.
 *
 * <p><b>Leases and their users.</b> Every lease requested is a {@link Lease}. It counts its users:
 * operations running on it and results reading from it. It goes back to the pool only when it has
 * none, so nothing of this connection is queued on its SQLite connection at that moment and the
 * pool's rollback of an open transaction sees the final state. When the last user leaves, the
 * lease stays as the transaction's ({@link #held}) if its connection is inside a transaction, the
 * connection is open and the lease was not given up; otherwise it goes back.
 *
 * <p><b>Operations</b> ({@link Op}) run once per subscription of their Mono; a cancelled
 * subscription cancels the operation at whatever point it has reached. Waiting for its lease, it
 * withdraws the request (a lease granted anyway is given back); running, it stops its statement
 * and leaves the lease once the worker is done with it; finished but not yet handed over, it
 * closes the result it made. The start of a transaction cancelled before its completion was
 * handed over gives up the lease it took, even after {@code BEGIN} ran (nothing else ran in the
 * transaction, which stays begun). A cancel that comes after the hand-over is a no-op (as
 * Reactive Streams requires); so is a cancelled statement inside a transaction, which stays held
 * until commit, rollback, {@link #close()} or, for a connection never closed, its collection.
 *
 * <p>All state is guarded by {@link #lock}; work is only queued (never run) while it is held.
 */
final class LeaseHolder implements Runnable {

    private static final System.Logger LOG = System.getLogger(PooledConnection.class.getName());

    /** Runs the actions of pooled connections that were collected before being closed. */
    static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "aiosqlite4j-r2dbc-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** Which lease an operation runs on. */
    enum Target {
        /** The transaction's lease; without one, the operation does nothing. Ends the transaction. */
        HELD,
        /** The transaction's lease, else a lease of its own, given back when it ends. */
        ANY,
        /** The transaction's lease, else a new one that becomes the transaction's ({@link #start()}). */
        HOLD
    }

    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int CANCELLED = 3;

    private final DefaultSqlitePool pool;
    private final Object lock = new Object();
    /** The transaction's lease (perhaps not granted yet), or null. */
    private Lease held;
    /** A transaction begun and not started on a lease yet (no statement ran in it), or null. */
    private Begin pending;
    private boolean closed;
    /** Told of each lease this connection uses and gives back (instrumentation), or null. */
    private volatile SqliteConnectionFactory.LeaseObserver observer;
    /** Results that read from a lease, until closed. */
    private final Set<BaseConnection.Executed> open = new HashSet<>();

    LeaseHolder(DefaultSqlitePool pool) {
        this.pool = pool;
    }

    /** How to start a begun transaction: on the writer or a reader, its wait, its BEGIN. */
    private record Begin(boolean writer, Duration lockWait, String sql) {
    }

    /** One lease request of this connection and how it is used; guarded by the holder's lock. */
    private static final class Lease {
        final CompletableFuture<PoolLease> request;
        PoolLease granted;
        /** Operations running on it and results reading from it. */
        int users;
        /** Given up: goes back when its last user leaves, never kept for a transaction. */
        boolean discard;
        /** Kept for a transaction once. */
        boolean kept;
        /** Given back (or its request failed). */
        boolean gone;
        /** The observer told it was leased, and so told when it goes back; or null. */
        SqliteConnectionFactory.LeaseObserver observer;
        /** Completed once given back, for close() to wait on; null if nobody waits. */
        CompletableFuture<Void> back;

        Lease(CompletableFuture<PoolLease> request) {
            this.request = request;
        }
    }

    // ------------------------------------------------------------------------------ state

    /** {@return whether a transaction is open: begun, or holding a lease} */
    boolean inTransaction() {
        synchronized (this.lock) {
            return this.held != null || this.pending != null;
        }
    }

    /** {@return whether {@link #close()} (or the cleaner) ran} */
    boolean isClosed() {
        synchronized (this.lock) {
            return this.closed;
        }
    }

    /** Sets (or with null, removes) the lease observer; see {@link SqliteConnectionFactory#observeLeases}. */
    void observe(SqliteConnectionFactory.LeaseObserver o) {
        this.observer = o;
    }

    /** Tells an observer of a lease taken or given back; what it throws is logged. */
    private static void tell(SqliteConnectionFactory.LeaseObserver o, boolean leased, AsyncConnection c) {
        try {
            if (leased) {
                o.leased(c);
            } else {
                o.released(c);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a LeaseObserver failed; ignored", e);
        }
    }

    // ------------------------------------------------------------------------ transactions

    /**
     * Begins a transaction, unless one is open, without taking a pool connection: {@link #start()}
     * does that, before the transaction's first statement. So a transaction given up before its
     * first statement holds nothing.
     *
     * @param writer whether it needs the writer (else a reader: a read-only transaction)
     * @param wait how long its first statement waits for the writer
     * @param sql its {@code BEGIN}
     * @throws io.r2dbc.spi.R2dbcNonTransientResourceException if closed
     */
    void begin(boolean writer, Duration wait, String sql) {
        synchronized (this.lock) {
            if (this.closed) {
                throw ExceptionFactory.closed("begin a transaction");
            }
            if (this.held == null && this.pending == null) {
                this.pending = new Begin(writer, wait, sql);
            }
        }
    }

    /**
     * Starts the begun transaction: takes its lease (which it holds until it ends) and runs
     * {@code BEGIN}. Cancelled before it completes, it gives the lease up again; the transaction
     * stays begun.
     *
     * @return the Mono that starts it, or null if no transaction waits to be started
     */
    Mono<Object> start() {
        Begin b;
        synchronized (this.lock) {
            b = this.held == null ? this.pending : null;
        }
        if (b == null) {
            return null;
        }
        return run(Target.HOLD, b.writer(), b.lockWait(), session -> {
            if (!session.inTransaction()) {
                session.execute(b.sql());
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------- operations

    /**
     * Runs a body on the worker of a lease, once per subscription.
     *
     * @param target which lease
     * @param writer for a new lease: the writer, else a reader
     * @param wait for a new writer lease: how long to wait for the writer
     * @param body the work
     * @return the body's result, signalled once the lease is settled (kept or given back)
     */
    <T> Mono<T> run(Target target, boolean writer, Duration wait, SqlFunction<SqliteSession, T> body) {
        return Mono.create(sink -> new BodyOp<>(sink, body).enter(target, writer, wait));
    }

    /**
     * Executes a statement on a lease ({@link Target#ANY}), once per subscription. A result with
     * rows keeps the lease until it is closed.
     *
     * @return the executed cursor
     */
    Mono<BaseConnection.Executed> execute(boolean writer, Duration wait, String sql,
            Object[] params, int fetchSize, Duration statementTimeout) {
        return Mono.create(sink -> new CursorOp(sink, sql, params, fetchSize, statementTimeout)
                .enter(Target.ANY, writer, wait));
    }

    /**
     * One operation on a lease, signalled through a {@link MonoSink}: the sink hands the outcome
     * to the subscriber or, if the subscriber cancelled first, calls {@link #cancelled()}
     * instead; never both. So a cancel is handled even when it comes after the work is done but
     * before its outcome was handed over (the start of a transaction then gives its lease back).
     */
    private abstract class Op<T> {
        private final MonoSink<T> sink;
        private Lease lease;
        /** Whether this operation asked for its lease (else it uses the held one). */
        private boolean own;
        /** Whether it took the transaction's lease ({@link #start()}): cancelled, it gives it up. */
        private boolean begins;
        private int phase = WAITING;
        private CompletableFuture<?> running;
        /** A result made and not yet handed over, to close if the hand-over is cancelled. */
        private BaseConnection.Executed result;

        Op(MonoSink<T> sink) {
            this.sink = sink;
        }

        /** Queues the work on the worker; called under the lock. */
        abstract CompletableFuture<?> start(AsyncConnection c);

        /** A future completed once nothing of this operation is left on the worker. */
        abstract CompletableFuture<?> settle(AsyncConnection c);

        /** The work succeeded: leave the lease (or hand it to a result), then signal. */
        abstract void succeeded(Object value, Lease l);

        final void enter(Target target, boolean writer, Duration wait) {
            this.sink.onCancel(this::cancelled); // runs at once if cancelled already
            Lease l;
            boolean wasClosed;
            synchronized (lock) {
                if (this.phase != WAITING) {
                    return; // cancelled on subscription
                }
                wasClosed = closed;
                if (target == Target.HELD) {
                    pending = null; // the transaction ends (on its lease, if it has one)
                }
                l = wasClosed ? null : held;
                if (!wasClosed && l == null && target != Target.HELD) {
                    l = new Lease(writer ? pool.leaseWriter(wait.toNanos()) : pool.leaseReader());
                    this.own = true;
                    if (target == Target.HOLD) {
                        this.begins = true;
                        held = l;
                    }
                }
                this.lease = l;
                if (l == null) {
                    this.phase = DONE;
                }
            }
            if (l != null) {
                l.request.whenComplete(this::granted);
            } else if (wasClosed) {
                this.sink.error(ExceptionFactory.closed("run a statement"));
            } else {
                this.sink.success(); // HELD, and no transaction: nothing to do
            }
        }

        private void granted(PoolLease granted, Throwable error) {
            Lease l = this.lease;
            CompletableFuture<?> started = null;
            Throwable failure = null;
            boolean back = false;
            synchronized (lock) {
                if (error != null) {
                    back = !l.gone;
                    gone(l);
                    failure = ExceptionFactory.unwrap(error);
                } else {
                    l.granted = granted;
                    if (this.phase == WAITING && !l.gone && !l.discard) {
                        l.users++;
                        this.phase = RUNNING;
                        SqliteConnectionFactory.LeaseObserver o = observer;
                        if (o != null && l.observer == null) {
                            l.observer = o; // told before the work is queued: it sees all of it
                            tell(o, true, granted.connection());
                        }
                        try {
                            started = start(granted.connection());
                        } catch (RuntimeException e) {
                            started = CompletableFuture.failedFuture(e);
                        }
                        this.running = started;
                    } else {
                        failure = closed ? ExceptionFactory.closed("run a statement")
                                : new ExceptionFactory.NonTransientResource("Cannot run: the"
                                        + " transaction this waited for was given up (its begin"
                                        + " was cancelled)", null, 0, 0, null, null);
                        // Cancelled, or given up meanwhile: a lease nobody uses goes back.
                        if (!l.gone && l.users == 0 && (l.discard || this.own)) {
                            back = true;
                            gone(l);
                        }
                    }
                }
                if (this.phase != WAITING) {
                    failure = null; // cancelled: nobody to tell
                } else if (failure != null) {
                    this.phase = DONE;
                }
            }
            if (back) {
                giveBack(l);
            }
            if (failure != null) {
                this.sink.error(failure);
            }
            if (started != null) {
                started.whenComplete(this::ran);
            }
        }

        private void ran(Object value, Throwable error) {
            Lease l = this.lease;
            synchronized (lock) {
                if (this.phase != RUNNING) {
                    return; // cancelled: cancelled() settles and leaves
                }
                this.phase = DONE;
            }
            if (error == null) {
                succeeded(value, l);
            } else {
                settle(l.granted.connection()).whenComplete((v, e) -> {
                    exit(l);
                    this.sink.error(ExceptionFactory.unwrap(error));
                });
            }
        }

        /** The subscriber cancelled before the outcome was handed over. */
        private void cancelled() {
            Lease l;
            int was;
            BaseConnection.Executed unread;
            boolean back = false;
            synchronized (lock) {
                was = this.phase;
                this.phase = CANCELLED;
                l = this.lease;
                if (was == CANCELLED || l == null) {
                    return;
                }
                unread = this.result;
                if (this.begins) { // its caller never learned of the transaction: give it up
                    l.discard = true;
                    if (held == l) {
                        held = null;
                    }
                    if (was == DONE && l.users == 0 && !l.gone) {
                        back = true;
                        gone(l);
                    }
                }
            }
            if (was == WAITING) {
                if (this.own) {
                    l.request.cancel(true); // a lease granted anyway is given back by granted()
                }
            } else if (was == RUNNING) {
                this.running.cancel(true);
                settle(l.granted.connection()).whenComplete((v, e) -> exit(l));
            } else if (unread != null) {
                unread.close();
            }
            if (back) {
                giveBack(l);
            }
        }

        /** Leaves the lease, then signals; for work that left nothing behind. */
        final void leaveAndSucceed(Lease l, T value) {
            exit(l);
            this.sink.success(value);
        }

        /** Hands a result over, unless the operation was cancelled or the connection closed. */
        final void handOver(BaseConnection.Executed executed, T value) {
            boolean keep;
            boolean wasClosed;
            synchronized (lock) {
                wasClosed = closed;
                keep = this.phase == DONE && !wasClosed;
                if (keep) {
                    this.result = executed;
                }
            }
            if (!keep) {
                executed.close();
                if (wasClosed) {
                    this.sink.error(ExceptionFactory.closed("read a result"));
                }
                return;
            }
            this.sink.success(value); // cancelled meanwhile: cancelled() closes it
        }
    }

    /** A body run on the worker. */
    private final class BodyOp<T> extends Op<T> {
        private final SqlFunction<SqliteSession, T> body;

        BodyOp(MonoSink<T> sink, SqlFunction<SqliteSession, T> body) {
            super(sink);
            this.body = body;
        }

        @Override
        CompletableFuture<?> start(AsyncConnection c) {
            return c.run(this.body);
        }

        @Override
        CompletableFuture<?> settle(AsyncConnection c) {
            return c.run(s -> null);
        }

        @Override
        @SuppressWarnings("unchecked")
        void succeeded(Object value, Lease l) {
            leaveAndSucceed(l, (T) value);
        }
    }

    /** A statement executed on a cursor. */
    private final class CursorOp extends Op<BaseConnection.Executed> {
        private final String sql;
        private final Object[] params;
        private final int fetchSize;
        private final Duration statementTimeout;
        private AsyncCursor cursor;

        CursorOp(MonoSink<BaseConnection.Executed> sink, String sql, Object[] params, int fetchSize,
                Duration statementTimeout) {
            super(sink);
            this.sql = sql;
            this.params = params;
            this.fetchSize = fetchSize;
            this.statementTimeout = statementTimeout;
        }

        @Override
        CompletableFuture<?> start(AsyncConnection c) {
            CompletableFuture<AsyncCursor> made = c.cursor(); // done at once, no round trip
            if (!made.isDone() || made.isCompletedExceptionally()) {
                return made;
            }
            this.cursor = made.join();
            return BaseConnection.execute(this.cursor, this.sql, this.params, this.fetchSize,
                    this.statementTimeout);
        }

        @Override
        CompletableFuture<?> settle(AsyncConnection c) {
            // Closing the cursor is queued behind its statement, and releases what it holds.
            return this.cursor != null ? this.cursor.closeAsync() : c.run(s -> null);
        }

        @Override
        void succeeded(Object value, Lease l) {
            AsyncCursor c = (AsyncCursor) value;
            if (c.description().isEmpty()) {
                // No rows: close now, so that the connection's state (a COMMIT ended the
                // transaction) is settled before the result is seen.
                c.closeAsync().whenComplete((v, e) ->
                        leaveAndSucceed(l, new BaseConnection.Executed(c, null)));
                return;
            }
            BaseConnection.Executed executed = track(c, l);
            handOver(executed, executed);
        }
    }

    /** A result that uses {@code l} until closed; made here so that it refers to this holder only. */
    private BaseConnection.Executed track(AsyncCursor cursor, Lease l) {
        BaseConnection.Executed executed = new BaseConnection.Executed(cursor, e -> {
            synchronized (this.lock) {
                this.open.remove(e);
            }
            exit(l);
        });
        synchronized (this.lock) {
            this.open.add(executed);
        }
        return executed;
    }

    /**
     * A user leaves {@code l}. The last one keeps it as the transaction's if it is inside one,
     * else gives it back.
     */
    private void exit(Lease l) {
        synchronized (this.lock) {
            if (--l.users > 0 || l.gone) {
                return;
            }
            PoolLease p = l.granted;
            boolean inTransaction = !p.isReleased() && p.connection().inTransaction();
            if (!l.discard && !this.closed && inTransaction && (this.held == null || this.held == l)) {
                this.held = l;
                l.kept = true;
                return;
            }
            if (this.held == l && l.kept && !l.discard && !inTransaction) {
                this.pending = null; // ended by COMMIT or ROLLBACK run as a statement
            }
            gone(l);
        }
        giveBack(l);
    }

    /** Marks {@code l} given back (the caller then calls {@link #giveBack}); under the lock. */
    private void gone(Lease l) {
        l.gone = true;
        if (this.held == l) {
            this.held = null;
        }
    }

    /** Releases a lease just marked {@link #gone}, outside the lock. */
    private void giveBack(Lease l) {
        CompletableFuture<Void> waiting;
        PoolLease p;
        SqliteConnectionFactory.LeaseObserver o;
        synchronized (this.lock) {
            waiting = l.back;
            p = l.granted;
            o = l.observer;
        }
        if (o != null) {
            tell(o, false, p.connection()); // before another user can have it
        }
        CompletableFuture<Void> released = p == null ? CompletableFuture.completedFuture(null) : p.release();
        if (waiting != null) {
            released.whenComplete((v, e) -> waiting.complete(null));
        }
    }

    // ------------------------------------------------------------------------------ close

    /**
     * Closes the results not consumed yet and gives the transaction's lease back (the pool rolls
     * back what is open). Idempotent.
     *
     * @return a future completed once the transaction's lease is back in the pool
     */
    CompletableFuture<Void> close() {
        return shut(false);
    }

    /** Cleaner action: the connection was collected without being closed. */
    @Override
    public void run() {
        shut(true);
    }

    private CompletableFuture<Void> shut(boolean collected) {
        Lease h;
        List<BaseConnection.Executed> results = new ArrayList<>();
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        boolean back = false;
        boolean withdraw = false;
        synchronized (this.lock) {
            if (this.closed) {
                return done;
            }
            this.closed = true;
            this.pending = null;
            h = this.held;
            this.held = null;
            for (BaseConnection.Executed e : this.open) {
                // A result being read when its connection is collected reads on; it gives its
                // lease back when it ends or is cancelled.
                if (!collected || !e.taken().get()) {
                    results.add(e);
                }
            }
            if (h != null) {
                h.discard = true;
                h.back = done = new CompletableFuture<>();
                if (h.granted == null) {
                    withdraw = true;
                } else if (h.users == 0) {
                    back = true;
                    gone(h);
                }
            }
        }
        if (collected && (h != null || !results.isEmpty())) {
            LOG.log(System.Logger.Level.WARNING, "a pooled R2DBC connection of pool '"
                    + this.pool.name() + "' was garbage-collected before being closed, holding "
                    + (h != null ? "a transaction (rolled back now)" : "unread results (closed now)")
                    + "; its pool connections go back to the pool. Close connections with"
                    + " Connection.close() (Flux.usingWhen, or a connection pool, does it).");
        }
        for (BaseConnection.Executed e : results) {
            e.close();
        }
        if (withdraw) {
            h.request.cancel(true); // granted meanwhile: the operation waiting for it gives it back
        }
        if (back) {
            giveBack(h);
        }
        return done;
    }
}
