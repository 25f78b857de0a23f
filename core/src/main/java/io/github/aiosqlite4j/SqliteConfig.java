package io.github.aiosqlite4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;

/**
 * Immutable settings for one connection: where the database is and how to open and run it. Build
 * one with {@link #builder(String)}; every setter validates its argument at once, and {@link
 * Builder#build()} checks the whole.
 *
 * <pre>{@code
 * SqliteConfig config = SqliteConfig.builder("app.db")
 *         .journalMode(SqliteConfig.JournalMode.WAL)
 *         .busyTimeout(Duration.ofSeconds(10))
 *         .foreignKeys(true)
 *         .build();
 * AioSqlite.connect(config).thenCompose(db -> ...);
 * }</pre>
 *
 * <p>Defaults: chunk size 64, {@link Autocommit#LEGACY} transaction control with isolation level
 * {@link IsolationLevel#DEFERRED}, busy timeout 5 s
 * (Python's {@code timeout=5.0}), SQLite's own journal and synchronous modes, foreign keys as
 * SQLite defaults them (off), read-write, queue capacity 65,536 tasks, completion on {@link
 * ForkJoinPool#commonPool()}, a statement cache of 128, extension loading off, and a 5 s grace
 * period at JVM shutdown.
 */
public final class SqliteConfig {

    /** SQLite journal modes ({@code PRAGMA journal_mode}). */
    public enum JournalMode {
        /** Rollback journal deleted at each commit (SQLite's default for files). */
        DELETE,
        /** Rollback journal truncated at each commit. */
        TRUNCATE,
        /** Rollback journal header zeroed at each commit. */
        PERSIST,
        /** Rollback journal kept in memory. */
        MEMORY,
        /** Write-ahead log: readers do not block the writer. */
        WAL,
        /** No journal: no atomic commit or rollback. */
        OFF
    }

    /** SQLite synchronous settings ({@code PRAGMA synchronous}). */
    public enum SynchronousMode {
        /** No fsync: fastest; a power loss can corrupt the database. */
        OFF,
        /** fsync at critical moments; in WAL mode durable up to the last checkpointed commit. */
        NORMAL,
        /** fsync on every commit (SQLite's default). */
        FULL,
        /** Like FULL, plus the directory after unlinking a rollback journal. */
        EXTRA
    }

    private final String database;
    private final int iterChunkSize;
    private final IsolationLevel isolationLevel;
    private final Autocommit autocommit;
    private final Duration busyTimeout;
    private final JournalMode journalMode;
    private final SynchronousMode synchronous;
    private final boolean foreignKeys;
    private final boolean readOnly;
    private final Map<String, String> pragmas;
    private final int queueCapacity;
    private final Executor completionExecutor;
    private final ThreadFactory threadFactory;
    private final boolean loadExtensionEnabled;
    private final Duration shutdownGracePeriod;
    private final int statementCacheSize;
    private final Duration statementTimeout;
    private final Duration livePollInterval;
    private final Duration workerKeepAlive;
    private final Function<? super AsyncConnection, ? extends CompletionStage<?>> onOpen;

    private SqliteConfig(Builder b) {
        this.database = b.database;
        this.iterChunkSize = b.iterChunkSize;
        this.isolationLevel = b.isolationLevel;
        this.autocommit = b.autocommit;
        this.busyTimeout = b.busyTimeout;
        this.journalMode = b.journalMode;
        this.synchronous = b.synchronous;
        this.foreignKeys = b.foreignKeys;
        this.readOnly = b.readOnly;
        this.pragmas = Collections.unmodifiableMap(new LinkedHashMap<>(b.pragmas));
        this.queueCapacity = b.queueCapacity;
        this.completionExecutor = b.completionExecutor;
        this.threadFactory = b.threadFactory;
        this.loadExtensionEnabled = b.loadExtensionEnabled;
        this.shutdownGracePeriod = b.shutdownGracePeriod;
        this.statementCacheSize = b.statementCacheSize;
        this.statementTimeout = b.statementTimeout;
        this.livePollInterval = b.livePollInterval;
        this.workerKeepAlive = b.workerKeepAlive;
        this.onOpen = b.onOpen;
    }

    /**
     * Starts a configuration for a database location.
     *
     * @param database a file path, {@code ":memory:"} for a private in-memory database, {@code ""}
     *     for a private temporary file, or a {@code file:} URI such as {@code
     *     "file:data.db?mode=ro"} or {@code "file:shared?mode=memory&cache=shared"}
     * @return a builder with every default set
     * @throws NullPointerException if {@code database} is null
     */
    public static Builder builder(String database) {
        return new Builder(Objects.requireNonNull(database, "database must not be null"));
    }

    /**
     * Starts a configuration for a database file.
     *
     * @param database the file's path
     * @return a builder with every default set
     * @throws NullPointerException if {@code database} is null
     */
    public static Builder builder(Path database) {
        return builder(Objects.requireNonNull(database, "database must not be null").toString());
    }

    /**
     * A builder that starts from this configuration, to derive a variant.
     *
     * @return a new builder holding this configuration's values
     */
    public Builder toBuilder() {
        Builder b = new Builder(database);
        b.iterChunkSize = iterChunkSize;
        b.isolationLevel = isolationLevel;
        b.autocommit = autocommit;
        b.busyTimeout = busyTimeout;
        b.journalMode = journalMode;
        b.synchronous = synchronous;
        b.foreignKeys = foreignKeys;
        b.readOnly = readOnly;
        b.pragmas.putAll(pragmas);
        b.queueCapacity = queueCapacity;
        b.completionExecutor = completionExecutor;
        b.threadFactory = threadFactory;
        b.loadExtensionEnabled = loadExtensionEnabled;
        b.shutdownGracePeriod = shutdownGracePeriod;
        b.statementCacheSize = statementCacheSize;
        b.statementTimeout = statementTimeout;
        b.livePollInterval = livePollInterval;
        b.workerKeepAlive = workerKeepAlive;
        b.onOpen = onOpen;
        return b;
    }

    /** {@return the database location exactly as given} */
    public String database() {
        return database;
    }

    /** {@return the rows fetched per worker round trip when iterating a cursor (default 64)} */
    public int iterChunkSize() {
        return iterChunkSize;
    }

    /**
     * {@return how transactions begin implicitly under {@link Autocommit#LEGACY} transaction
     * control (default {@link IsolationLevel#DEFERRED})}
     */
    public IsolationLevel isolationLevel() {
        return isolationLevel;
    }

    /** {@return who opens and ends transactions (default {@link Autocommit#LEGACY})} */
    public Autocommit autocommit() {
        return autocommit;
    }

    /** {@return how long SQLite retries a locked database before failing with BUSY (default 5 s)} */
    public Duration busyTimeout() {
        return busyTimeout;
    }

    /** {@return the journal mode to set at open, or null to keep SQLite's} */
    public JournalMode journalMode() {
        return journalMode;
    }

    /** {@return the synchronous mode to set at open, or null to keep SQLite's} */
    public SynchronousMode synchronous() {
        return synchronous;
    }

    /** {@return whether {@code PRAGMA foreign_keys=ON} is set at open (default false)} */
    public boolean foreignKeys() {
        return foreignKeys;
    }

    /** {@return whether the database is opened read-only (default false)} */
    public boolean readOnly() {
        return readOnly;
    }

    /** {@return extra PRAGMAs run at open, in insertion order (name to value)} */
    public Map<String, String> pragmas() {
        return pragmas;
    }

    /** {@return the most tasks that may wait in the connection's queue (default 65,536)} */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** {@return the executor that completes futures (default {@link ForkJoinPool#commonPool()})} */
    public Executor completionExecutor() {
        return completionExecutor;
    }

    /** {@return the factory for the worker thread, or null for the built-in daemon factory} */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** {@return whether extension loading is enabled at open (default false)} */
    public boolean loadExtensionEnabled() {
        return loadExtensionEnabled;
    }

    /** {@return how long JVM shutdown waits for queued work before interrupting it (default 5 s)} */
    public Duration shutdownGracePeriod() {
        return shutdownGracePeriod;
    }

    /** {@return the number of prepared statements kept per connection (default 128; 0 = none)} */
    public int statementCacheSize() {
        return statementCacheSize;
    }

    /** {@return the longest an operation may run before it is stopped (zero: no limit, the default)} */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /**
     * {@return how often live queries look for commits of other connections and processes ({@code
     * PRAGMA data_version}) while they watch and the connection is idle (default 1 s; zero:
     * never)}
     */
    public Duration livePollInterval() {
        return livePollInterval;
    }

    /**
     * {@return how long an idle connection keeps its worker thread (default 10 s; zero: for as long
     * as it is open); see {@link Builder#workerKeepAlive}}
     */
    public Duration workerKeepAlive() {
        return workerKeepAlive;
    }

    /**
     * {@return what runs on every new connection before {@code connect} completes (see {@link
     * Builder#onOpen}), or null (the default)}
     */
    public Function<? super AsyncConnection, ? extends CompletionStage<?>> onOpen() {
        return onOpen;
    }

    @Override
    public String toString() {
        return "SqliteConfig{database=" + database + ", isolationLevel=" + isolationLevel
                + ", autocommit=" + autocommit
                + ", busyTimeout=" + busyTimeout + ", journalMode=" + journalMode
                + ", synchronous=" + synchronous + ", foreignKeys=" + foreignKeys
                + ", readOnly=" + readOnly + ", pragmas=" + pragmas + ", iterChunkSize="
                + iterChunkSize + ", queueCapacity=" + queueCapacity + ", statementCacheSize="
                + statementCacheSize + ", loadExtensionEnabled=" + loadExtensionEnabled
                + ", shutdownGracePeriod=" + shutdownGracePeriod + ", statementTimeout="
                + statementTimeout + ", livePollInterval=" + livePollInterval + ", workerKeepAlive="
                + workerKeepAlive + "}";
    }

    /** Builds a {@link SqliteConfig}. Not thread-safe; each setter returns this builder. */
    public static final class Builder {
        private final String database;
        private int iterChunkSize = 64;
        private IsolationLevel isolationLevel = IsolationLevel.DEFERRED;
        private Autocommit autocommit = Autocommit.LEGACY;
        private Duration busyTimeout = Duration.ofSeconds(5);
        private JournalMode journalMode;
        private SynchronousMode synchronous;
        private boolean foreignKeys;
        private boolean readOnly;
        private final Map<String, String> pragmas = new LinkedHashMap<>();
        private int queueCapacity = 65_536;
        private Executor completionExecutor = ForkJoinPool.commonPool();
        private ThreadFactory threadFactory;
        private boolean loadExtensionEnabled;
        private Duration shutdownGracePeriod = Duration.ofSeconds(5);
        private Function<? super AsyncConnection, ? extends CompletionStage<?>> onOpen;
        private int statementCacheSize = 128;
        private Duration statementTimeout = Duration.ZERO;
        private Duration livePollInterval = Duration.ofSeconds(1);
        private Duration workerKeepAlive = Duration.ofSeconds(10);

        private Builder(String database) {
            this.database = database;
        }

        /**
         * Sets the rows fetched per round trip when a cursor is iterated ({@link AsyncCursor#rows()},
         * {@link AsyncCursor#forEach}); each cursor starts with this value.
         *
         * @param rows at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code rows < 1}
         */
        public Builder iterChunkSize(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("iterChunkSize must be at least 1, was " + rows);
            }
            this.iterChunkSize = rows;
            return this;
        }

        /**
         * Sets how transactions begin implicitly under {@link Autocommit#LEGACY} transaction
         * control (Python's {@code isolation_level}); with {@link Autocommit#ON} or {@link
         * Autocommit#OFF} it only chooses the {@code BEGIN} of {@link
         * AsyncConnection#transaction(SqlFunction) transaction(body)}.
         *
         * @param level the level; {@link IsolationLevel#AUTOCOMMIT} for none
         * @return this builder
         * @throws NullPointerException if {@code level} is null
         */
        public Builder isolationLevel(IsolationLevel level) {
            this.isolationLevel = Objects.requireNonNull(level, "isolationLevel must not be null");
            return this;
        }

        /**
         * Sets who opens and ends transactions, as Python 3.12's {@code autocommit} argument of
         * {@code sqlite3.connect}: {@link Autocommit#LEGACY} (the default) leaves it to the
         * {@link #isolationLevel isolation level}, {@link Autocommit#ON} to you (SQLite's
         * autocommit mode), {@link Autocommit#OFF} keeps a transaction always open (PEP 249
         * manual commit). With {@link Autocommit#OFF}, the transaction begins after the PRAGMAs
         * and the {@link #onOpen onOpen} hook, so the hook's statements commit by themselves.
         * A {@link SqlitePool} refuses {@link Autocommit#OFF}; the R2DBC driver runs its
         * connections in its own mode whatever this says.
         *
         * @param mode the mode
         * @return this builder
         * @throws NullPointerException if {@code mode} is null
         */
        public Builder autocommit(Autocommit mode) {
            this.autocommit = Objects.requireNonNull(mode, "autocommit must not be null");
            return this;
        }

        /**
         * Sets SQLite's busy timeout: how long a statement waits for another connection's lock
         * before failing with {@code SQLITE_BUSY}.
         *
         * @param timeout zero or more, at most {@link Integer#MAX_VALUE} milliseconds
         * @return this builder
         * @throws IllegalArgumentException if negative or too large
         */
        public Builder busyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "busyTimeout must not be null");
            if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, was " + timeout);
            }
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * Sets the journal mode applied at open.
         *
         * @param mode the mode, or null to keep SQLite's default
         * @return this builder
         */
        public Builder journalMode(JournalMode mode) {
            this.journalMode = mode;
            return this;
        }

        /**
         * Sets the synchronous mode applied at open.
         *
         * @param mode the mode, or null to keep SQLite's default
         * @return this builder
         */
        public Builder synchronous(SynchronousMode mode) {
            this.synchronous = mode;
            return this;
        }

        /**
         * Enables foreign key enforcement ({@code PRAGMA foreign_keys=ON}) at open.
         *
         * @param enabled true to enforce foreign keys
         * @return this builder
         */
        public Builder foreignKeys(boolean enabled) {
            this.foreignKeys = enabled;
            return this;
        }

        /**
         * Opens the database read-only: every write fails with {@link
         * java.sql.SQLNonTransientException} ({@code SQLITE_READONLY}), and a missing file is not
         * created.
         *
         * @param readOnly true for read-only
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Adds a PRAGMA run right after open, after the settings above ({@code PRAGMA name=value}).
         *
         * @param name the pragma name, letters, digits and underscores only (e.g. {@code
         *     "cache_size"})
         * @param value the value, as SQL text (e.g. {@code "-20000"})
         * @return this builder
         * @throws IllegalArgumentException if the name is not a plain identifier
         */
        public Builder pragma(String name, String value) {
            Objects.requireNonNull(name, "pragma name must not be null");
            Objects.requireNonNull(value, "pragma value must not be null");
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException(
                        "pragma name must be a plain identifier like cache_size, was '" + name + "'");
            }
            this.pragmas.put(name.toLowerCase(Locale.ROOT), value);
            return this;
        }

        /**
         * Sets how many tasks may wait in the connection's queue. A call made while the queue is
         * full fails at once with {@link java.sql.SQLTransientException}; it never blocks.
         *
         * @param tasks at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code tasks < 1}
         */
        public Builder queueCapacity(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, was " + tasks);
            }
            this.queueCapacity = tasks;
            return this;
        }

        /**
         * Sets the executor that completes the futures this connection returns, and therefore runs
         * the callbacks attached to them without an explicit executor. The default, {@link
         * ForkJoinPool#commonPool()}, keeps your code off the SQLite thread. {@code Runnable::run}
         * completes on the worker thread itself: lowest latency, but a callback that blocks then
         * stalls the connection, and one that waits on the same connection deadlocks.
         *
         * <p>The connection does not depend on the executor running what it accepted: once it is
         * shut down ({@link java.util.concurrent.ExecutorService#isShutdown()}) or refuses a job,
         * futures complete on the worker thread, as with {@code Runnable::run}; a job that has
         * not started within a second (dropped, or every thread busy) is replaced by one on the
         * JDK's async pool, logged once as a {@code WARNING}.
         *
         * @param executor the executor
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         */
        public Builder completionExecutor(Executor executor) {
            this.completionExecutor =
                    Objects.requireNonNull(executor, "completionExecutor must not be null");
            return this;
        }

        /**
         * Sets the factory of the connection's worker thread. The default uses daemon platform
         * threads named {@code aiosqlite4j-<n>}, reused by the next connection for up to one
         * second after a close (named {@code aiosqlite4j-idle} meanwhile); a thread from a
         * configured factory is never reused and ends with its connection. A factory that makes
         * non-daemon threads keeps the JVM alive until the connection is closed; a virtual-thread
         * factory gains nothing, since SQLite's native calls pin the carrier.
         *
         * @param factory the factory, or null for the default
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = factory;
            return this;
        }

        /**
         * Enables {@code load_extension()} at open (off by default: loading native code from SQL is
         * a security risk). {@link AsyncConnection#enableLoadExtension(boolean)} changes it later.
         *
         * @param enabled true to allow extension loading
         * @return this builder
         */
        public Builder loadExtensionEnabled(boolean enabled) {
            this.loadExtensionEnabled = enabled;
            return this;
        }

        /**
         * Sets how long, at JVM shutdown, an open connection may go on running its queued work
         * before the running statement is interrupted and the connection closed.
         *
         * @param gracePeriod zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder shutdownGracePeriod(Duration gracePeriod) {
            Objects.requireNonNull(gracePeriod, "shutdownGracePeriod must not be null");
            if (gracePeriod.isNegative()) {
                throw new IllegalArgumentException(
                        "shutdownGracePeriod must not be negative, was " + gracePeriod);
            }
            this.shutdownGracePeriod = gracePeriod;
            return this;
        }

        /**
         * Sets how long a connection with nothing to do keeps its worker thread. After that the
         * thread is given back (a platform thread's stack and kernel task are most of what an
         * open connection costs beyond SQLite's own memory) and the connection's next operation
         * starts one again (reusing an idle one when there is; tens of microseconds otherwise), so
         * a thousand idle connections hold no threads and none of them wakes up. The connection,
         * its database and its order of operations are not affected. Not applied to threads of a
         * configured {@link #threadFactory}, which end with their connection.
         *
         * @param keepAlive zero (keep the thread while the connection is open) or more; default
         *     10 s
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder workerKeepAlive(Duration keepAlive) {
            Objects.requireNonNull(keepAlive, "workerKeepAlive must not be null");
            if (keepAlive.isNegative()) {
                throw new IllegalArgumentException(
                        "workerKeepAlive must not be negative, was " + keepAlive);
            }
            this.workerKeepAlive = keepAlive;
            return this;
        }

        /**
         * Sets how often live queries ({@link AsyncConnection#watch}, {@link SqlitePool#watch})
         * read {@code PRAGMA data_version} to notice commits made by other connections or
         * processes, whose hooks they do not see. Read only while someone watches, and skipped
         * for a tick in which the connection committed something itself; when it moved, every
         * watcher re-queries. This bounds how late a watcher learns of such a commit.
         *
         * @param interval zero (never look) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder livePollInterval(Duration interval) {
            Objects.requireNonNull(interval, "livePollInterval must not be null");
            if (interval.isNegative()) {
                throw new IllegalArgumentException(
                        "livePollInterval must not be negative, was " + interval);
            }
            this.livePollInterval = interval;
            return this;
        }

        /**
         * Sets how many prepared statements the connection keeps for reuse, keyed by SQL text,
         * least recently used first out (Python's {@code cached_statements}).
         *
         * @param statements zero (no cache) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder statementCacheSize(int statements) {
            if (statements < 0) {
                throw new IllegalArgumentException(
                        "statementCacheSize must not be negative, was " + statements);
            }
            this.statementCacheSize = statements;
            return this;
        }

        /**
         * Sets a deadline for every operation of the connection, counted from when the worker
         * starts it: a statement still running at the deadline is aborted and the future fails
         * with {@link java.sql.SQLTimeoutException}; the connection stays usable. A single call
         * can set its own deadline with {@code future.orTimeout(...)} instead (which also counts
         * time spent in the queue).
         *
         * @param timeout zero for no limit (the default), or a positive duration
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder statementTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "statementTimeout must not be null");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("statementTimeout must not be negative, was "
                        + timeout);
            }
            this.statementTimeout = timeout;
            return this;
        }

        /**
         * Sets what to do on every connection opened with this configuration, after the database
         * is open and its PRAGMAs are set, before the future of {@link AioSqlite#connect} completes:
         * register functions and collations, {@code ATTACH} other databases, prepare temporary
         * tables. It matters most where you do not open the connections yourself: every connection
         * of a {@link SqlitePool} (the writer and each reader) and of an R2DBC connection factory
         * runs it.
         *
         * <pre>{@code
         * SqliteConfig.builder("app.db")
         *         .onOpen(db -> db.createFunction("slug", 1, args -> slug((String) args[0]), true))
         *         .build();
         * }</pre>
         *
         * <p>The hook is called on the completion executor with the open connection; use its
         * asynchronous methods and return a stage that completes when it is done. If the hook
         * throws or its stage fails, the connection is closed and the future of {@code connect}
         * fails with that exception.
         *
         * @param hook the set-up, or null for none (the default)
         * @return this builder
         */
        public Builder onOpen(Function<? super AsyncConnection, ? extends CompletionStage<?>> hook) {
            this.onOpen = hook;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         * @throws IllegalStateException if the settings contradict each other
         */
        public SqliteConfig build() {
            if (readOnly && journalMode != null) {
                throw new IllegalStateException("a read-only connection cannot set the journal mode"
                        + " (asked for " + journalMode + "); leave journalMode unset");
            }
            return new SqliteConfig(this);
        }
    }
}
