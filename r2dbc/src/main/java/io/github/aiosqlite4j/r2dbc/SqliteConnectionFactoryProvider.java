package io.github.aiosqlite4j.r2dbc;

import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.r2dbc.internal.BaseConnection;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import io.r2dbc.spi.Option;
import java.time.Duration;
import java.util.Locale;

/**
 * Discovers the SQLite driver for {@link io.r2dbc.spi.ConnectionFactories}: driver name {@value
 * #SQLITE_DRIVER}, registered in {@code META-INF/services/io.r2dbc.spi.ConnectionFactoryProvider}.
 *
 * <table>
 *   <caption>URL forms</caption>
 *   <tr><th>URL</th><th>database</th></tr>
 *   <tr><td>{@code r2dbc:sqlite:///data/app.db}</td><td>{@code data/app.db}, relative to the
 *       working directory</td></tr>
 *   <tr><td>{@code r2dbc:sqlite:////var/lib/app.db}</td><td>{@code /var/lib/app.db}, absolute</td></tr>
 *   <tr><td>{@code r2dbc:sqlite:file:///data/app.db}</td><td>as the first form</td></tr>
 *   <tr><td>{@code r2dbc:sqlite:mem:///name}</td><td>the shared in-memory database {@code name}
 *       ({@code file:name?mode=memory&cache=shared}), alive while its factory is open</td></tr>
 * </table>
 *
 * <p>Options, as URL query parameters or {@link ConnectionFactoryOptions}: {@link #BUSY_TIMEOUT}
 * (or the standard {@link ConnectionFactoryOptions#LOCK_WAIT_TIMEOUT}), {@link #JOURNAL_MODE},
 * {@link #SYNCHRONOUS}, {@link #FOREIGN_KEYS}, {@link #READ_ONLY}, {@link #TRANSACTION_MODE},
 * {@link #FETCH_SIZE}, {@link #POOL}, {@link #POOL_READERS}, {@link #POOL_ACQUIRE_TIMEOUT},
 * {@link #GROUP_COMMIT}, {@link #LEAK_DETECTION_THRESHOLD} and the
 * standard {@link ConnectionFactoryOptions#STATEMENT_TIMEOUT}. Values
 * may be strings (as from a URL) or typed values; a duration is an ISO-8601 string ({@code PT5S}),
 * a number of milliseconds, or a {@link Duration}.
 */
public final class SqliteConnectionFactoryProvider implements ConnectionFactoryProvider {

    /** The driver name: {@code sqlite}. */
    public static final String SQLITE_DRIVER = "sqlite";

    /** Protocol of the shared in-memory form, {@code r2dbc:sqlite:mem:///name}. */
    public static final String MEMORY_PROTOCOL = "mem";

    /**
     * SQLite's busy timeout: how long a statement waits for a lock held by another connection
     * before failing with {@code SQLITE_BUSY}. Default 5 s.
     *
     * @since 0.1.0
     */
    public static final Option<Object> BUSY_TIMEOUT = Option.valueOf("busyTimeout");

    /**
     * {@code PRAGMA journal_mode}: DELETE, TRUNCATE, PERSIST, MEMORY, WAL or OFF. Default: SQLite's
     * (DELETE for files).
     *
     * @since 0.1.0
     */
    public static final Option<Object> JOURNAL_MODE = Option.valueOf("journalMode");

    /**
     * {@code PRAGMA synchronous}: OFF, NORMAL, FULL or EXTRA. Default: SQLite's (FULL).
     *
     * @since 0.1.0
     */
    public static final Option<Object> SYNCHRONOUS = Option.valueOf("synchronous");

    /**
     * {@code PRAGMA foreign_keys}: enforce foreign keys. Default false (SQLite's default).
     *
     * @since 0.1.0
     */
    public static final Option<Object> FOREIGN_KEYS = Option.valueOf("foreignKeys");

    /**
     * Open the database read-only. Default false.
     *
     * @since 0.1.0
     */
    public static final Option<Object> READ_ONLY = Option.valueOf("readOnly");

    /**
     * How transactions begin: DEFERRED (default), IMMEDIATE or EXCLUSIVE. Also accepted as an
     * attribute of a {@link io.r2dbc.spi.TransactionDefinition}.
     *
     * @since 0.1.0
     */
    public static final Option<Object> TRANSACTION_MODE = BaseConnection.TRANSACTION_MODE;

    /**
     * Rows fetched per worker round trip when a result is consumed (the core's chunk size);
     * {@link io.r2dbc.spi.Statement#fetchSize(int)} overrides it per statement. Default 64.
     *
     * @since 0.1.0
     */
    public static final Option<Object> FETCH_SIZE = Option.valueOf("fetchSize");

    /**
     * Route every connection of the factory through one {@link io.github.aiosqlite4j.SqlitePool}
     * (one writer, several readers, WAL; see {@link SqliteConnectionFactory}): true or false.
     * Default false. Not for {@code mem:} databases.
     *
     * @since 0.1.0
     */
    public static final Option<Object> POOL = Option.valueOf("pool");

    /**
     * The number of reader connections of the pool ({@link PoolOptions#readers()}); needs {@code
     * pool=true}. Default max(2, available processors).
     *
     * @since 0.1.0
     */
    public static final Option<Object> POOL_READERS = Option.valueOf("poolReaders");

    /**
     * How long a statement waits for a free reader of the pool ({@link
     * PoolOptions#acquireTimeout()}); needs {@code pool=true}. Default 30 s. (How long a write or
     * transaction waits for the writer is the lock-wait timeout, {@link #BUSY_TIMEOUT}.)
     *
     * @since 0.1.0
     */
    public static final Option<Object> POOL_ACQUIRE_TIMEOUT = Option.valueOf("poolAcquireTimeout");

    /**
     * Group commit of the pool ({@link PoolOptions.Builder#groupCommit(int)}): the most {@link
     * io.github.aiosqlite4j.SqlitePool#write} bodies committed in one transaction; needs {@code
     * pool=true}. Default 1 (off). What it groups: {@code SqlitePool.write} bodies, which a
     * pooled connection reaches through {@link io.r2dbc.spi.Wrapped#unwrap()} (it unwraps to
     * the factory's {@link io.github.aiosqlite4j.SqlitePool}). R2DBC statements and transactions
     * are not grouped: each holds the writer through a lease and commits on its own (a statement
     * outside a transaction in SQLite's autocommit, a transaction at {@code
     * commitTransaction()}).
     *
     * @since 0.1.0
     */
    public static final Option<Object> GROUP_COMMIT = Option.valueOf("groupCommit");

    /**
     * Leak detection ({@link SqliteConnectionFactory.Builder#leakDetectionThreshold}): a
     * connection not closed this long after it was created is reported with the stack of its
     * creation. With {@code pool=true} it is also the pool's {@link
     * PoolOptions#leakDetectionThreshold()}: a pool connection leased this long (a transaction,
     * or a result not consumed) is reported with the stack of the statement that leased it.
     * Default: off.
     *
     * @since 0.1.0
     */
    public static final Option<Object> LEAK_DETECTION_THRESHOLD = Option.valueOf("leakDetectionThreshold");

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public SqliteConnectionFactoryProvider() {
    }

    /**
     * Creates a factory for the options.
     *
     * @param options the options; {@code DRIVER} must be {@value #SQLITE_DRIVER} and {@code
     *     DATABASE} set
     * @return a new factory
     * @throws IllegalArgumentException if {@code options} is null, lacks {@code DATABASE}, or an
     *     option value is invalid
     */
    @Override
    public SqliteConnectionFactory create(ConnectionFactoryOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        Object leakValue = options.getValue(LEAK_DETECTION_THRESHOLD);
        Duration leak = leakValue == null ? null : duration(LEAK_DETECTION_THRESHOLD, leakValue);
        return SqliteConnectionFactory.builder(toConfig(options))
                .transactionMode(transactionMode(options))
                .pool(poolOptions(options, leak))
                .leakDetectionThreshold(leak)
                .build();
    }

    /** The pool settings, or null when {@code pool} is not true. */
    private static PoolOptions poolOptions(ConnectionFactoryOptions options, Duration leak) {
        Object pool = options.getValue(POOL);
        Object readers = options.getValue(POOL_READERS);
        Object timeout = options.getValue(POOL_ACQUIRE_TIMEOUT);
        Object group = options.getValue(GROUP_COMMIT);
        if (pool == null || !bool(POOL, pool)) {
            Option<?> needsPool = readers != null ? POOL_READERS : timeout != null
                    ? POOL_ACQUIRE_TIMEOUT : group != null ? GROUP_COMMIT : null;
            if (needsPool != null) {
                throw new IllegalArgumentException(needsPool.name() + " needs pool=true");
            }
            return null;
        }
        PoolOptions.Builder b = PoolOptions.builder().leakDetectionThreshold(leak);
        if (readers != null) {
            b.readers(integer(POOL_READERS, readers));
        }
        if (timeout != null) {
            b.acquireTimeout(duration(POOL_ACQUIRE_TIMEOUT, timeout));
        }
        if (group != null) {
            b.groupCommit(integer(GROUP_COMMIT, group));
        }
        return b.build();
    }

    private static IsolationLevel transactionMode(ConnectionFactoryOptions options) {
        Object v = options.getValue(TRANSACTION_MODE);
        return v == null ? IsolationLevel.DEFERRED : BaseConnection.beginMode(v);
    }

    /**
     * Translates options to the core configuration.
     *
     * @param options the options
     * @return the configuration
     * @throws IllegalArgumentException if {@code DATABASE} is missing or a value is invalid
     */
    static SqliteConfig toConfig(ConnectionFactoryOptions options) {
        Object db = options.getValue(ConnectionFactoryOptions.DATABASE);
        if (db == null || db.toString().isEmpty()) {
            throw new IllegalArgumentException("DATABASE must be set: use r2dbc:sqlite:///relative.db,"
                    + " r2dbc:sqlite:////absolute/path.db or r2dbc:sqlite:mem:///name");
        }
        Object protocol = options.getValue(ConnectionFactoryOptions.PROTOCOL);
        String database = db.toString();
        if (MEMORY_PROTOCOL.equals(protocol)) {
            database = "file:" + database + "?mode=memory&cache=shared";
        } else if (protocol != null && !protocol.toString().isEmpty()
                && !"file".equals(protocol.toString())) {
            throw new IllegalArgumentException("Unknown protocol '" + protocol + "': use"
                    + " r2dbc:sqlite:///path, r2dbc:sqlite:file:///path or r2dbc:sqlite:mem:///name");
        }
        SqliteConfig.Builder b = SqliteConfig.builder(database);
        Object busy = options.getValue(BUSY_TIMEOUT);
        if (busy == null) {
            busy = options.getValue(ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT);
        }
        if (busy != null) {
            b.busyTimeout(duration(BUSY_TIMEOUT, busy));
        }
        Object statementTimeout = options.getValue(ConnectionFactoryOptions.STATEMENT_TIMEOUT);
        if (statementTimeout != null) {
            b.statementTimeout(duration(ConnectionFactoryOptions.STATEMENT_TIMEOUT, statementTimeout));
        }
        Object journal = options.getValue(JOURNAL_MODE);
        if (journal != null) {
            b.journalMode(enumValue(SqliteConfig.JournalMode.class, JOURNAL_MODE, journal));
        }
        Object sync = options.getValue(SYNCHRONOUS);
        if (sync != null) {
            b.synchronous(enumValue(SqliteConfig.SynchronousMode.class, SYNCHRONOUS, sync));
        }
        Object fk = options.getValue(FOREIGN_KEYS);
        if (fk != null) {
            b.foreignKeys(bool(FOREIGN_KEYS, fk));
        }
        Object ro = options.getValue(READ_ONLY);
        if (ro != null) {
            b.readOnly(bool(READ_ONLY, ro));
        }
        Object fetch = options.getValue(FETCH_SIZE);
        if (fetch != null) {
            b.iterChunkSize(integer(FETCH_SIZE, fetch));
        }
        return b.build();
    }

    private static Duration duration(Option<?> option, Object v) {
        if (v instanceof Duration) {
            return (Duration) v;
        }
        if (v instanceof Number) {
            return Duration.ofMillis(((Number) v).longValue());
        }
        String s = v.toString().trim();
        try {
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(s));
            }
            return Duration.parse(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option.name() + " must be a Duration, milliseconds"
                    + " or an ISO-8601 duration such as PT5S, was '" + s + "'", e);
        }
    }

    private static boolean bool(Option<?> option, Object v) {
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(option.name() + " must be true or false, was '" + s + "'");
    }

    private static int integer(Option<?> option, Object v) {
        if (v instanceof Number) {
            return ((Number) v).intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option.name() + " must be an integer, was '" + v + "'",
                    e);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Option<?> option, Object v) {
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        try {
            return Enum.valueOf(type, v.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option.name() + " must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) + ", was '" + v + "'", e);
        }
    }

    /**
     * Tells whether the options name this driver.
     *
     * @param options the options
     * @return true if {@code DRIVER} is {@value #SQLITE_DRIVER}, {@code DATABASE} is set and the
     *     protocol is absent, {@code file} or {@code mem}
     * @throws IllegalArgumentException if {@code options} is null
     */
    @Override
    public boolean supports(ConnectionFactoryOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        if (!SQLITE_DRIVER.equals(options.getValue(ConnectionFactoryOptions.DRIVER))
                || options.getValue(ConnectionFactoryOptions.DATABASE) == null) {
            return false;
        }
        Object protocol = options.getValue(ConnectionFactoryOptions.PROTOCOL);
        return protocol == null || protocol.toString().isEmpty() || "file".equals(protocol)
                || MEMORY_PROTOCOL.equals(protocol);
    }

    /**
     * Returns the driver name.
     *
     * @return {@value #SQLITE_DRIVER}
     */
    @Override
    public String getDriver() {
        return SQLITE_DRIVER;
    }
}
