package io.github.aiosqlite4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.internal.pool.DefaultSqlitePool;
import io.github.aiosqlite4j.internal.pool.PoolLease;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binder's meters, read back from a SimpleMeterRegistry while a real pool works. */
final class SqlitePoolMetricsTest {

    private static final String POOL = SqlitePoolMetrics.POOL_NAME_TAG;

    @TempDir
    Path dir;

    private static double gauge(MeterRegistry r, String name, String... tags) {
        return r.get(name).tag(POOL, "m").tags(tags).gauge().value();
    }

    private static double count(MeterRegistry r, String name) {
        return r.get(name).tag(POOL, "m").functionCounter().count();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void meters_followThePool_waitsTimeoutsQueuesAndGroupCommit() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("m.db").toString()).build();
        PoolOptions options = PoolOptions.builder().name("m").readers(1)
                .acquireTimeout(Duration.ofMillis(200)).groupCommit(8).build();
        MeterRegistry r = new SimpleMeterRegistry();
        try (SqlitePool pool = SqlitePool.open(config, options).join()) {
            new SqlitePoolMetrics(pool).bindTo(r);
            pool.execute("CREATE TABLE t(x INTEGER)").join();
            assertThat(gauge(r, "db.client.connection.max")).isEqualTo(1);
            assertThat(gauge(r, "db.client.connection.count", "db.client.connection.state", "idle"))
                    .isEqualTo(1);

            // Hold the only reader: the next read waits, one more times out.
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> held = pool.read(s -> {
                holding.countDown();
                await(release);
                return 1;
            });
            await(holding);
            assertThat(gauge(r, "db.client.connection.count", "db.client.connection.state", "used"))
                    .isEqualTo(1);
            CompletableFuture<Long> timedOut = pool.read(s -> s.query("SELECT 1").get(0).getLong(0));
            assertThat(gauge(r, "db.client.connection.pending_requests")).isEqualTo(1);
            assertThatThrownBy(timedOut::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(SQLTransientException.class);
            assertThat(count(r, "db.client.connection.timeouts")).isEqualTo(1);
            assertThat(count(r, "aiosqlite4j.pool.waits")).isEqualTo(1);
            release.countDown();
            assertThat(held.join()).isEqualTo(1);

            // Hold the writer: three writes queue behind it and share one commit.
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            double commitsBefore = count(r, "aiosqlite4j.pool.commits");
            double writesBefore = count(r, "aiosqlite4j.pool.writes");
            CompletableFuture<Long> first = pool.write(s -> {
                writing.countDown();
                await(finish);
                return s.execute("INSERT INTO t VALUES (0)");
            });
            await(writing);
            List<CompletableFuture<Long>> queued = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int v = i;
                queued.add(pool.write(s -> s.execute("INSERT INTO t VALUES (?)", v)));
            }
            assertThat(gauge(r, "aiosqlite4j.pool.writes.pending")).isEqualTo(4);
            finish.countDown();
            first.join();
            queued.forEach(CompletableFuture::join);
            assertThat(count(r, "aiosqlite4j.pool.writes") - writesBefore).isEqualTo(4);
            assertThat(count(r, "aiosqlite4j.pool.commits") - commitsBefore).isEqualTo(2);
            PoolMetrics m = pool.metrics();
            assertThat(gauge(r, "aiosqlite4j.pool.commit.writes"))
                    .isEqualTo((double) m.writes() / m.commits());
            assertThat(gauge(r, "aiosqlite4j.pool.writes.pending")).isZero();
            assertThat(count(r, "aiosqlite4j.pool.reads")).isEqualTo(m.reads());
            assertThat(count(r, "aiosqlite4j.pool.rejections")).isZero();
            assertThat(count(r, "aiosqlite4j.pool.busy")).isZero();
            assertThat(gauge(r, "aiosqlite4j.pool.leases.held")).isZero();
        }
    }

    @Test
    void busyAndLeases_areMetered() throws Exception {
        String file = dir.resolve("b.db").toString();
        SqliteConfig config = SqliteConfig.builder(file).busyTimeout(Duration.ofMillis(50)).build();
        MeterRegistry r = new SimpleMeterRegistry();
        try (SqlitePool pool = SqlitePool.open(config, PoolOptions.builder().name("m").readers(1).build()).join()) {
            new SqlitePoolMetrics(pool).bindTo(r);
            pool.execute("CREATE TABLE t(x INTEGER)").join();
            // A connection outside the pool holds the write lock: the pool's write fails with BUSY.
            try (AsyncConnection outsider = AioSqlite.connect(SqliteConfig.builder(file).build()).join()) {
                outsider.execute("BEGIN IMMEDIATE").join();
                assertThatThrownBy(() -> pool.execute("INSERT INTO t VALUES (1)").join())
                        .isInstanceOf(CompletionException.class);
                outsider.rollback().join();
            }
            assertThat(count(r, "aiosqlite4j.pool.busy")).isEqualTo(1);

            PoolLease lease = ((DefaultSqlitePool) pool).leaseReader().join();
            assertThat(gauge(r, "aiosqlite4j.pool.leases.held")).isEqualTo(1);
            lease.release().join();
            assertThat(gauge(r, "aiosqlite4j.pool.leases.held")).isZero();
        }
    }

    @Test
    void anAbsentSource_readsZeroGaugesAndKeepsCounters() {
        AtomicReference<PoolMetrics> source = new AtomicReference<>();
        MeterRegistry r = new SimpleMeterRegistry();
        new SqlitePoolMetrics("m", source::get, Tags.of("app", "x")).bindTo(r);
        assertThat(gauge(r, "db.client.connection.max")).isZero();
        assertThat(count(r, "aiosqlite4j.pool.reads")).isZero();
        source.set(new PoolMetrics(4, 1, 2, 3, 10, 5, 4, 6, 1, 0, 7, 2));
        assertThat(gauge(r, "db.client.connection.max")).isEqualTo(4);
        assertThat(gauge(r, "db.client.connection.pending_requests")).isEqualTo(2);
        assertThat(count(r, "aiosqlite4j.pool.reads")).isEqualTo(10);
        assertThat(count(r, "aiosqlite4j.pool.busy")).isEqualTo(7);
        assertThat(gauge(r, "aiosqlite4j.pool.leases.held")).isEqualTo(2);
        assertThat(r.get("aiosqlite4j.pool.reads").tag("app", "x").functionCounter()).isNotNull();
        source.set(null);
        assertThat(gauge(r, "db.client.connection.max")).isZero();
        assertThat(count(r, "aiosqlite4j.pool.reads")).isEqualTo(10);
        assertThat(count(r, "aiosqlite4j.pool.busy")).isEqualTo(7);
        assertThat(gauge(r, "aiosqlite4j.pool.leases.held")).isZero();
    }
}
