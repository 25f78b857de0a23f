package io.github.aiosqlite4j.spring.boot;

import io.github.aiosqlite4j.micrometer.SqlitePoolMetrics;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.util.Optional;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for an application whose {@link ConnectionFactory} is the SQLite driver's
 * (found through any wrappers, such as Boot's observation proxy): its pool's metrics in
 * Micrometer ({@link SqlitePoolMetrics}, bound by Boot to every registry) and a health
 * indicator named {@code sqlite} ({@link SqliteHealthIndicator}). Each part is there only when its
 * library is on the class path. The environment default ({@code schema.sql} run) comes from
 * {@link SqliteEnvironmentPostProcessor}.
 */
@AutoConfiguration(after = R2dbcAutoConfiguration.class)
@ConditionalOnClass({ConnectionFactory.class, SqliteConnectionFactory.class})
@ConditionalOnBean(ConnectionFactory.class)
public final class SqliteR2dbcAutoConfiguration {

    SqliteR2dbcAutoConfiguration() {
    }

    /**
     * Finds the driver's factory inside a factory and its wrappers ({@link Wrapped}).
     *
     * @param factory a factory
     * @return the SQLite factory, or empty if there is none inside
     */
    static Optional<SqliteConnectionFactory> sqlite(ConnectionFactory factory) {
        Object current = factory;
        for (int depth = 0; depth < 16 && current != null; depth++) {
            if (current instanceof SqliteConnectionFactory s) {
                return Optional.of(s);
            }
            current = current instanceof Wrapped<?> w ? w.unwrap() : null;
        }
        return Optional.empty();
    }

    /** The pool's meters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterBinder.class, SqlitePoolMetrics.class})
    static final class Metrics {

        /**
         * Meters for the factory's pool, tagged with the pool's name; none if the factory is not
         * the SQLite driver's or has no pool.
         *
         * @param factory the application's factory
         * @return a binder (Boot binds it to every registry)
         */
        @Bean
        @ConditionalOnMissingBean(name = "sqlitePoolMetrics")
        MeterBinder sqlitePoolMetrics(ConnectionFactory factory) {
            return sqlite(factory).filter(s -> s.poolOptions().isPresent())
                    .<MeterBinder>map(s -> new SqlitePoolMetrics(s.poolOptions().orElseThrow().name(),
                            () -> s.poolMetrics().orElse(null), Tags.empty()))
                    .orElse(registry -> { });
        }
    }

    /** The health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("sqlite")
    static final class Health {

        /**
         * The {@code sqlite} health indicator, for an SQLite factory.
         *
         * @param factory the application's factory
         * @return the indicator
         */
        @Bean
        @ConditionalOnMissingBean(name = "sqliteHealthIndicator")
        SqliteHealthIndicator sqliteHealthIndicator(ConnectionFactory factory) {
            return new SqliteHealthIndicator(factory);
        }
    }
}
