package io.github.aiosqlite4j.micrometer;

import io.github.aiosqlite4j.AsyncConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * A Micrometer {@link MeterBinder} for one plain {@link AsyncConnection} (a {@link
 * io.github.aiosqlite4j.SqlitePool} has {@link SqlitePoolMetrics}): the depth of its worker's
 * queue, read when the registry is scraped ({@link AsyncConnection#queueDepth()}, a counter the
 * queue keeps anyway: nothing is added to the connection's hot path).
 *
 * <pre>{@code
 * new SqliteConnectionMetrics(connection, Tags.of("connection", "main")).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@value #QUEUE_DEPTH}</td><td>gauge</td><td>operations queued on the worker and not
 *       started yet</td></tr>
 *   <tr><td>{@value #QUEUE_CAPACITY}</td><td>gauge</td><td>the queue's bound ({@link
 *       io.github.aiosqlite4j.SqliteConfig#queueCapacity()}); an operation beyond it fails at
 *       once</td></tr>
 * </table>
 *
 * <p>Both are tagged {@code db.system.name=sqlite} and {@code db.namespace} with the database, and
 * with the extra tags given (to tell several connections to one database apart). Statement times
 * are {@link SqliteStatementMetrics}. Micrometer holds the connection weakly: once it is
 * collected, the gauges read {@code NaN}; remove them from the registry when closing a connection
 * for good.
 */
public final class SqliteConnectionMetrics implements MeterBinder {

    /** The queue depth gauge's name. */
    public static final String QUEUE_DEPTH = "aiosqlite4j.connection.queue.depth";
    /** The queue capacity gauge's name. */
    public static final String QUEUE_CAPACITY = "aiosqlite4j.connection.queue.capacity";

    private final AsyncConnection connection;
    private final Tags tags;

    /**
     * Meters for a connection.
     *
     * @param connection the connection
     * @param extraTags more tags for every meter
     * @throws NullPointerException if an argument is null
     */
    public SqliteConnectionMetrics(AsyncConnection connection, Iterable<Tag> extraTags) {
        this.connection = Objects.requireNonNull(connection, "connection must not be null");
        this.tags = Tags.of("db.system.name", "sqlite", "db.namespace", connection.config().database())
                .and(Objects.requireNonNull(extraTags, "extraTags must not be null"));
    }

    /**
     * Registers the meters listed in the class comment; each reads the connection when the
     * registry reads it.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(QUEUE_DEPTH, this.connection, AsyncConnection::queueDepth)
                .description("Operations queued on the connection's worker and not started")
                .baseUnit("{operation}").tags(this.tags).register(registry);
        int capacity = this.connection.config().queueCapacity();
        Gauge.builder(QUEUE_CAPACITY, this.connection, c -> capacity)
                .description("The bound of the connection's queue")
                .baseUnit("{operation}").tags(this.tags).register(registry);
    }
}
