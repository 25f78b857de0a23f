package io.github.aiosqlite4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.r2dbc.proxy.ProxyConnectionFactory;
import io.r2dbc.proxy.observation.ObservationProxyExecutionListener;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The driver under r2dbc-proxy's observation support, with this module's listener: the spans are
 * read back from a TestObservationRegistry and carry the SQL, the database file, the row counts
 * and (where the native library is loaded) the time SQLite measured.
 */
final class SqliteObservationListenerTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Every observation stopped, in order. */
    private static final class Stopped implements ObservationHandler<Observation.Context> {
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

    private static Map<String, String> keyValues(Observation.Context c) {
        return c.getAllKeyValues().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?pool=true&poolReaders=1"})
    void eachQueryIsASpanWithTheSqlTheDatabaseAndTheRows(String options) {
        Path file = dir.resolve("traced.db");
        SqliteConnectionFactory sqlite = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + file + options);
        TestObservationRegistry registry = TestObservationRegistry.create();
        Stopped stopped = new Stopped();
        registry.observationConfig().observationHandler(stopped);
        ConnectionFactory traced = ProxyConnectionFactory.builder(sqlite)
                .listener(new SqliteObservationListener(sqlite.config().database()))
                .listener(new ObservationProxyExecutionListener(registry, sqlite, null))
                .build();

        Connection c = Mono.from(traced.create()).block(GUARD);
        try {
            update(c, "CREATE TABLE t(x INTEGER)");
            update(c, "INSERT INTO t VALUES (1), (2), (3)");
            List<Long> xs = Flux.from(c.createStatement("SELECT x FROM t WHERE x >= $1").bind("$1", 2)
                            .execute())
                    .concatMap(r -> r.map((row, md) -> row.get(0, Long.class)))
                    .collectList().block(GUARD);
            assertThat(xs).containsExactly(2L, 3L);
            // A transaction through the proxy: it commits, and its statements are spans too.
            Mono.from(c.beginTransaction()).block(GUARD);
            update(c, "INSERT INTO t VALUES (4)");
            Mono.from(c.commitTransaction()).block(GUARD);
            assertThat(Flux.from(c.createStatement("SELECT count(*) FROM t").execute())
                    .concatMap(r -> r.map((row, md) -> row.get(0, Long.class))).blockLast(GUARD))
                    .isEqualTo(4L);
        } finally {
            Mono.from(c.close()).block(GUARD);
            Mono.from(sqlite.close()).block(GUARD);
        }

        assertThat(registry).hasObservationWithNameEqualTo("r2dbc.query").that()
                .hasLowCardinalityKeyValue(SqliteObservationListener.DB_SYSTEM, "sqlite")
                .hasLowCardinalityKeyValue(SqliteObservationListener.DB_NAMESPACE, file.toString())
                .hasBeenStopped();
        List<Observation.Context> queries = stopped.contexts.stream()
                .filter(ctx -> "r2dbc.query".equals(ctx.getName())).toList();
        assertThat(queries).hasSize(5);
        Map<String, String> insert = keyValues(queries.get(1));
        assertThat(insert).containsEntry("r2dbc.query[0]", "INSERT INTO t VALUES (1), (2), (3)")
                .containsEntry(SqliteObservationListener.ROWS_UPDATED, "3")
                .containsEntry(SqliteObservationListener.RETURNED_ROWS, "0")
                .containsEntry(SqliteObservationListener.DB_NAMESPACE, file.toString());
        Map<String, String> select = keyValues(queries.get(2));
        assertThat(select).containsEntry("r2dbc.query[0]", "SELECT x FROM t WHERE x >= $1")
                .containsEntry(SqliteObservationListener.RETURNED_ROWS, "2")
                .doesNotContainKey(SqliteObservationListener.ROWS_UPDATED);
        assertThat(keyValues(queries.get(3))).containsEntry("r2dbc.query[0]", "INSERT INTO t VALUES (4)")
                .containsEntry(SqliteObservationListener.ROWS_UPDATED, "1");

        // With or without the pool (there, on the pool's connection each statement leased).
        boolean measured = AioSqlite.nativeFeatures().isAvailable();
        for (Observation.Context q : queries) {
            String nanos = keyValues(q).get(SqliteObservationListener.STATEMENT_NANOS);
            if (measured) {
                assertThat(nanos).as("SQLite's time for %s", q).isNotNull();
                // SQLite's clock: milliseconds on Unix, so a quick statement measures 0.
                assertThat(Long.parseLong(nanos)).isNotNegative();
            } else {
                assertThat(nanos).isNull();
            }
        }
    }

    private static void update(Connection c, String sql) {
        Flux.from(c.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).blockLast(GUARD);
    }
}
