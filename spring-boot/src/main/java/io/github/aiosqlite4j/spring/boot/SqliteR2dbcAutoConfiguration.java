package io.github.aiosqlite4j.spring.boot;

import io.github.aiosqlite4j.micrometer.SqliteObservationListener;
import io.github.aiosqlite4j.micrometer.SqlitePoolMetrics;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.proxy.ProxyConnectionFactory;
import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.r2dbc.autoconfigure.ProxyConnectionFactoryCustomizer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import reactor.core.publisher.Mono;

/**
 * Auto-configuration for an application whose {@link ConnectionFactory} is the SQLite driver's
 * (found through any wrappers, such as Boot's observation proxy): its pool's metrics in
 * Micrometer ({@link SqlitePoolMetrics}, bound by Boot to every registry) and a health
 * indicator named {@code sqlite} ({@link SqliteHealthIndicator}), and the SQLite details on
 * Boot's R2DBC query spans ({@link SqliteObservationListener}). Each part is there only when its
 * library is on the class path. The environment default ({@code schema.sql} run) comes from
 * {@link SqliteEnvironmentPostProcessor}. At startup it warns if the sqlite-jdbc on the class
 * path is older than the one aiosqlite4j is built with (Boot's dependency management chooses its
 * own unless the application pins it).
 */
@AutoConfiguration(after = R2dbcAutoConfiguration.class, afterName =
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ConnectionFactory.class, SqliteConnectionFactory.class})
@ConditionalOnBean(ConnectionFactory.class)
public final class SqliteR2dbcAutoConfiguration {

    SqliteR2dbcAutoConfiguration() {
        SqliteJdbcVersion.check();
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

    /**
     * Closes an SQLite factory and the factories around it (r2dbc-pool's, whose connections it
     * closes), outermost first, when the context closes. Spring closes the {@link
     * ConnectionFactory} bean only when the bean itself can be closed, and Boot wraps it when
     * r2dbc-proxy is on the class path (for its R2DBC observation) in a proxy that cannot: the
     * pool and its SQLite connections stayed open. Closing twice is harmless. Waits at most the
     * shutdown grace period plus 10 s for each.
     *
     * @param factory the application's factory
     * @return the bean whose destruction closes it
     */
    @Bean
    @ConditionalOnMissingBean(name = "sqliteConnectionFactoryCloser")
    DisposableBean sqliteConnectionFactoryCloser(ConnectionFactory factory) {
        return () -> sqlite(factory).ifPresent(s -> {
            Duration wait = s.config().shutdownGracePeriod().plusSeconds(10);
            Object current = factory;
            for (int depth = 0; depth < 16 && current != null; depth++) {
                if (current instanceof Closeable c) {
                    Mono.from(c.close()).block(wait);
                }
                current = current == s ? null : current instanceof Wrapped<?> w ? w.unwrap() : null;
            }
        });
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

    /**
     * The SQLite details on the spans of Boot's R2DBC observation. Boot observes R2DBC queries
     * itself when r2dbc-proxy is on the class path and there is an {@link ObservationRegistry}
     * (its {@code ObservationProxyExecutionListener}: the SQL, the connection name); this adds
     * the database file, the rows and SQLite's statement time to each span. Off with {@code
     * aiosqlite4j.observation.enabled=false}; {@code aiosqlite4j.observation.statement-time=false}
     * leaves the connections' profile callbacks alone.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ProxyConnectionFactory.class, ObservationRegistry.class,
            SqliteObservationListener.class})
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnBooleanProperty(name = "aiosqlite4j.observation.enabled", matchIfMissing = true)
    static final class Tracing {

        /**
         * Adds a {@link SqliteObservationListener} to Boot's proxy of an SQLite factory. Ordered
         * before Boot's observation customizer (order 0): the listener must run before the one
         * that stops each query's observation.
         *
         * @param statementTime {@code aiosqlite4j.observation.statement-time}, default true
         * @return the customizer
         */
        @Bean
        @Order(-1)
        @ConditionalOnMissingBean(name = "sqliteObservationCustomizer")
        ProxyConnectionFactoryCustomizer sqliteObservationCustomizer(
                @Value("${aiosqlite4j.observation.statement-time:true}") boolean statementTime) {
            return builder -> sqlite(builder.getConnectionFactory()).ifPresent(s -> builder.listener(
                    new SqliteObservationListener(s.config().database(), statementTime)));
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
