package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * An R2DBC connection over one core {@link AsyncConnection} (one worker thread).
 *
 * <p>Transactions: the core connection runs in SQLite's own autocommit mode and this class issues
 * {@code BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE]}, {@code COMMIT}, {@code ROLLBACK} and savepoint
 * statements itself. {@link #isAutoCommit()} is true while auto-commit is on and no transaction is
 * open. With auto-commit off, the first statement outside a transaction begins one. Isolation:
 * SQLite transactions are {@code SERIALIZABLE}; {@code READ_UNCOMMITTED} sets {@code PRAGMA
 * read_uncommitted} (effective with shared cache, e.g. {@code mem:} databases); {@code
 * READ_COMMITTED} and {@code REPEATABLE_READ} are served by the stronger {@code SERIALIZABLE}. A
 * read-only transaction sets {@code PRAGMA query_only} until it ends.
 *
 * <p>Timeouts: the lock-wait timeout is SQLite's busy timeout; the statement timeout is a
 * deadline on each statement's execution, enforced by the core (the statement is interrupted and
 * the result fails with {@link io.r2dbc.spi.R2dbcTimeoutException}).
 */
public final class SqliteConnection extends BaseConnection implements Wrapped<AsyncConnection> {

    private static final System.Logger LOG = System.getLogger(SqliteConnection.class.getName());

    private final AsyncConnection core;
    /** Statements that undo a transaction definition's settings when the transaction ends. */
    private final List<String> restoreAtEnd = new ArrayList<>();

    /**
     * Wraps an open core connection.
     *
     * @param core the connection, opened with isolation level AUTOCOMMIT
     * @param beginMode how {@code BEGIN} locks: DEFERRED, IMMEDIATE or EXCLUSIVE
     * @param statementTimeout the initial statement timeout, {@link Duration#ZERO} for none
     */
    public SqliteConnection(AsyncConnection core, io.github.aiosqlite4j.IsolationLevel beginMode,
            Duration statementTimeout) {
        super(beginMode, statementTimeout, core.config().busyTimeout());
        this.core = core;
    }

    @Override
    public AsyncConnection unwrap() {
        return this.core;
    }

    // ------------------------------------------------------------------------- execution

    /** Runs a body on the worker, with SQL failures translated. */
    <T> Mono<T> run(SqlFunction<SqliteSession, T> body) {
        return Mono.fromFuture(() -> this.core.run(body)).onErrorMap(ExceptionFactory::translate);
    }

    @Override
    Mono<Executed> executeCursor(ParsedSql sql, Object[] params, int fetchSize) {
        Mono<Executed> exec = Mono.fromFuture(() -> execute(this.core, sql.sql(), params, fetchSize))
                .map(cursor -> new Executed(cursor, e -> { }));
        if (!this.autoCommit && !sql.isTransactionControl()) {
            exec = beginIfNeeded(null).then(exec);
        }
        return exec.onErrorMap(ExceptionFactory::translate);
    }

    // ----------------------------------------------------------------------- transactions

    @Override
    public Mono<Void> beginTransaction() {
        return beginIfNeeded(null).then();
    }

    @Override
    public Mono<Void> beginTransaction(TransactionDefinition definition) {
        if (definition == null) {
            throw new IllegalArgumentException("definition must not be null");
        }
        return beginIfNeeded(definition).then();
    }

    private Mono<Object> beginIfNeeded(TransactionDefinition definition) {
        return run(session -> {
            if (session.inTransaction()) {
                LOG.log(System.Logger.Level.DEBUG, "beginTransaction: a transaction is already open");
                return null;
            }
            begin(session, definition);
            return null;
        });
    }

    /** On the worker: applies a definition's settings, then BEGIN. */
    private void begin(SqliteSession session, TransactionDefinition definition) throws java.sql.SQLException {
        io.github.aiosqlite4j.IsolationLevel mode = this.beginMode;
        synchronized (this.restoreAtEnd) {
            this.restoreAtEnd.clear();
            if (definition != null) {
                Object m = definition.getAttribute(TRANSACTION_MODE);
                if (m != null) {
                    mode = beginMode(m);
                }
                IsolationLevel isolation = definition.getAttribute(TransactionDefinition.ISOLATION_LEVEL);
                if (isolation != null && readUncommitted(isolation) != readUncommitted(this.isolationLevel)) {
                    session.execute("PRAGMA read_uncommitted = " + (readUncommitted(isolation) ? 1 : 0));
                    this.restoreAtEnd.add("PRAGMA read_uncommitted = "
                            + (readUncommitted(this.isolationLevel) ? 1 : 0));
                }
                Duration lockWait = definition.getAttribute(TransactionDefinition.LOCK_WAIT_TIMEOUT);
                if (lockWait != null) {
                    session.execute("PRAGMA busy_timeout = " + lockWait.toMillis());
                    this.restoreAtEnd.add("PRAGMA busy_timeout = " + this.lockWaitTimeout.toMillis());
                }
                if (Boolean.TRUE.equals(definition.getAttribute(TransactionDefinition.READ_ONLY))) {
                    session.execute("PRAGMA query_only = 1");
                    this.restoreAtEnd.add("PRAGMA query_only = 0");
                }
            }
            session.execute(mode.beginSql());
        }
    }

    /** On the worker: undoes the settings of the transaction that just ended. */
    private void restore(SqliteSession session) throws java.sql.SQLException {
        synchronized (this.restoreAtEnd) {
            for (String sql : this.restoreAtEnd) {
                session.execute(sql);
            }
            this.restoreAtEnd.clear();
        }
    }

    @Override
    Mono<Void> endTransaction(String sql) {
        return run(session -> {
            if (session.inTransaction()) {
                session.execute(sql);
            }
            restore(session);
            return null;
        }).then();
    }

    @Override
    public Mono<Void> createSavepoint(String name) {
        String quoted = quote(name);
        return run(session -> {
            if (!session.inTransaction()) {
                begin(session, null);
            }
            session.execute("SAVEPOINT " + quoted);
            return null;
        }).then();
    }

    @Override
    public Mono<Void> releaseSavepoint(String name) {
        String quoted = quote(name);
        return run(session -> session.execute("RELEASE SAVEPOINT " + quoted)).then();
    }

    @Override
    public Mono<Void> rollbackTransactionToSavepoint(String name) {
        String quoted = quote(name);
        return run(session -> session.execute("ROLLBACK TO SAVEPOINT " + quoted)).then();
    }

    @Override
    public boolean isAutoCommit() {
        return this.autoCommit && !this.core.inTransaction();
    }

    @Override
    public Mono<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
        if (isolationLevel == null) {
            throw new IllegalArgumentException("isolationLevel must not be null");
        }
        boolean uncommitted = readUncommitted(isolationLevel);
        return run(session -> session.execute("PRAGMA read_uncommitted = " + (uncommitted ? 1 : 0)))
                .doOnSuccess(ignored -> this.isolationLevel = uncommitted
                        ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.SERIALIZABLE)
                .then();
    }

    @Override
    public Mono<Void> setLockWaitTimeout(Duration timeout) {
        checkTimeout(timeout);
        return run(session -> session.execute("PRAGMA busy_timeout = " + timeout.toMillis()))
                .doOnSuccess(ignored -> this.lockWaitTimeout = timeout)
                .then();
    }

    // -------------------------------------------------------------------------- lifecycle

    @Override
    public Mono<Boolean> validate(ValidationDepth depth) {
        if (depth == null) {
            throw new IllegalArgumentException("depth must not be null");
        }
        return Mono.defer(() -> {
            if (this.core.isClosed()) {
                return Mono.just(false);
            }
            if (depth == ValidationDepth.LOCAL) {
                return Mono.just(true);
            }
            return Mono.fromFuture(() -> this.core.run(session -> session.query("SELECT 1")))
                    .map(rows -> rows.size() == 1)
                    .onErrorReturn(false);
        });
    }

    @Override
    public Mono<Void> close() {
        return Mono.fromFuture(() -> {
            closeRequested();
            return this.core.closeAsync();
        }).onErrorMap(ExceptionFactory::translate);
    }

    @Override
    public String toString() {
        return "SqliteConnection{" + this.core + "}";
    }
}
