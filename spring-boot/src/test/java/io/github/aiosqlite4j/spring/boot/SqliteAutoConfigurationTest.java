package io.github.aiosqlite4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.micrometer.SqlitePoolMetrics;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** A real Boot application started from properties alone, with r2dbc-pool on the class path. */
final class SqliteAutoConfigurationTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private ConfigurableApplicationContext start(String url, String... more) {
        String[] args = new String[more.length + 1];
        args[0] = "--spring.r2dbc.url=" + url;
        System.arraycopy(more, 0, args, 1, more.length);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args);
    }

    /** The factory or one it wraps (Boot's r2dbc-proxy wrapper: r2dbc-proxy is on the test class path). */
    static boolean wraps(ConnectionFactory cf, Class<?> type) {
        Object current = cf;
        while (current != null) {
            if (type.isInstance(current)) {
                return true;
            }
            current = current instanceof io.r2dbc.spi.Wrapped<?> w ? w.unwrap() : null;
        }
        return false;
    }

    @Test
    void poolTrue_metricsAndHealthArePublished_withoutBootsR2dbcPool() {
        String url = "r2dbc:sqlite:///" + dir.resolve("app.db") + "?pool=true&poolReaders=2";
        try (ConfigurableApplicationContext ctx = start(url)) {
            ConnectionFactory cf = ctx.getBean(ConnectionFactory.class);
            assertThat(wraps(cf, ConnectionPool.class)).isFalse();
            SqliteConnectionFactory sqlite = SqliteR2dbcAutoConfiguration.sqlite(cf).orElseThrow();
            assertThat(sqlite.poolOptions()).isPresent();

            DatabaseClient db = DatabaseClient.create(cf);
            db.sql("CREATE TABLE t(x INTEGER)").then().block(GUARD);
            db.sql("INSERT INTO t VALUES (1), (2)").then().block(GUARD);
            List<Long> xs = db.sql("SELECT x FROM t ORDER BY x")
                    .map(row -> row.get(0, Long.class)).all().collectList().block(GUARD);
            assertThat(xs).containsExactly(1L, 2L);

            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            String pool = sqlite.poolOptions().orElseThrow().name();
            assertThat(registry.get("db.client.connection.max")
                    .tag(SqlitePoolMetrics.POOL_NAME_TAG, pool).gauge().value()).isEqualTo(2);
            assertThat(registry.get("aiosqlite4j.pool.reads")
                    .tag(SqlitePoolMetrics.POOL_NAME_TAG, pool).functionCounter().count())
                    .isGreaterThanOrEqualTo(1);

            Health health = ctx.getBean(SqliteHealthIndicator.class).health().block(GUARD);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("readers", 2).containsEntry("leasesHeld", 0)
                    .containsEntry("busy", 0L)
                    .containsEntry("database", dir.resolve("app.db").toString());
        }
    }

    @Test
    void r2dbcPoolIsOffOnlyForTheDriversPool_unlessTheApplicationSaysOtherwise() {
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + dir.resolve("a.db")
                + "?pool=TRUE", "--spring.r2dbc.pool.enabled=true")) {
            assertThat(wraps(ctx.getBean(ConnectionFactory.class), ConnectionPool.class)).isTrue();
        }
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + dir.resolve("b.db"))) {
            assertThat(wraps(ctx.getBean(ConnectionFactory.class), ConnectionPool.class)).isTrue();
        }
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + dir.resolve("c.db")
                + "?pool=false")) {
            assertThat(wraps(ctx.getBean(ConnectionFactory.class), ConnectionPool.class)).isTrue();
        }
    }

    @Test
    void schemaSqlRunsForSqlite_unlessTheApplicationSaysOtherwise() {
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + dir.resolve("a.db"))) {
            assertThat(ctx.getEnvironment().getProperty("spring.sql.init.mode")).isEqualTo("always");
        }
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + dir.resolve("b.db"),
                "--spring.sql.init.mode=never")) {
            assertThat(ctx.getEnvironment().getProperty("spring.sql.init.mode")).isEqualTo("never");
        }
    }
}
