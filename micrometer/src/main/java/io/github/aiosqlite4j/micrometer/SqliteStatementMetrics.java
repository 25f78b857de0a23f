package io.github.aiosqlite4j.micrometer;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.ProfileCallback;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Statements of plain connections (or of a pool's connections) in Micrometer: a {@link
 * ProfileCallback} that records each statement SQLite finished, with the time SQLite measured
 * for it, in the timer {@value #TIMER} (OpenTelemetry's name for a database client operation's
 * duration), tagged {@code db.system.name=sqlite} and {@code db.namespace} with the database. Its
 * count is the number of statements; the times are SQLite's (whole milliseconds with the Unix
 * VFS). Needs the native library ({@link
 * io.github.aiosqlite4j.AioSqlite#nativeFeatures()}), as profile callbacks do.
 *
 * <pre>{@code
 * // one connection
 * SqliteStatementMetrics.install(connection, registry).join();
 * // every connection of a pool: install it as each one opens
 * SqliteStatementMetrics statements = new SqliteStatementMetrics("app.db", Tags.empty());
 * statements.bindTo(registry);
 * SqliteConfig config = SqliteConfig.builder("app.db").onOpen(c -> c.setProfileCallback(statements)).build();
 * }</pre>
 *
 * <p>The callback runs on each connection's worker thread after each statement: one timer record
 * per registry bound, no allocation in Micrometer's usual registries. It takes the connection's
 * one profile callback slot. Thread-safe: one instance serves any number of connections.
 */
public final class SqliteStatementMetrics implements ProfileCallback, MeterBinder {

    /** The timer's name, OpenTelemetry's {@code db.client.operation.duration}. */
    public static final String TIMER = "db.client.operation.duration";

    private final Tags tags;
    /** One timer per registry bound; replaced (never changed) when one is added. */
    private volatile Timer[] timers = new Timer[0];

    /**
     * Statement metrics for connections to one database.
     *
     * @param database the database, the {@code db.namespace} tag
     * @param extraTags more tags for the timer
     * @throws NullPointerException if an argument is null
     */
    public SqliteStatementMetrics(String database, Iterable<Tag> extraTags) {
        this.tags = Tags.of("db.system.name", "sqlite",
                        "db.namespace", Objects.requireNonNull(database, "database must not be null"))
                .and(Objects.requireNonNull(extraTags, "extraTags must not be null"));
    }

    /**
     * Meters one connection: binds new statement metrics for its database to the registry and
     * installs them as the connection's profile callback.
     *
     * @param connection the connection
     * @param registry the registry
     * @return a future completed with the metrics once installed, or failed with {@link
     *     java.sql.SQLFeatureNotSupportedException} without the native library
     * @throws NullPointerException if an argument is null
     */
    public static CompletableFuture<SqliteStatementMetrics> install(AsyncConnection connection,
            MeterRegistry registry) {
        SqliteStatementMetrics metrics = new SqliteStatementMetrics(connection.config().database(), Tags.empty());
        metrics.bindTo(registry);
        return connection.setProfileCallback(metrics).thenApply(v -> metrics);
    }

    /**
     * Registers the timer; statements finished from now on are recorded in it.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Timer timer = Timer.builder(TIMER).description("SQL statements run, with the time SQLite measured")
                .tags(this.tags).register(registry);
        synchronized (this) {
            Timer[] more = Arrays.copyOf(this.timers, this.timers.length + 1);
            more[more.length - 1] = timer;
            this.timers = more;
        }
    }

    /**
     * Records one statement (on the connection's worker thread).
     *
     * @param sql the statement
     * @param nanos the time SQLite measured
     */
    @Override
    public void profiled(String sql, long nanos) {
        Timer[] bound = this.timers;
        for (int i = 0; i < bound.length; i++) {
            bound[i].record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
