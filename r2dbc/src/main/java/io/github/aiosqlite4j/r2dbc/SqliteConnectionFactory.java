package io.github.aiosqlite4j.r2dbc;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Autocommit;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.internal.pool.DefaultSqlitePool;
import io.github.aiosqlite4j.r2dbc.internal.BaseConnection;
import io.github.aiosqlite4j.r2dbc.internal.ExceptionFactory;
import io.github.aiosqlite4j.r2dbc.internal.PooledConnection;
import io.github.aiosqlite4j.r2dbc.internal.SqliteConnection;
import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.RowMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.Function;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * An R2DBC {@link ConnectionFactory} for SQLite: each {@link #create()} opens one core
 * {@link AsyncConnection} (one worker thread) with the factory's {@link SqliteConfig}.
 *
 * <pre>{@code
 * ConnectionFactory cf = SqliteConnectionFactory.create(
 *         SqliteConfig.builder("app.db").journalMode(SqliteConfig.JournalMode.WAL).build());
 * Flux.usingWhen(cf.create(),
 *         c -> c.createStatement("SELECT name FROM person WHERE id = $1").bind(0, 42).execute(),
 *         Connection::close);
 * }</pre>
 *
 * <p>Most applications obtain it from a URL instead, through {@link
 * io.r2dbc.spi.ConnectionFactories#get(String)} and {@link SqliteConnectionFactoryProvider}.
 *
 * <p>A shared in-memory database ({@code file:name?mode=memory&cache=shared}, URL form {@code
 * r2dbc:sqlite:mem:///name}) lives only while a connection to it is open. For it, the factory
 * holds one extra connection open from the first {@code create()} until {@link #close()}, so the
 * data survives between connections. Its worker thread is a daemon: a forgotten factory does not
 * keep the JVM alive.
 *
 * <p><b>Pool routing.</b> With {@link Builder#pool(PoolOptions)} (URL option {@code pool=true}),
 * the factory opens one {@link SqlitePool} on its first {@code create()} (one writer, several
 * readers, WAL) and every connection it creates shares it: no connection has a thread of its
 * own, statements outside a transaction run on a reader or the writer by what they do, and a
 * transaction holds the writer (a read-only one, a reader) until it ends, so concurrent
 * transactions queue for the writer instead of failing with {@code SQLITE_BUSY}. The lock-wait
 * timeout ({@code busyTimeout} by default) bounds that wait. {@link #close()} closes the pool.
 *
 * <p>Thread-safe. The configuration's isolation level is replaced by {@link
 * IsolationLevel#AUTOCOMMIT} and its {@link SqliteConfig#autocommit() autocommit} by {@link
 * Autocommit#LEGACY}: R2DBC connections begin transactions explicitly (or implicitly when
 * auto-commit is off), and the configuration's statement timeout becomes each connection's initial
 * {@link Connection#setStatementTimeout statement timeout}.
 */
public final class SqliteConnectionFactory implements ConnectionFactory, Closeable {

    /** The {@code System.Logger} that leak detection warns on. */
    public static final String LEAK_LOGGER = "io.github.aiosqlite4j.r2dbc.leak";

    /** The metadata: {@code getName()} is {@code "SQLite"}, what Spring and jOOQ look up. */
    public static final ConnectionFactoryMetadata METADATA = () -> "SQLite";

    private final SqliteConfig config;
    private final IsolationLevel transactionMode;
    private final Duration statementTimeout;
    private final boolean keepAlive;
    private final PoolOptions poolOptions;
    /** Leak detection: how long a connection may stay open before a warning; null for off. */
    private final Duration leakDetectionThreshold;
    private final Object lock = new Object();
    private CompletableFuture<AsyncConnection> keeper;
    private CompletableFuture<SqlitePool> pool;
    private boolean closed;

    private SqliteConnectionFactory(Builder b) {
        this.statementTimeout = b.config.statementTimeout();
        this.config = b.config.toBuilder()
                .isolationLevel(IsolationLevel.AUTOCOMMIT)
                .autocommit(Autocommit.LEGACY)
                .statementTimeout(Duration.ZERO)
                .build();
        this.transactionMode = b.transactionMode;
        this.keepAlive = isSharedMemory(b.config.database()) && b.poolOptions == null;
        this.poolOptions = b.poolOptions;
        this.leakDetectionThreshold = b.leakDetectionThreshold;
        if (this.poolOptions != null) {
            DefaultSqlitePool.checkDatabase(this.config);
        }
    }

    /**
     * A factory with the default transaction mode (DEFERRED).
     *
     * @param config where the database is and how to open it
     * @return the factory
     * @throws NullPointerException if {@code config} is null
     */
    public static SqliteConnectionFactory create(SqliteConfig config) {
        return builder(config).build();
    }

    /**
     * Starts a factory with more settings.
     *
     * @param config where the database is and how to open it
     * @return a builder
     * @throws NullPointerException if {@code config} is null
     */
    public static Builder builder(SqliteConfig config) {
        return new Builder(Objects.requireNonNull(config, "config must not be null"));
    }

    private static boolean isSharedMemory(String database) {
        return database.startsWith("file:") && database.contains("mode=memory");
    }

    /**
     * Opens a connection. The connection's worker thread opens the database; the Mono completes
     * on the core's completion executor. Cancelling the subscription before it completes cancels
     * the open (the core closes a connection nobody will receive; one that Reactor drops on a
     * late cancel is closed through the discard hook).
     *
     * @return a Mono of a new connection; it fails with an {@link io.r2dbc.spi.R2dbcException} if
     *     the database cannot be opened, and with {@link io.r2dbc.spi.R2dbcNonTransientResourceException}
     *     after {@link #close()}
     */
    @Override
    public Mono<Connection> create() {
        if (this.leakDetectionThreshold == null) {
            return open();
        }
        return Mono.defer(() -> {
            Throwable acquired = new Throwable("the connection was acquired here");
            return open().doOnNext(c -> watch((BaseConnection) c, acquired));
        });
    }

    /**
     * Leak detection: unless {@code c} has been closed once the threshold has passed, logs a
     * WARNING on the {@code System.Logger} {@value #LEAK_LOGGER} with the stack of its
     * acquisition.
     */
    private void watch(BaseConnection c, Throwable acquired) {
        Duration threshold = this.leakDetectionThreshold;
        // Runs on the JDK's delay thread itself: checks fire in deadline order, one at a time.
        Executor delay = CompletableFuture.delayedExecutor(threshold.toNanos(), TimeUnit.NANOSECONDS,
                Runnable::run);
        delay.execute(() -> {
            if (!c.isCloseRequested()) {
                System.getLogger(LEAK_LOGGER).log(System.Logger.Level.WARNING, "Possible connection"
                        + " leak: an R2DBC connection to '" + this.config.database() + "' has been open"
                        + " for more than " + threshold + " (leakDetectionThreshold) without close()",
                        acquired);
            }
        });
    }

    private Mono<Connection> open() {
        if (this.poolOptions != null) {
            return poolReady().<Connection>map(p -> new PooledConnection(p, this.transactionMode,
                    this.statementTimeout, this.config.busyTimeout()))
                    .onErrorMap(ExceptionFactory::translate);
        }
        // The discard hooks cover only the connect below (a keeper passed through then() must not
        // be closed as "discarded").
        Mono<Connection> open = Mono.fromFuture(() -> AioSqlite.connect(this.config))
                .<Connection>map(core -> new SqliteConnection(core, this.transactionMode,
                        this.statementTimeout))
                .doOnDiscard(AsyncConnection.class, AsyncConnection::closeAsync)
                .doOnDiscard(SqliteConnection.class, c -> c.close().subscribe());
        return keeperReady().then(open).onErrorMap(ExceptionFactory::translate);
    }

    /** The factory's pool, opened by the first caller; opened again if that open failed. */
    private Mono<SqlitePool> poolReady() {
        return Mono.defer(() -> {
            CompletableFuture<SqlitePool> p;
            synchronized (this.lock) {
                if (this.closed) {
                    return Mono.error(ExceptionFactory.closed("create a connection"));
                }
                if (this.pool == null || this.pool.isCompletedExceptionally()) {
                    this.pool = SqlitePool.open(this.config, this.poolOptions);
                }
                p = this.pool;
            }
            return Mono.fromFuture(p, true);
        });
    }

    private Mono<Void> keeperReady() {
        if (!this.keepAlive) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
            CompletableFuture<AsyncConnection> k;
            synchronized (this.lock) {
                if (this.closed) {
                    return Mono.error(ExceptionFactory.closed("create a connection"));
                }
                if (this.keeper == null || this.keeper.isCompletedExceptionally()) {
                    this.keeper = AioSqlite.connect(this.config);
                }
                k = this.keeper;
            }
            return Mono.fromFuture(k, true).then();
        });
    }

    /**
     * Releases what the factory holds: for a shared in-memory database, the connection that keeps
     * it alive (the database disappears when its last connection closes); in pool mode, the pool
     * (it lets the transactions and results in progress finish, checkpoints the WAL and closes
     * its connections; pooled connections fail from then on). Connections created without a pool
     * stay open. Idempotent.
     *
     * @return a Mono that completes when released
     */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            CompletableFuture<AsyncConnection> k;
            CompletableFuture<SqlitePool> p;
            synchronized (this.lock) {
                this.closed = true;
                k = this.keeper;
                this.keeper = null;
                p = this.pool;
                this.pool = null;
            }
            Mono<Void> closing = Mono.empty();
            if (k != null) {
                closing = Mono.fromFuture(k, true).flatMap(c -> Mono.fromFuture(c::closeAsync));
            }
            if (p != null) {
                closing = Mono.fromFuture(p, true).flatMap(c -> Mono.fromFuture(c::closeAsync));
            }
            return closing.onErrorResume(e -> Mono.empty());
        });
    }

    /**
     * A live query (an extension: R2DBC has no such SPI): the rows of one read-only statement at
     * subscription and again after every commit that changed a table it reads, as the core's
     * {@link SqlitePool#watch(String, Object...)}. In pool mode it runs on the factory's pool,
     * so every commit made through this factory's connections is seen at once. Without a pool,
     * each subscription opens a connection of its own (closed when the Flux ends or is
     * cancelled), which learns of other connections' commits through {@code PRAGMA data_version}
     * ({@link SqliteConfig#livePollInterval()}). Behind Spring Boot's or r2dbc-pool's wrappers,
     * reach the factory by {@link io.r2dbc.spi.Wrapped#unwrap()} until it is one (the example's
     * {@code LiveController} does).
     *
     * @param sql one read-only statement
     * @param params positional parameter values
     * @return a cold Flux of results; demand is honoured (only the newest result is kept)
     * @throws IllegalArgumentException if {@code sql} is not one read-only statement (in pool
     *     mode; else the Flux fails with it)
     */
    public Flux<List<Row>> watch(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        return live(c -> c.watch(sql, params), p -> p.watch(sql, params));
    }

    /**
     * A live query of mapped rows: see {@link #watch(String, Object...)}.
     *
     * @param sql one read-only statement
     * @param mapper maps each row (on a worker thread)
     * @param params positional parameter values
     * @param <T> the mapped type
     * @return a cold Flux of results
     */
    public <T> Flux<List<T>> watch(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        return live(c -> c.watch(sql, mapper, params), p -> p.watch(sql, mapper, params));
    }

    private <T> Flux<List<T>> live(Function<AsyncConnection, Flow.Publisher<List<T>>> onConnection,
            Function<SqlitePool, Flow.Publisher<List<T>>> onPool) {
        if (this.poolOptions != null) {
            return poolReady().flatMapMany(p -> JdkFlowAdapter.flowPublisherToFlux(onPool.apply(p)));
        }
        return Flux.usingWhen(keeperReady().then(Mono.fromFuture(() -> AioSqlite.connect(this.config))),
                c -> JdkFlowAdapter.flowPublisherToFlux(onConnection.apply(c)),
                c -> Mono.fromFuture(c::closeAsync));
    }

    /**
     * Instrumentation of a pool-mode connection (an extension: R2DBC has no such SPI): has {@code
     * observer} told each time {@code connection} takes one of the pool's SQLite connections for
     * its statements and gives it back. While leased, that SQLite connection runs this R2DBC
     * connection's work and nobody else's, so what its callbacks report (such as the time of a
     * {@link AsyncConnection#setProfileCallback profile callback}) belongs to this connection:
     * how the Micrometer module puts SQLite's statement time on the spans of a pooled
     * connection. Replaces an observer set before; a lease already taken is reported back to the
     * observer that was told of it.
     *
     * @param connection a connection of a factory in pool mode, or a wrapper around one (such as
     *     r2dbc-pool's or r2dbc-proxy's), unwrapped through {@link io.r2dbc.spi.Wrapped}
     * @param observer the observer, or null to remove it
     * @return true if the connection is a pool-mode connection of this driver, false (and
     *     nothing set) otherwise
     */
    public static boolean observeLeases(Object connection, LeaseObserver observer) {
        Object current = connection;
        for (int depth = 0; depth < 16 && current != null; depth++) {
            if (current instanceof PooledConnection pooled) {
                pooled.observeLeases(observer);
                return true;
            }
            current = current instanceof io.r2dbc.spi.Wrapped<?> w ? w.unwrap() : null;
        }
        return false;
    }

    /**
     * Told when a pool-mode R2DBC connection takes one of the pool's SQLite connections and when
     * it gives it back ({@link #observeLeases}). Both methods run on whichever thread grants or
     * ends the lease, while the R2DBC connection's own work waits: they must be quick, must not
     * block and must not use the R2DBC connection. An exception they throw is logged and
     * ignored.
     */
    public interface LeaseObserver {
        /**
         * {@code sqlite} is now this connection's, before any of its work is queued there.
         *
         * @param sqlite the pool's connection (the writer or a reader); do not close it
         */
        void leased(AsyncConnection sqlite);

        /**
         * {@code sqlite} goes back to the pool: its work for this connection is done (a
         * transaction left open is rolled back after this).
         *
         * @param sqlite the connection given in {@link #leased}
         */
        void released(AsyncConnection sqlite);
    }

    /**
     * Returns the metadata, whose name is {@code "SQLite"}.
     *
     * @return {@link #METADATA}
     */
    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return METADATA;
    }

    /**
     * Returns the core configuration connections are opened with (isolation level AUTOCOMMIT,
     * autocommit LEGACY).
     *
     * @return the configuration
     */
    public SqliteConfig config() {
        return this.config;
    }

    /**
     * Returns the pool settings of a factory in pool mode ({@link Builder#pool(PoolOptions)}, URL
     * option {@code pool=true}).
     *
     * @return the pool's options, or empty if connections do not share a pool
     */
    public Optional<PoolOptions> poolOptions() {
        return Optional.ofNullable(this.poolOptions);
    }

    /**
     * Returns a snapshot of the pool's gauges and counters ({@link SqlitePool#metrics()}): what a
     * Micrometer binder or a health check reads. Cheap and non-blocking; callable from any
     * thread.
     *
     * @return the metrics, or empty if the factory has no pool, has not opened it yet (the first
     *     {@link #create()} does), failed to open it, or is closed
     */
    public Optional<PoolMetrics> poolMetrics() {
        CompletableFuture<SqlitePool> p;
        synchronized (this.lock) {
            p = this.pool;
        }
        return p == null || !p.isDone() || p.isCompletedExceptionally()
                ? Optional.empty() : Optional.of(p.join().metrics());
    }

    @Override
    public String toString() {
        return "SqliteConnectionFactory{" + this.config + ", transactionMode="
                + this.transactionMode + (this.poolOptions == null ? "" : ", " + this.poolOptions)
                + "}";
    }

    /** Builds a {@link SqliteConnectionFactory}. Not thread-safe. */
    public static final class Builder {
        private final SqliteConfig config;
        private IsolationLevel transactionMode = IsolationLevel.DEFERRED;
        private PoolOptions poolOptions;
        private Duration leakDetectionThreshold;

        private Builder(SqliteConfig config) {
            this.config = config;
        }

        /**
         * Routes every connection of the factory through one {@link SqlitePool} with these
         * options (see the class comment); null (the default) gives every connection its own
         * SQLite connection and worker thread instead.
         *
         * @param options the pool's settings, or null for no pool
         * @return this builder
         */
        public Builder pool(PoolOptions options) {
            this.poolOptions = options;
            return this;
        }

        /**
         * Leak detection, as HikariCP's {@code leakDetectionThreshold}: a connection still open
         * (its {@code close()} not subscribed) this long after {@code create()} gave it is
         * reported once as a WARNING on the {@code System.Logger} {@value #LEAK_LOGGER}, with the
         * stack of the {@code create()} call. The check runs on a JDK delayed executor; the stack
         * is captured only when detection is on. Null (the default) turns it off.
         *
         * @param threshold how long a connection may stay open, or null for off
         * @return this builder
         * @throws IllegalArgumentException if {@code threshold} is zero or negative
         */
        public Builder leakDetectionThreshold(Duration threshold) {
            if (threshold != null && (threshold.isZero() || threshold.isNegative())) {
                throw new IllegalArgumentException("leakDetectionThreshold must be positive, was "
                        + threshold);
            }
            this.leakDetectionThreshold = threshold;
            return this;
        }

        /**
         * How {@code beginTransaction()} and savepoints outside a transaction begin: {@code
         * BEGIN DEFERRED} (the default), {@code IMMEDIATE} (take the write lock at once, the usual
         * cure for {@code SQLITE_BUSY} in read-then-write transactions) or {@code EXCLUSIVE}.
         *
         * @param mode DEFERRED, IMMEDIATE or EXCLUSIVE
         * @return this builder
         * @throws IllegalArgumentException if {@code mode} is null or AUTOCOMMIT
         */
        public Builder transactionMode(IsolationLevel mode) {
            if (mode == null) {
                throw new IllegalArgumentException("transactionMode must not be null");
            }
            this.transactionMode = BaseConnection.beginMode(mode);
            return this;
        }

        /**
         * Builds the factory. Opens nothing: the first {@code create()} does.
         *
         * @return a new factory
         * @throws IllegalArgumentException in pool mode, if the database is in memory or temporary
         *     (a pool needs a file its connections share) or the journal mode is not WAL
         */
        public SqliteConnectionFactory build() {
            return new SqliteConnectionFactory(this);
        }
    }
}
