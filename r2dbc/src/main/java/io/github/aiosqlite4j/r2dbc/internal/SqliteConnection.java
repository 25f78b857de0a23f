package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.SqlScanner;
import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
public final class SqliteConnection implements Connection, Wrapped<AsyncConnection> {

    /** The option (connection factory and transaction definition) choosing how BEGIN locks. */
    public static final Option<Object> TRANSACTION_MODE = Option.valueOf("transactionMode");

    private static final System.Logger LOG = System.getLogger(SqliteConnection.class.getName());

    private final AsyncConnection core;
    private final io.github.aiosqlite4j.IsolationLevel beginMode;
    private volatile boolean autoCommit = true;
    private volatile Duration statementTimeout;
    private volatile IsolationLevel isolationLevel = IsolationLevel.SERIALIZABLE;
    private volatile Duration lockWaitTimeout;
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
        this.core = core;
        this.beginMode = beginMode;
        this.statementTimeout = statementTimeout;
        this.lockWaitTimeout = core.config().busyTimeout();
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

    /** Executes one statement (implicit BEGIN when auto-commit is off) and returns its cursor. */
    Mono<AsyncCursor> executeCursor(String sql, Object[] params, int fetchSize) {
        // The chunk size is set before execute, since the core reads ahead at most one chunk; the
        // Mono wraps the core's own execute future, so cancelling it stops the statement.
        Mono<AsyncCursor> exec = Mono.fromFuture(() -> {
            CompletableFuture<AsyncCursor> made = this.core.cursor(); // done at once, no round trip
            if (!made.isDone() || made.isCompletedExceptionally()) {
                return made;
            }
            AsyncCursor cursor = made.join();
            if (fetchSize > 0) {
                cursor.setIterChunkSize(fetchSize);
            }
            return timed(cursor.execute(sql, params));
        });
        if (!this.autoCommit && !isTransactionControl(sql)) {
            exec = beginIfNeeded(null).then(exec);
        }
        return exec.onErrorMap(ExceptionFactory::translate);
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
        Duration timeout = this.statementTimeout;
        if (timeout.isZero()) {
            return future;
        }
        return future.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static boolean isTransactionControl(String sql) {
        switch (SqlScanner.classify(sql).kind()) {
            case BEGIN:
            case COMMIT:
            case ROLLBACK:
            case SAVEPOINT:
            case RELEASE:
            case ROLLBACK_TO:
                return true;
            default:
                return false;
        }
    }

    @Override
    public Statement createStatement(String sql) {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        return new SqliteStatement(this, sql);
    }

    @Override
    public Batch createBatch() {
        return new SqliteBatch(this);
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

    /**
     * Parses a transaction mode option value.
     *
     * @param value an {@link io.github.aiosqlite4j.IsolationLevel} or its name
     * @return DEFERRED, IMMEDIATE or EXCLUSIVE
     * @throws IllegalArgumentException for another value
     */
    public static io.github.aiosqlite4j.IsolationLevel beginMode(Object value) {
        io.github.aiosqlite4j.IsolationLevel level = value instanceof io.github.aiosqlite4j.IsolationLevel
                ? (io.github.aiosqlite4j.IsolationLevel) value
                : parseMode(value.toString());
        if (level == io.github.aiosqlite4j.IsolationLevel.AUTOCOMMIT) {
            throw new IllegalArgumentException("transactionMode must be DEFERRED, IMMEDIATE or"
                    + " EXCLUSIVE, was AUTOCOMMIT");
        }
        return level;
    }

    private static io.github.aiosqlite4j.IsolationLevel parseMode(String s) {
        try {
            return io.github.aiosqlite4j.IsolationLevel.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("transactionMode must be DEFERRED, IMMEDIATE or"
                    + " EXCLUSIVE, was " + s, e);
        }
    }

    private static boolean readUncommitted(IsolationLevel level) {
        return IsolationLevel.READ_UNCOMMITTED.equals(level);
    }

    @Override
    public Mono<Void> commitTransaction() {
        return endTransaction("COMMIT");
    }

    @Override
    public Mono<Void> rollbackTransaction() {
        return endTransaction("ROLLBACK");
    }

    private Mono<Void> endTransaction(String sql) {
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

    private static String quote(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("savepoint name must not be null or empty");
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public boolean isAutoCommit() {
        return this.autoCommit && !this.core.inTransaction();
    }

    @Override
    public Mono<Void> setAutoCommit(boolean autoCommit) {
        return Mono.defer(() -> {
            if (autoCommit == this.autoCommit) {
                return Mono.empty();
            }
            this.autoCommit = autoCommit;
            return autoCommit ? commitTransaction() : Mono.empty();
        });
    }

    @Override
    public IsolationLevel getTransactionIsolationLevel() {
        return this.isolationLevel;
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
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be null or negative, was " + timeout);
        }
        return run(session -> session.execute("PRAGMA busy_timeout = " + timeout.toMillis()))
                .doOnSuccess(ignored -> this.lockWaitTimeout = timeout)
                .then();
    }

    @Override
    public Mono<Void> setStatementTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be null or negative, was " + timeout);
        }
        return Mono.fromRunnable(() -> this.statementTimeout = timeout);
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
        return Mono.fromFuture(this.core::closeAsync).onErrorMap(ExceptionFactory::translate);
    }

    @Override
    public ConnectionMetadata getMetadata() {
        return SqliteConnectionMetadata.INSTANCE;
    }

    @Override
    public String toString() {
        return "SqliteConnection{" + this.core + "}";
    }

    /** Database product metadata: SQLite and the bundled library's version. */
    static final class SqliteConnectionMetadata implements ConnectionMetadata {
        static final SqliteConnectionMetadata INSTANCE = new SqliteConnectionMetadata();

        @Override
        public String getDatabaseProductName() {
            return "SQLite";
        }

        @Override
        public String getDatabaseVersion() {
            return AioSqlite.sqliteVersion();
        }
    }
}
