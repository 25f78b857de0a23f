package io.github.aiosqlite4j.micrometer;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.ProfileCallback;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.micrometer.observation.Observation;
import io.r2dbc.proxy.core.ConnectionInfo;
import io.r2dbc.proxy.core.MethodExecutionInfo;
import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.listener.ProxyExecutionListener;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Wrapped;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adds what SQLite knows to the span of each R2DBC query that r2dbc-proxy's {@code
 * ObservationProxyExecutionListener} (and so Spring Boot's R2DBC observation) creates: the
 * database file, the rows, and the time SQLite measured for the statement. That listener already
 * puts the SQL on the span ({@code r2dbc.query[0]}).
 *
 * <pre>{@code
 * ConnectionFactory traced = ProxyConnectionFactory.builder(sqliteFactory)
 *         .listener(new SqliteObservationListener(sqliteFactory.config().database()))  // first
 *         .listener(new ObservationProxyExecutionListener(registry, sqliteFactory, null))
 *         .build();
 * }</pre>
 *
 * <p>Register it <em>before</em> the observation listener: r2dbc-proxy calls listeners in
 * registration order, and this one must add its key values before that one stops the
 * observation. (The Spring Boot module does this for you.)
 *
 * <table>
 *   <caption>Key values added</caption>
 *   <tr><th>key</th><th>cardinality</th><th>value</th></tr>
 *   <tr><td>{@value #DB_SYSTEM}</td><td>low</td><td>{@code sqlite} (OpenTelemetry's name)</td></tr>
 *   <tr><td>{@value #DB_NAMESPACE}</td><td>low</td><td>the database file, as configured</td></tr>
 *   <tr><td>{@value #RETURNED_ROWS}</td><td>high</td><td>rows read from the results ({@code
 *       Result.map}/{@code flatMap}), as OpenTelemetry's {@code db.response.returned_rows}</td></tr>
 *   <tr><td>{@value #ROWS_UPDATED}</td><td>high</td><td>the update counts read ({@code
 *       Result.getRowsUpdated}), summed</td></tr>
 *   <tr><td>{@value #STATEMENT_NANOS}</td><td>high</td><td>nanoseconds SQLite itself spent
 *       running the statements of the query, from its profile callback ({@link
 *       AsyncConnection#setProfileCallback}; SQLite's clock, whole milliseconds with the Unix
 *       VFS, so a quick statement measures 0); see below</td></tr>
 * </table>
 *
 * <p><b>Statement time.</b> With {@code statementTime} on and the native library loaded ({@link
 * io.github.aiosqlite4j.AioSqlite#nativeFeatures()}), the listener installs a profile callback
 * on each SQLite connection the first time a query runs there (replacing one set before), and
 * tags each query with the time the callback reported during it. A connection of a factory with
 * {@code pool=true} runs its statements on the pool's connections: the listener installs its
 * callback on each of them as it is first leased ({@link SqliteConnectionFactory#observeLeases})
 * and counts a statement's time for the R2DBC connection that held it when it ran (a lease is
 * exclusive), so concurrent connections do not share their times. Without the native library the
 * key is absent.
 *
 * <p>Thread-safe; one listener serves every connection of a factory.
 */
public final class SqliteObservationListener implements ProxyExecutionListener {

    /** The key naming the database system, {@code sqlite}. */
    public static final String DB_SYSTEM = "db.system.name";
    /** The key naming the database file. */
    public static final String DB_NAMESPACE = "db.namespace";
    /** The key of the number of rows read. */
    public static final String RETURNED_ROWS = "db.response.returned_rows";
    /** The key of the summed update counts. */
    public static final String ROWS_UPDATED = "aiosqlite4j.rows_updated";
    /** The key of the time SQLite measured, in nanoseconds. */
    public static final String STATEMENT_NANOS = "aiosqlite4j.statement.nanos";

    private final String database;
    private final boolean statementTime;
    /** The clocks installed, by SQLite connection; a closed connection's entry goes with it. */
    private final Map<AsyncConnection, StatementClock> clocks = new WeakHashMap<>();

    /**
     * A listener that also measures statement time where it can (see the class comment).
     *
     * @param database the database file, the {@value #DB_NAMESPACE} value
     * @throws NullPointerException if {@code database} is null
     */
    public SqliteObservationListener(String database) {
        this(database, true);
    }

    /**
     * A listener.
     *
     * @param database the database file, the {@value #DB_NAMESPACE} value
     * @param statementTime whether to install profile callbacks to measure statement time (see
     *     the class comment)
     * @throws NullPointerException if {@code database} is null
     */
    public SqliteObservationListener(String database, boolean statementTime) {
        this.database = Objects.requireNonNull(database, "database must not be null");
        this.statementTime = statementTime;
    }

    /** What one query saw; in the query's value store. */
    private static final class Counts {
        final AtomicLong rows = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        volatile boolean sawUpdateCount;
        /** The connection's clock when the query began, or null if it has none. */
        StatementClock clock;
        long clockStart;
    }

    /** Which {@link Result} method a connection's results are being read with. */
    private enum Reading {
        ROWS, UPDATE_COUNTS
    }

    /**
     * The SQLite time of one connection's statements, summed by its profile callback on the
     * worker thread; for a pool's connection, also added to the account of the R2DBC connection
     * that leases it at the time.
     */
    private static final class StatementClock implements ProfileCallback {
        final AtomicLong total = new AtomicLong();
        /**
         * Whether the callback is in place (false while it is being installed, or if it failed);
         * for an account, whether one of the clocks it was added to is.
         * The clock keeps nothing of its connection: it is the value of a weak map keyed by it.
         */
        volatile boolean running;
        /** The account of the pooled R2DBC connection that holds this pool connection, or null. */
        volatile StatementClock lessee;
        /** Completed once installed; null for an account. */
        CompletableFuture<Void> installed;

        /** Installs a new clock on {@code connection}. */
        static StatementClock install(AsyncConnection connection) {
            StatementClock clock = new StatementClock();
            clock.installed = connection.setProfileCallback(clock);
            clock.installed.whenComplete((v, e) -> clock.running = e == null);
            return clock;
        }

        @Override
        public void profiled(String sql, long nanos) {
            total.addAndGet(nanos);
            StatementClock account = lessee;
            if (account != null) {
                account.total.addAndGet(nanos);
            }
        }
    }

    /**
     * The account of one pooled R2DBC connection: while it leases a pool connection, that
     * connection's clock adds to it (leases are exclusive, so the time is this connection's).
     */
    private final class Leases implements SqliteConnectionFactory.LeaseObserver {
        final StatementClock account = new StatementClock();

        @Override
        public void leased(AsyncConnection sqlite) {
            StatementClock clock = installed(sqlite); // queued ahead of this connection's work
            clock.lessee = this.account;
            clock.installed.thenRun(() -> this.account.running = true);
        }

        @Override
        public void released(AsyncConnection sqlite) {
            StatementClock clock;
            synchronized (clocks) {
                clock = clocks.get(sqlite);
            }
            if (clock != null && clock.lessee == this.account) {
                clock.lessee = null;
            }
        }
    }

    /** The clock of an SQLite connection, installed the first time. */
    private StatementClock installed(AsyncConnection core) {
        synchronized (this.clocks) {
            return this.clocks.computeIfAbsent(core, StatementClock::install);
        }
    }

    /**
     * Records the query's starting point (and installs the connection's profile callback the
     * first time).
     *
     * @param info the query
     */
    @Override
    public void beforeQuery(QueryExecutionInfo info) {
        Counts counts = new Counts();
        if (this.statementTime) {
            StatementClock clock = clock(info.getConnectionInfo());
            if (clock != null) {
                counts.clock = clock;
                counts.clockStart = clock.total.get();
            }
        }
        info.getValueStore().put(Counts.class, counts);
    }

    /**
     * The clock of the SQLite connection under a logical connection (found through wrappers such
     * as r2dbc-pool's), installed on its first query; for a pooled connection, its account.
     */
    private StatementClock clock(ConnectionInfo connection) {
        if (connection == null) {
            return null;
        }
        StatementClock clock = connection.getValueStore().get(StatementClock.class, StatementClock.class);
        if (clock == null) {
            Object original = connection.getOriginalConnection();
            AsyncConnection core = core(original);
            if (core != null) {
                // One per SQLite connection, however often r2dbc-pool hands it out. Installed on
                // the worker ahead of the query's statements, so they are measured.
                clock = installed(core);
            } else {
                Leases leases = new Leases();
                if (!SqliteConnectionFactory.observeLeases(original, leases)) {
                    return null;
                }
                clock = leases.account;
            }
            connection.getValueStore().put(StatementClock.class, clock);
        }
        return clock;
    }

    /** The core connection a driver connection wraps (through other wrappers), or null. */
    private static AsyncConnection core(Object connection) {
        Object current = connection;
        for (int depth = 0; depth < 8 && current != null; depth++) {
            if (current instanceof AsyncConnection core) {
                return core;
            }
            current = current instanceof Wrapped<?> w ? w.unwrap() : null;
        }
        return null;
    }

    /**
     * Notes whether a connection's results are read as rows or as update counts.
     *
     * @param info a method call on a proxied object
     */
    @Override
    public void beforeMethod(MethodExecutionInfo info) {
        if (info.getTarget() instanceof Result && info.getConnectionInfo() != null) {
            String name = info.getMethod().getName();
            Reading reading = "getRowsUpdated".equals(name) ? Reading.UPDATE_COUNTS
                    : "map".equals(name) || "flatMap".equals(name) ? Reading.ROWS : null;
            if (reading != null) {
                info.getConnectionInfo().getValueStore().put(Reading.class, reading);
            }
        }
    }

    /**
     * Counts a row, or adds an update count.
     *
     * @param info the query, with its current mapped result
     */
    @Override
    public void eachQueryResult(QueryExecutionInfo info) {
        Counts counts = info.getValueStore().get(Counts.class, Counts.class);
        if (counts == null) {
            return;
        }
        ConnectionInfo connection = info.getConnectionInfo();
        Reading reading = connection == null ? null
                : connection.getValueStore().get(Reading.class, Reading.class);
        if (reading == Reading.UPDATE_COUNTS && info.getCurrentMappedResult() instanceof Number n) {
            counts.updated.addAndGet(n.longValue());
            counts.sawUpdateCount = true;
        } else {
            counts.rows.incrementAndGet();
        }
    }

    /**
     * Adds the key values to the query's observation, if the observation listener made one.
     *
     * @param info the finished query
     */
    @Override
    public void afterQuery(QueryExecutionInfo info) {
        Observation observation = info.getValueStore().get(Observation.class, Observation.class);
        Counts counts = info.getValueStore().get(Counts.class, Counts.class);
        if (observation == null || counts == null) {
            return;
        }
        observation.lowCardinalityKeyValue(DB_SYSTEM, "sqlite");
        observation.lowCardinalityKeyValue(DB_NAMESPACE, this.database);
        observation.highCardinalityKeyValue(RETURNED_ROWS, Long.toString(counts.rows.get()));
        if (counts.sawUpdateCount) {
            observation.highCardinalityKeyValue(ROWS_UPDATED, Long.toString(counts.updated.get()));
        }
        if (counts.clock != null && counts.clock.running) {
            observation.highCardinalityKeyValue(STATEMENT_NANOS,
                    Long.toString(counts.clock.total.get() - counts.clockStart));
        }
    }
}
