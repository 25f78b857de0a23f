package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.pool.DefaultSqlitePool;
import io.github.aiosqlite4j.internal.pool.PoolRouting;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 *       run as a statement) holds the writer from its first statement to its end; other writes
 *       of the pool wait behind it, at most the lock-wait timeout, then fail with {@link
 *       io.r2dbc.spi.R2dbcTransientResourceException}. {@code beginTransaction} itself takes
 *       nothing and completes at once: the first statement takes the writer and runs {@code
 *       BEGIN} (as SQLite's own deferred {@code BEGIN} takes no lock until the first access), so
 *       a transaction given up before its first statement holds nothing. A read-only transaction
 *       ({@link TransactionDefinition#READ_ONLY}) holds a reader instead: one consistent
 *       snapshot, beside the writes.
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
 *
 * <p>Cancellation and abandonment ({@link LeaseHolder} has the details): a cancelled subscription
 * withdraws its wait for a pool connection, or stops its statement and gives back a connection it
 * leased for itself. A transaction's first statement cancelled before it completes gives the
 * writer back even if {@code BEGIN} already ran; the transaction stays begun. Any other statement
 * cancelled inside a transaction leaves the transaction open, until commit, rollback or close. A
 * connection that is never closed is closed (with a warning if it held anything) once it is
 * garbage-collected, by a {@link Cleaner}: a transaction abandoned after its first statement holds
 * the writer until the collection. What the connection holds never refers back to it.
 */
public final class PooledConnection extends BaseConnection implements Wrapped<SqlitePool> {

    private final DefaultSqlitePool pool;
    /** What this connection holds of the pool; the cleaner gives it back if this is collected. */
    private final LeaseHolder leases;
    private final Cleaner.Cleanable cleanable;

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
        this.leases = new LeaseHolder(this.pool);
        this.cleanable = LeaseHolder.CLEANER.register(this, this.leases);
    }

    /**
     * Sets (or with null, removes) what is told of each pool connection this connection leases
     * and gives back; see {@link SqliteConnectionFactory#observeLeases}.
     *
     * @param observer the observer, or null
     */
    public void observeLeases(SqliteConnectionFactory.LeaseObserver observer) {
        this.leases.observe(observer);
    }

    @Override
    public SqlitePool unwrap() {
        return this.pool;
    }

    /** Runs a body on a lease (see {@link LeaseHolder.Target}), with failures translated. */
    private Mono<Void> run(LeaseHolder.Target target, boolean writer, Duration wait,
            SqlFunction<SqliteSession, ?> body) {
        return this.leases.run(target, writer, wait, body)
                .onErrorMap(ExceptionFactory::translate)
                .then();
    }

    /** {@code op}, after starting the transaction on its lease if it was begun and not started. */
    private <T> Mono<T> inStartedTransaction(Mono<T> op) {
        Mono<Object> start = this.leases.start();
        return start == null ? op : start.onErrorMap(ExceptionFactory::translate).then(op);
    }

    // -------------------------------------------------------------------------- statements

    @Override
    Mono<Executed> executeCursor(ParsedSql sql, Object[] params, int fetchSize) {
        return Mono.defer(() -> {
            // REFUSED is transaction control (held on the writer) or ATTACH/DETACH.
            PoolRouting.Route route = PoolRouting.route(sql);
            if (sql.isAttachOrDetach()) {
                return Mono.error(ExceptionFactory.unsupported("ATTACH and DETACH are not"
                        + " available on a pooled connection: each statement may run on another of"
                        + " the pool's connections; attach in SqliteConfig.Builder.onOpen, which"
                        + " runs on every connection of the pool, or use a factory without"
                        + " pool=true"));
            }
            if (!this.autoCommit && route != PoolRouting.Route.REFUSED) {
                this.leases.begin(true, this.lockWaitTimeout, this.beginMode.beginSql());
            }
            return inStartedTransaction(this.leases.execute(route != PoolRouting.Route.READER,
                    this.lockWaitTimeout, sql.sql(), params, fetchSize, statementTimeout()));
        }).onErrorMap(ExceptionFactory::translate);
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

    /**
     * Begins a transaction, unless one is open. It takes its pool connection (the writer, a reader
     * for a read-only definition) and runs {@code BEGIN} at its first statement, and holds it
     * until it ends: a transaction given up before its first statement holds nothing.
     */
    private Mono<Void> begin(TransactionDefinition definition) {
        boolean readOnly = definition != null
                && Boolean.TRUE.equals(definition.getAttribute(TransactionDefinition.READ_ONLY));
        Duration wait = definition == null ? null : definition.getAttribute(TransactionDefinition.LOCK_WAIT_TIMEOUT);
        Object m = definition == null ? null : definition.getAttribute(TRANSACTION_MODE);
        io.github.aiosqlite4j.IsolationLevel mode = m == null ? this.beginMode : beginMode(m);
        return Mono.fromRunnable(() -> this.leases.begin(!readOnly,
                wait != null ? wait : this.lockWaitTimeout, mode.beginSql()));
    }

    @Override
    Mono<Void> endTransaction(String sql) {
        return Mono.defer(() -> run(LeaseHolder.Target.HELD, true, this.lockWaitTimeout, session -> {
            if (session.inTransaction()) {
                session.execute(sql);
            }
            return null;
        }));
    }

    @Override
    public Mono<Void> createSavepoint(String name) {
        String quoted = quote(name);
        return begin(null).then(Mono.defer(() -> inStartedTransaction(run(LeaseHolder.Target.ANY,
                true, this.lockWaitTimeout, session -> session.execute("SAVEPOINT " + quoted)))));
    }

    @Override
    public Mono<Void> releaseSavepoint(String name) {
        String quoted = quote(name);
        return Mono.defer(() -> inStartedTransaction(run(LeaseHolder.Target.ANY, true,
                this.lockWaitTimeout, session -> session.execute("RELEASE SAVEPOINT " + quoted))));
    }

    @Override
    public Mono<Void> rollbackTransactionToSavepoint(String name) {
        String quoted = quote(name);
        return Mono.defer(() -> inStartedTransaction(run(LeaseHolder.Target.ANY, true,
                this.lockWaitTimeout, session -> session.execute("ROLLBACK TO SAVEPOINT " + quoted))));
    }

    @Override
    public boolean isAutoCommit() {
        return this.autoCommit && !this.leases.inTransaction();
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
            if (this.leases.isClosed() || this.pool.isClosed()) {
                return Mono.just(false);
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
     * connection back to the pool. The pool stays open. Idempotent. A connection that is never
     * closed does the same (and logs a warning if it held anything) once it is garbage-collected.
     *
     * @return a Mono that completes once the transaction's connection is back in the pool
     */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            closeRequested();
            CompletableFuture<Void> closed = this.leases.close();
            this.cleanable.clean(); // nothing left for the cleaner to do
            return Mono.fromFuture(closed, true);
        });
    }

    @Override
    public String toString() {
        return "PooledConnection{" + this.pool + "}";
    }
}
