package io.github.aiosqlite4j.spring.boot;

import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * Health of the SQLite driver's factory: UP when a connection opens and validates (in pool mode a
 * {@code SELECT 1} on a reader; otherwise a check that the connection is open), DOWN otherwise.
 * Details: the database, and in pool mode the pool's gauges and counters ({@link PoolMetrics})
 * once it is open. UNKNOWN if the factory is not the SQLite driver's.
 */
public final class SqliteHealthIndicator extends AbstractReactiveHealthIndicator {

    private final ConnectionFactory factory;

    /**
     * An indicator for a factory, or for a wrapper around one.
     *
     * @param factory the application's factory
     * @throws NullPointerException if {@code factory} is null
     */
    public SqliteHealthIndicator(ConnectionFactory factory) {
        super("SQLite health check failed");
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        SqliteConnectionFactory sqlite = SqliteR2dbcAutoConfiguration.sqlite(this.factory).orElse(null);
        if (sqlite == null) {
            return Mono.just(builder.unknown()
                    .withDetail("reason", "the ConnectionFactory is not the SQLite driver's").build());
        }
        builder.withDetail("database", sqlite.config().database());
        return Mono.usingWhen(sqlite.create(),
                        (Connection c) -> Mono.from(c.validate(ValidationDepth.REMOTE)),
                        Connection::close)
                .map(valid -> {
                    sqlite.poolMetrics().ifPresent(m -> builder
                            .withDetail("readers", m.readers())
                            .withDetail("readersBusy", m.readersBusy())
                            .withDetail("readersWaiting", m.readersWaiting())
                            .withDetail("writesPending", m.writesPending())
                            .withDetail("timeouts", m.timeouts())
                            .withDetail("busy", m.busy())
                            .withDetail("leasesHeld", m.leasesHeld()));
                    return (valid ? builder.up() : builder.down()).build();
                });
    }
}
