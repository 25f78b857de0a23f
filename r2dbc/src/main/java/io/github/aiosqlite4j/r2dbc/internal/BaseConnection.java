package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * What both kinds of R2DBC connection share: statements, batches, timeouts, the auto-commit flag,
 * savepoint names and the transaction mode. {@link SqliteConnection} runs everything on one core
 * connection; {@link PooledConnection} on connections leased from a pool.
 */
public abstract class BaseConnection implements Connection {

    /** The option (connection factory and transaction definition) choosing how BEGIN locks. */
    public static final Option<Object> TRANSACTION_MODE = Option.valueOf("transactionMode");

    /** How {@code BEGIN} locks: DEFERRED, IMMEDIATE or EXCLUSIVE. */
    final io.github.aiosqlite4j.IsolationLevel beginMode;
    volatile boolean autoCommit = true;
    private volatile Duration statementTimeout;
    volatile IsolationLevel isolationLevel = IsolationLevel.SERIALIZABLE;
    volatile Duration lockWaitTimeout;
    private volatile boolean closeRequested;

    BaseConnection(io.github.aiosqlite4j.IsolationLevel beginMode, Duration statementTimeout,
            Duration lockWaitTimeout) {
        this.beginMode = beginMode;
        this.statementTimeout = statementTimeout;
        this.lockWaitTimeout = lockWaitTimeout;
    }

    /**
     * An executed statement's cursor and what to do once it is closed (give a leased connection
     * back); {@link #taken()} is set when its result starts being read.
     */
    static final class Executed {
        private final AsyncCursor cursor;
        private final java.util.function.Consumer<Executed> closed;
        private final AtomicBoolean closing = new AtomicBoolean();
        private final AtomicBoolean taken = new AtomicBoolean();

        /** @param closed run once the cursor is closed; null for nothing */
        Executed(AsyncCursor cursor, java.util.function.Consumer<Executed> closed) {
            this.cursor = cursor;
            this.closed = closed;
        }

        AsyncCursor cursor() {
            return this.cursor;
        }

        /** {@return set (by its result) once the rows are being read or discarded} */
        AtomicBoolean taken() {
            return this.taken;
        }

        /** Closes the cursor, then runs the close action; only the first call does anything. */
        void close() {
            if (this.closing.compareAndSet(false, true)) {
                CompletableFuture<Void> f = this.cursor.closeAsync();
                if (this.closed != null) {
                    f.whenComplete((v, e) -> this.closed.accept(this));
                }
            }
        }
    }

    /** Records that {@link #close()} was subscribed; each close() calls it first. */
    final void closeRequested() {
        this.closeRequested = true;
    }

    /**
     * Tells whether {@link #close()} has been subscribed (what leak detection checks).
     *
     * @return true once close() has started
     */
    public final boolean isCloseRequested() {
        return this.closeRequested;
    }

    /**
     * Executes one statement (beginning a transaction first when auto-commit is off).
     *
     * @param sql one statement, parsed: the statement's parse, asked here rather than scanned again
     * @param params positional values
     * @param fetchSize rows per fetch, 0 for the default
     * @return the executed cursor; errors are translated to R2DBC exceptions
     */
    abstract Mono<Executed> executeCursor(ParsedSql sql, Object[] params, int fetchSize);

    /**
     * Executes on {@code connection}: the chunk size is set before execute, since the core reads
     * ahead at most one chunk; the future is the core's own execute future (wrapped in the
     * statement timeout), so cancelling it stops the statement.
     */
    final CompletableFuture<AsyncCursor> execute(AsyncConnection connection, String sql,
            Object[] params, int fetchSize) {
        CompletableFuture<AsyncCursor> made = connection.cursor(); // done at once, no round trip
        if (!made.isDone() || made.isCompletedExceptionally()) {
            return made;
        }
        return execute(made.join(), sql, params, fetchSize, this.statementTimeout);
    }

    /** {@link #execute(AsyncConnection, String, Object[], int)} on a cursor made already. */
    static CompletableFuture<AsyncCursor> execute(AsyncCursor cursor, String sql, Object[] params,
            int fetchSize, Duration statementTimeout) {
        if (fetchSize > 0) {
            cursor.setIterChunkSize(fetchSize);
        }
        CompletableFuture<AsyncCursor> future = cursor.execute(sql, params);
        return statementTimeout.isZero() ? future
                : future.orTimeout(statementTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@return the statement timeout, {@link Duration#ZERO} for none} */
    final Duration statementTimeout() {
        return this.statementTimeout;
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

    static String quote(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("savepoint name must not be null or empty");
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
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

    static boolean readUncommitted(IsolationLevel level) {
        return IsolationLevel.READ_UNCOMMITTED.equals(level);
    }

    static void checkTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be null or negative, was " + timeout);
        }
    }

    /**
     * Runs {@code COMMIT} or {@code ROLLBACK} if a transaction is open, and undoes what its start
     * set up.
     *
     * @param sql {@code "COMMIT"} or {@code "ROLLBACK"}
     * @return a Mono that completes when the transaction has ended
     */
    abstract Mono<Void> endTransaction(String sql);

    @Override
    public Mono<Void> commitTransaction() {
        return endTransaction("COMMIT");
    }

    @Override
    public Mono<Void> rollbackTransaction() {
        return endTransaction("ROLLBACK");
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
    public Mono<Void> setStatementTimeout(Duration timeout) {
        checkTimeout(timeout);
        return Mono.fromRunnable(() -> this.statementTimeout = timeout);
    }

    @Override
    public ConnectionMetadata getMetadata() {
        return SqliteConnectionMetadata.INSTANCE;
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
