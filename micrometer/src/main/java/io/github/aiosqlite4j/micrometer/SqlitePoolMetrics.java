package io.github.aiosqlite4j.micrometer;

import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.SqlitePool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A Micrometer {@link MeterBinder} for a {@link SqlitePool}: its {@link PoolMetrics} as gauges and
 * counters, read when the registry is scraped (nothing is counted on the pool's hot path).
 *
 * <pre>{@code
 * new SqlitePoolMetrics(pool).bindTo(registry);
 * }</pre>
 *
 * <p>Where OpenTelemetry's semantic conventions for connection pools name a quantity, the meter
 * has that name; they describe the pool's <em>reader</em> connections (the writer is one
 * connection, its queue is {@code aiosqlite4j.pool.writes.pending}). Every meter is tagged {@code
 * db.client.connection.pool.name} with the pool's name.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code db.client.connection.count}, tag {@code db.client.connection.state} {@code
 *       used} / {@code idle}</td><td>gauge</td><td>readers busy / free</td></tr>
 *   <tr><td>{@code db.client.connection.max}</td><td>gauge</td><td>reader connections</td></tr>
 *   <tr><td>{@code db.client.connection.pending_requests}</td><td>gauge</td><td>reads waiting
 *       for a free reader (the wait queue's depth)</td></tr>
 *   <tr><td>{@code db.client.connection.timeouts}</td><td>counter</td><td>reads that timed out
 *       waiting for a reader</td></tr>
 *   <tr><td>{@code aiosqlite4j.pool.writes.pending}</td><td>gauge</td><td>writes submitted to the
 *       writer and not finished (the writer queue's depth)</td></tr>
 *   <tr><td>{@code aiosqlite4j.pool.reads}, {@code aiosqlite4j.pool.writes}</td><td>counter</td>
 *       <td>read and write requests finished</td></tr>
 *   <tr><td>{@code aiosqlite4j.pool.commits}</td><td>counter</td><td>transactions the writer
 *       committed for writes</td></tr>
 *   <tr><td>{@code aiosqlite4j.pool.commit.writes}</td><td>gauge</td><td>writes per commit since
 *       the pool opened (above 1 when group commit shares commits)</td></tr>
 *   <tr><td>{@code aiosqlite4j.pool.waits}</td><td>counter</td><td>reads that had to wait for a
 *       reader</td></tr>
 *   <tr><td>{@code aiosqlite4j.pool.rejections}</td><td>counter</td><td>reads refused because
 *       the wait queue was full</td></tr>
 *   <tr><td>{@code aiosqlite4j.pool.busy}</td><td>counter</td><td>requests that failed with
 *       {@code SQLITE_BUSY} ({@link PoolMetrics#busy()})</td></tr>
 *   <tr><td>{@code aiosqlite4j.pool.leases.held}</td><td>gauge</td><td>connections leased out
 *       and not given back (the R2DBC driver's transactions and results; r2dbc-pool's binder
 *       calls its handles out {@code r2dbc.pool.acquired})</td></tr>
 * </table>
 *
 * <p>Names: OpenTelemetry's {@code db.client.connection.*} where it has one (HikariCP's binder
 * has the same quantities as {@code hikaricp.connections.active}, {@code .idle}, {@code
 * .pending}, {@code .max}, {@code .timeout}); the rest, which no convention names, under {@code
 * aiosqlite4j.pool.}. Per-statement timing is {@link SqliteStatementMetrics}.
 *
 * <p>The source may be absent for a while (an R2DBC factory opens its pool on its first
 * connection): until it gives metrics, the gauges read 0, and the counters keep the last values
 * seen.
 */
public final class SqlitePoolMetrics implements MeterBinder {

    /** The tag naming the pool, OpenTelemetry's {@code db.client.connection.pool.name}. */
    public static final String POOL_NAME_TAG = "db.client.connection.pool.name";

    private static final PoolMetrics NONE = new PoolMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private final Supplier<PoolMetrics> source;
    private final Tags tags;
    /** The last snapshot the source gave, so counters never go back to 0 while it is absent. */
    private volatile PoolMetrics last = NONE;

    /**
     * Meters for a pool, tagged with its {@link SqlitePool#name() name}.
     *
     * @param pool the pool
     * @throws NullPointerException if {@code pool} is null
     */
    public SqlitePoolMetrics(SqlitePool pool) {
        this(Objects.requireNonNull(pool, "pool must not be null").name(), pool::metrics, Tags.empty());
    }

    /**
     * Meters for any source of pool metrics, such as an R2DBC factory's {@code
     * poolMetrics().orElse(null)}.
     *
     * @param poolName the value of the {@value #POOL_NAME_TAG} tag
     * @param source gives the current metrics, or null while there are none; called on the thread
     *     that reads a meter, so it must be cheap and not block
     * @param extraTags more tags for every meter
     * @throws NullPointerException if an argument is null
     */
    public SqlitePoolMetrics(String poolName, Supplier<PoolMetrics> source, Iterable<Tag> extraTags) {
        this.source = Objects.requireNonNull(source, "source must not be null");
        this.tags = Tags.of(POOL_NAME_TAG, Objects.requireNonNull(poolName, "poolName must not be null"))
                .and(Objects.requireNonNull(extraTags, "extraTags must not be null"));
    }

    /** The current snapshot, or the last one seen while the source has none. */
    private PoolMetrics now() {
        PoolMetrics m = this.source.get();
        if (m == null) {
            PoolMetrics seen = this.last;
            // Gauges of an absent pool read 0; counters keep their values.
            return new PoolMetrics(0, 0, 0, 0, seen.reads(), seen.writes(), seen.commits(),
                    seen.waits(), seen.timeouts(), seen.rejections(), seen.busy(), 0);
        }
        this.last = m;
        return m;
    }

    /**
     * Registers the meters listed in the class comment. Each reads the source when the registry
     * reads it.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "db.client.connection.count", "Reader connections by state", "{connection}",
                Tags.of("db.client.connection.state", "used"), m -> m.readersBusy());
        gauge(registry, "db.client.connection.count", "Reader connections by state", "{connection}",
                Tags.of("db.client.connection.state", "idle"), m -> m.readers() - m.readersBusy());
        gauge(registry, "db.client.connection.max", "Reader connections of the pool", "{connection}",
                Tags.empty(), m -> m.readers());
        gauge(registry, "db.client.connection.pending_requests",
                "Reads waiting for a free reader", "{request}", Tags.empty(), m -> m.readersWaiting());
        counter(registry, "db.client.connection.timeouts",
                "Reads that timed out waiting for a free reader", "{timeout}", m -> m.timeouts());
        gauge(registry, "aiosqlite4j.pool.writes.pending",
                "Writes submitted to the writer and not finished", "{request}", Tags.empty(),
                m -> m.writesPending());
        counter(registry, "aiosqlite4j.pool.reads", "Read requests finished", "{request}", m -> m.reads());
        counter(registry, "aiosqlite4j.pool.writes", "Write requests finished", "{request}", m -> m.writes());
        counter(registry, "aiosqlite4j.pool.commits", "Transactions the writer committed for writes",
                "{commit}", m -> m.commits());
        gauge(registry, "aiosqlite4j.pool.commit.writes",
                "Writes per commit since the pool opened (group commit)", "{request}", Tags.empty(),
                m -> m.commits() == 0 ? 0 : (double) m.writes() / m.commits());
        counter(registry, "aiosqlite4j.pool.waits", "Reads that had to wait for a free reader",
                "{request}", m -> m.waits());
        counter(registry, "aiosqlite4j.pool.rejections", "Reads refused: the wait queue was full",
                "{request}", m -> m.rejections());
        counter(registry, "aiosqlite4j.pool.busy", "Requests that failed with SQLITE_BUSY",
                "{request}", m -> m.busy());
        gauge(registry, "aiosqlite4j.pool.leases.held", "Connections leased out and not given back",
                "{connection}", Tags.empty(), m -> m.leasesHeld());
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
            Tags more, ToDoubleFunction<PoolMetrics> value) {
        // The function refers to this binder, so the registry keeps it (Micrometer holds the
        // measured object itself weakly).
        Gauge.builder(name, this, b -> value.applyAsDouble(now()))
                .description(description).baseUnit(unit).tags(this.tags.and(more))
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String unit,
            ToDoubleFunction<PoolMetrics> value) {
        FunctionCounter.builder(name, this, b -> value.applyAsDouble(now()))
                .description(description).baseUnit(unit).tags(this.tags).register(registry);
    }
}
