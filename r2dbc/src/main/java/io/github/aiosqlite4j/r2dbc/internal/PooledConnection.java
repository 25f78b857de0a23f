package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.DefaultSqlitePool;
import io.github.aiosqlite4j.internal.PoolLease;
import io.github.aiosqlite4j.internal.PoolRouting;
import io.github.aiosqlite4j.internal.SqlScanner;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * An R2DBC connection over a {@link SqlitePool}: it owns no SQLite connection of its own, but
 * leases one of the pool's per statement or per transaction, so that any number of R2DBC
 * connections share one writer and the pool's readers, and writers queue instead of failing with
 * {@code SQLITE_BUSY}.
 *
 * <ul>
 *   <li>Outside a transaction, each statement is routed as {@link SqlitePool#execute} routes it:
 *       a read-only statement ({@code SELECT}, {@code VALUES}, {@code WITH ... SELECT}, a PRAGMA
 *       that reads) on a reader, anything else on the writer, where it commits by itself. The
 *       connection is held until the result's rows are consumed or cancelled.
 *   <li>A transaction ({@code beginTransaction}, auto-commit off, a savepoint, or {@code BEGIN}
 *       run as a statement) holds the writer from its start to its end; other writes of the pool
 *       wait behind it, at most the lock-wait timeout, then fail with {@link
 *       io.r2dbc.spi.R2dbcTransientResourceException}. A read-only transaction ({@link
 *       TransactionDefinition#READ_ONLY}) holds a reader instead: one consistent snapshot,
 *       beside the writes.
 *   <li>{@code ATTACH} and {@code DETACH} are refused: they would change one connection of the
 *       pool, not this one. Per-connection set-up (attached databases, functions, collations)
 *       belongs in {@link io.github.aiosqlite4j.SqliteConfig.Builder#onOpen}, which every
 *       connection of the pool runs.
 * </ul>
 *
 * <p>Isolation: SQLite transactions are {@code SERIALIZABLE}; the level set here is recorded and
 * reported, and {@code READ_UNCOMMITTED} has no effect (it needs shared cache, which a pool on a
 * file does not use). {@link #close()} rolls back an open transaction and gives its connection
 * back; the pool stays open (the factory closes it).
 */
public final class PooledConnection extends BaseConnection implements Wrapped<SqlitePool> {

    private final DefaultSqlitePool pool;
    private final Object lock = new Object();
    /** The lease of the open transaction (perhaps still on its way); guarded by the lock. */
    private CompletableFuture<PoolLease> held;
    private boolean closed;
    /** Results not consumed yet, closed by {@link #close()}. */
    private final Set<Executed> open = ConcurrentHashMap.newKeySet();

    /**
     * An R2DBC connection on {@code pool}.
     *
     * @param pool the pool; the connection does not close it
     * @param beginMode how {@code BEGIN} locks: DEFERRED, IMMEDIATE or EXCLUSIVE
     * @param statementTimeout the initial statement timeout, {@link Duration#ZERO} for none
     * @param lockWaitTimeout how long a transaction waits for the writer
     */
    public PooledConnection(SqlitePool pool, io.github.aiosqlite4j.IsolationLevel beginMode,
            Duration statementTimeout, Duration lockWaitTimeout) {
        super(beginMode, statementTimeout, lockWaitTimeout);
        this.pool = (DefaultSqlitePool) pool;
    }

    @Override
    public SqlitePool unwrap() {
        return this.pool;
    }

    // ------------------------------------------------------------------------ leasing

    /** A lease in use for one operation; {@code transaction}: it is the connection's held one. */
    private record Use(PoolLease lease, boolean transaction) {
        AsyncConnection connection() {
            return this.lease.connection();
        }
    }

    /**
     * The connection to run on: the transaction's, if one is held; else, if {@code transaction},
     * a new lease that becomes the held one; else a new lease only for this operation.
     */
    private Mono<Use> acquire(boolean writer, boolean transaction, Duration wait) {
        return Mono.defer(() -> {
            CompletableFuture<PoolLease> f;
            synchronized (this.lock) {
                if (this.closed) {
                    return Mono.error(ExceptionFactory.closed("run a statement"));
                }
                if (this.held != null) {
                    return Mono.fromFuture(this.held, true).map(l -> new Use(l, true));
                }
                f = writer ? this.pool.leaseWriter(wait.toNanos()) : this.pool.leaseReader();
                if (transaction) {
                    CompletableFuture<PoolLease> h = f;
                    this.held = h;
                    // Subscribed to the dependent stage, so a failed lease is forgotten before
                    // the failure reaches the subscriber.
                    CompletableFuture<PoolLease> forgotten = h.whenComplete((l, e) -> {
                        if (e != null) {
                            synchronized (this.lock) {
                                if (this.held == h) {
                                    this.held = null;
                                }
                            }
                        }
                    });
                    // The begin that asked for it gives up while it waits: withdraw the request.
                    return Mono.fromFuture(forgotten, true).map(l -> new Use(l, true))
                            .doOnCancel(() -> {
                                if (h.cancel(true)) {
                                    synchronized (this.lock) {
                                        if (this.held == h) {
                                            this.held = null;
                                        }
                                    }
                                }
                            });
                }
            }
            return fresh(f).map(l -> new Use(l, false));
        });
    }

    /**
     * A Mono of a lease that nobody else shares: cancelled before it arrives, the request is
     * withdrawn; arriving after a cancel, the lease is released.
     */
    private static Mono<PoolLease> fresh(CompletableFuture<PoolLease> f) {
        return Mono.create(sink -> {
            AtomicInteger state = new AtomicInteger(); // 0 waiting, 1 delivered, 2 cancelled
            sink.onCancel(() -> {
                if (state.compareAndSet(0, 2)) {
                    f.cancel(true);
                }
            });
            f.whenComplete((lease, e) -> {
                if (e != null) {
                    if (state.compareAndSet(0, 1)) {
                        sink.error(ExceptionFactory.unwrap(e));
                    }
                } else if (state.compareAndSet(0, 1)) {
                    sink.success(lease);
                } else {
                    lease.release();
                }
            });
        });
    }

    /**
     * After an operation on {@code use}: a connection left inside a transaction stays (or
     * becomes) the held one; otherwise it goes back to the pool.
     */
    private void done(Use use) {
        PoolLease lease = use.lease();
        if (lease.isReleased()) {
            return;
        }
        boolean keep;
        synchronized (this.lock) {
            boolean isHeld = this.held != null && this.held.getNow(null) == lease;
            keep = lease.connection().inTransaction() && !this.closed
                    && (isHeld || this.held == null);
            if (keep && !isHeld) {
                this.held = CompletableFuture.completedFuture(lease); // BEGIN ran as a statement
            } else if (!keep && isHeld) {
                this.held = null;
            }
        }
        if (!keep) {
            lease.release();
        }
    }

    /**
     * {@link #done} once everything queued on the connection has run: after a cancel or an error
     * the statement may still be finishing on the worker, and its outcome decides.
     */
    private void settle(Use use) {
        use.connection().run(s -> null).whenComplete((v, e) -> done(use));
    }

    /** Runs a body on the connection {@code use} gives, then keeps or gives back the connection. */
    private <T> Mono<T> runOn(Mono<Use> use, SqlFunction<SqliteSession, T> body) {
        // done() before the signal goes on, so the subscriber sees the connection's new state.
        return use.flatMap(u -> Mono.fromFuture(() -> u.connection().run(body))
                        .doOnSuccess(v -> done(u))
                        .doOnError(e -> settle(u))
                        .doOnCancel(() -> settle(u)))
                .onErrorMap(ExceptionFactory::translate);
    }

    // -------------------------------------------------------------------------- statements

    @Override
    Mono<Executed> executeCursor(String sql, Object[] params, int fetchSize) {
        return Mono.defer(() -> {
            // One classification: REFUSED is transaction control (held on the writer) or ATTACH/DETACH.
            PoolRouting.Route route = PoolRouting.route(sql);
            SqlScanner.StatementInfo.Kind kind = route == PoolRouting.Route.REFUSED
                    ? SqlScanner.classify(sql).kind() : null;
            if (kind == SqlScanner.StatementInfo.Kind.ATTACH || kind == SqlScanner.StatementInfo.Kind.DETACH) {
                return Mono.error(ExceptionFactory.unsupported("ATTACH and DETACH are not"
                        + " available on a pooled connection: each statement may run on another of"
                        + " the pool's connections; attach in SqliteConfig.Builder.onOpen, which"
                        + " runs on every connection of the pool, or use a factory without"
                        + " pool=true"));
            }
            Mono<Use> use;
            if (!this.autoCommit && route != PoolRouting.Route.REFUSED) {
                use = begin(null).then(acquire(true, true, this.lockWaitTimeout));
            } else {
                use = acquire(route != PoolRouting.Route.READER, false, this.lockWaitTimeout);
            }
            return use.flatMap(u -> {
                AtomicBoolean delivered = new AtomicBoolean(); // from then on, the cursor's close gives back
                return Mono.fromFuture(() -> execute(u.connection(), sql, params, fetchSize))
                        .flatMap(cursor -> {
                            delivered.set(true);
                            if (!cursor.description().isEmpty()) {
                                return Mono.just(track(cursor, u)); // given back when closed
                            }
                            // No rows: close now, so that the connection's state (a COMMIT
                            // ended the transaction) is settled before the result is seen.
                            return Mono.fromFuture(cursor::closeAsync)
                                    .then(Mono.fromRunnable(() -> done(u)))
                                    .thenReturn(new Executed(cursor, e -> { }));
                        })
                        .doOnError(e -> settle(u))
                        .doOnCancel(() -> {
                            if (!delivered.get()) {
                                settle(u);
                            }
                        });
            });
        }).onErrorMap(ExceptionFactory::translate);
    }

    private Executed track(io.github.aiosqlite4j.AsyncCursor cursor, Use use) {
        Executed executed = new Executed(cursor, e -> {
            this.open.remove(e);
            done(use);
        });
        this.open.add(executed);
        return executed;
    }

    // ------------------------------------------------------------------------ transactions

    @Override
    public Mono<Void> beginTransaction() {
        return begin(null);
    }

    @Override
    public Mono<Void> beginTransaction(TransactionDefinition definition) {
        if (definition == null) {
            throw new IllegalArgumentException("definition must not be null");
        }
        return begin(definition);
    }

    /** Holds the writer (a reader for a read-only definition) and runs BEGIN, unless in one. */
    private Mono<Void> begin(TransactionDefinition definition) {
        boolean readOnly = definition != null
                && Boolean.TRUE.equals(definition.getAttribute(TransactionDefinition.READ_ONLY));
        Duration wait = definition == null ? null : definition.getAttribute(TransactionDefinition.LOCK_WAIT_TIMEOUT);
        Object m = definition == null ? null : definition.getAttribute(TRANSACTION_MODE);
        io.github.aiosqlite4j.IsolationLevel mode = m == null ? this.beginMode : beginMode(m);
        return runOn(Mono.defer(() -> acquire(!readOnly, true, wait != null ? wait : this.lockWaitTimeout)),
                session -> {
                    if (!session.inTransaction()) {
                        session.execute(mode.beginSql());
                    }
                    return null;
                }).then();
    }

    @Override
    Mono<Void> endTransaction(String sql) {
        return Mono.defer(() -> {
            CompletableFuture<PoolLease> h;
            synchronized (this.lock) {
                h = this.held;
            }
            if (h == null) {
                return Mono.<Void>empty();
            }
            return runOn(Mono.fromFuture(h, true).map(l -> new Use(l, true)), session -> {
                if (session.inTransaction()) {
                    session.execute(sql);
                }
                return null;
            }).then();
        });
    }

    @Override
    public Mono<Void> createSavepoint(String name) {
        String quoted = quote(name);
        return begin(null).then(runOn(acquire(true, true, this.lockWaitTimeout),
                session -> session.execute("SAVEPOINT " + quoted))).then();
    }

    @Override
    public Mono<Void> releaseSavepoint(String name) {
        String quoted = quote(name);
        return runOn(acquire(true, false, this.lockWaitTimeout),
                session -> session.execute("RELEASE SAVEPOINT " + quoted)).then();
    }

    @Override
    public Mono<Void> rollbackTransactionToSavepoint(String name) {
        String quoted = quote(name);
        return runOn(acquire(true, false, this.lockWaitTimeout),
                session -> session.execute("ROLLBACK TO SAVEPOINT " + quoted)).then();
    }

    @Override
    public boolean isAutoCommit() {
        synchronized (this.lock) {
            return this.autoCommit && this.held == null;
        }
    }

    @Override
    public Mono<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
        if (isolationLevel == null) {
            throw new IllegalArgumentException("isolationLevel must not be null");
        }
        return Mono.fromRunnable(() -> this.isolationLevel = readUncommitted(isolationLevel)
                ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.SERIALIZABLE);
    }

    /**
     * Sets how long a transaction (or a write outside one) waits for the pool's writer.
     *
     * @param timeout the wait; zero: fail at once when another connection holds the writer
     * @return a Mono that completes when set
     */
    @Override
    public Mono<Void> setLockWaitTimeout(Duration timeout) {
        checkTimeout(timeout);
        return Mono.fromRunnable(() -> this.lockWaitTimeout = timeout);
    }

    // --------------------------------------------------------------------------- lifecycle

    @Override
    public Mono<Boolean> validate(ValidationDepth depth) {
        if (depth == null) {
            throw new IllegalArgumentException("depth must not be null");
        }
        return Mono.defer(() -> {
            synchronized (this.lock) {
                if (this.closed || this.pool.isClosed()) {
                    return Mono.just(false);
                }
            }
            if (depth == ValidationDepth.LOCAL) {
                return Mono.just(true);
            }
            return Mono.fromFuture(() -> this.pool.executeFetchAll("SELECT 1"))
                    .map(rows -> rows.size() == 1)
                    .onErrorReturn(false);
        });
    }

    /**
     * Closes the results not consumed yet, rolls back an open transaction and gives every leased
     * connection back to the pool. The pool stays open. Idempotent.
     *
     * @return a Mono that completes once the transaction's connection is back in the pool
     */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            CompletableFuture<PoolLease> h;
            synchronized (this.lock) {
                if (this.closed) {
                    return Mono.<Void>empty();
                }
                this.closed = true;
                h = this.held;
                this.held = null;
            }
            List<Executed> results = new ArrayList<>(this.open);
            for (Executed e : results) {
                e.close();
            }
            if (h == null || h.cancel(true)) {
                return Mono.<Void>empty();
            }
            return Mono.fromFuture(h.handle((lease, e) -> lease))
                    .flatMap(lease -> Mono.fromFuture(lease.release()));
        });
    }

    @Override
    public String toString() {
        return "PooledConnection{" + this.pool + "}";
    }
}
