package io.github.aiosqlite4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statement timers of a plain connection and of a pool's connections, read back from a registry. */
final class SqliteStatementMetricsTest {

    @TempDir
    Path dir;

    private static Timer timer(MeterRegistry r, String database) {
        return r.get(SqliteStatementMetrics.TIMER).tag("db.system.name", "sqlite")
                .tag("db.namespace", database).timer();
    }

    @Test
    void eachStatementOfAConnection_isRecordedWithSqlitesTime() throws Exception {
        String file = dir.resolve("s.db").toString();
        MeterRegistry r = new SimpleMeterRegistry();
        try (AsyncConnection c = AioSqlite.connect(SqliteConfig.builder(file).build()).join()) {
            if (!AioSqlite.nativeFeatures().isAvailable()) {
                assertThatThrownBy(() -> SqliteStatementMetrics.install(c, r).join())
                        .isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(SQLFeatureNotSupportedException.class);
                return;
            }
            SqliteStatementMetrics.install(c, r).join();
            c.execute("CREATE TABLE t(x)").join();
            c.execute("INSERT INTO t VALUES (1)").join();
            assertThat(c.executeFetchAll("SELECT x FROM t").join()).hasSize(1);
            Timer t = timer(r, file);
            assertThat(t.count()).isEqualTo(4); // with the implicit BEGIN before the INSERT
        }
    }

    @Test
    void thePoolsConnections_reportThroughOnOpen() throws Exception {
        if (!AioSqlite.nativeFeatures().isAvailable()) {
            return; // the first test checks the failure without the native library
        }
        String file = dir.resolve("p.db").toString();
        MeterRegistry r = new SimpleMeterRegistry();
        SqliteStatementMetrics statements = new SqliteStatementMetrics(file, Tags.empty());
        statements.bindTo(r);
        SqliteConfig config = SqliteConfig.builder(file).onOpen(c -> c.setProfileCallback(statements)).build();
        try (SqlitePool pool = SqlitePool.open(config, PoolOptions.builder().readers(1).build()).join()) {
            long opened = timer(r, file).count(); // the pool's own set-up statements
            pool.execute("CREATE TABLE t(x)").join();
            pool.write(s -> s.execute("INSERT INTO t VALUES (1)")).join();
            assertThat(pool.read(s -> s.query("SELECT x FROM t")).join()).hasSize(1);
            // The write and the read add their BEGIN and COMMIT.
            assertThat(timer(r, file).count() - opened).isGreaterThanOrEqualTo(3);
        }
    }
}
