package io.github.aiosqlite4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.micrometer.SqliteObservationListener;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Spring Boot's own R2DBC observation (r2dbc-proxy on the class path, an ObservationRegistry
 * bean) over the SQLite driver, with this module's details on each span, read back from a
 * TestObservationRegistry.
 */
final class SqliteObservationAutoConfigurationTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Every observation stopped, in order. */
    static final class Stopped implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        @Override
        public void onStop(Observation.Context context) {
            contexts.add(context);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Stopped stopped() {
            return new Stopped();
        }

        @Bean
        ObservationRegistry observationRegistry(Stopped stopped) {
            TestObservationRegistry registry = TestObservationRegistry.create();
            registry.observationConfig().observationHandler(stopped);
            return registry;
        }
    }

    private ConfigurableApplicationContext start(String url, String... more) {
        String[] args = new String[more.length + 1];
        args[0] = "--spring.r2dbc.url=" + url;
        System.arraycopy(more, 0, args, 1, more.length);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args);
    }

    /** Runs statements through the application's factory; returns the query spans' key values by SQL. */
    private static Map<String, Map<String, String>> spans(ConfigurableApplicationContext ctx) {
        DatabaseClient db = DatabaseClient.create(ctx.getBean(ConnectionFactory.class));
        db.sql("CREATE TABLE t(x INTEGER)").then().block(GUARD);
        assertThat(db.sql("INSERT INTO t VALUES (1), (2)").fetch().rowsUpdated().block(GUARD)).isEqualTo(2);
        List<Long> xs = db.sql("SELECT x FROM t ORDER BY x").map(row -> row.get(0, Long.class)).all()
                .collectList().block(GUARD);
        assertThat(xs).containsExactly(1L, 2L);
        return ctx.getBean(Stopped.class).contexts.stream()
                .filter(c -> "r2dbc.query".equals(c.getName()))
                .map(c -> c.getAllKeyValues().stream()
                        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue)))
                .collect(Collectors.toMap(kv -> kv.get("r2dbc.query[0]"), kv -> kv, (a, b) -> b));
    }

    /** The driver's pool; connections of their own; those behind Boot's r2dbc-pool. */
    @ParameterizedTest
    @CsvSource({"?pool=true,false", ",false", ",true"})
    void bootsR2dbcSpans_carryTheSqlTheDatabaseFileAndTheRows(String options, boolean r2dbcPool) {
        options = options == null ? "" : options;
        Path file = dir.resolve("traced.db");
        // r2dbc-pool with one connection at first: no warm-up still opening connections (and
        // creating the file again) while the temporary directory is deleted.
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + file + options,
                "--spring.r2dbc.pool.enabled=" + r2dbcPool, "--spring.r2dbc.pool.initial-size=1")) {
            Map<String, Map<String, String>> spans = spans(ctx);
            assertThat(spans.get("SELECT x FROM t ORDER BY x"))
                    .containsEntry("r2dbc.connection", "SQLite")
                    .containsEntry(SqliteObservationListener.DB_SYSTEM, "sqlite")
                    .containsEntry(SqliteObservationListener.DB_NAMESPACE, file.toString())
                    .containsEntry(SqliteObservationListener.RETURNED_ROWS, "2");
            assertThat(spans.get("INSERT INTO t VALUES (1), (2)"))
                    .containsEntry(SqliteObservationListener.ROWS_UPDATED, "2");
            // SQLite's own time where the native library is loaded: on connections of their own,
            // and with the driver's pool on the pool connection each statement leased.
            boolean measured = AioSqlite.nativeFeatures().isAvailable();
            assertThat(spans.get("SELECT x FROM t ORDER BY x")
                    .containsKey(SqliteObservationListener.STATEMENT_NANOS)).isEqualTo(measured);
        }
    }

    @Test
    void theDetailsCanBeTurnedOff_leavingBootsSpans() {
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + dir.resolve("off.db") + "?pool=true",
                "--aiosqlite4j.observation.enabled=false")) {
            Map<String, Map<String, String>> spans = spans(ctx);
            assertThat(spans.get("SELECT x FROM t ORDER BY x")).containsKey("r2dbc.connection")
                    .doesNotContainKey(SqliteObservationListener.DB_NAMESPACE);
        }
    }

    @Test
    void closingTheContext_closesTheDriversPool_insideBootsProxy() {
        SqliteConnectionFactory sqlite;
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + dir.resolve("closed.db") + "?pool=true")) {
            ConnectionFactory cf = ctx.getBean(ConnectionFactory.class);
            assertThat(cf).isNotInstanceOf(SqliteConnectionFactory.class); // r2dbc-proxy's wrapper
            sqlite = SqliteR2dbcAutoConfiguration.sqlite(cf).orElseThrow();
            spans(ctx);
            assertThat(sqlite.poolMetrics()).isPresent();
        }
        assertThat(sqlite.poolMetrics()).isEmpty(); // the factory (and so its pool) was closed

        // Without the driver's pool, Boot's r2dbc-pool (inside the proxy) is disposed too.
        ConnectionPool r2dbcPool;
        try (ConfigurableApplicationContext ctx = start("r2dbc:sqlite:///" + dir.resolve("closed2.db"),
                "--spring.r2dbc.pool.initial-size=1")) {
            Object current = ctx.getBean(ConnectionFactory.class);
            while (!(current instanceof ConnectionPool)) {
                current = ((Wrapped<?>) current).unwrap();
            }
            r2dbcPool = (ConnectionPool) current;
            spans(ctx);
            assertThat(r2dbcPool.isDisposed()).isFalse();
        }
        assertThat(r2dbcPool.isDisposed()).isTrue();
    }
}
