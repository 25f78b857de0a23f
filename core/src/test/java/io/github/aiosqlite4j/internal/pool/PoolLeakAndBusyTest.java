package io.github.aiosqlite4j.internal.pool;

import static io.github.aiosqlite4j.Futures.failure;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import io.github.aiosqlite4j.SqlitePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease leak detection, the leases-held gauge and the BUSY counter of a pool. */
final class PoolLeakAndBusyTest {
    private static final long LONG_WAIT = Duration.ofSeconds(30).toNanos();

    @TempDir
    Path dir;

    /** Collects the records of the pool's leak logger. */
    private static final class Records extends Handler implements AutoCloseable {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        final CountDownLatch first = new CountDownLatch(1);
        private final Logger logger = Logger.getLogger(PoolOptions.LEAK_LOGGER);

        Records() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            records.add(r);
            first.countDown();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void aLeaseHeldPastTheThreshold_isReportedOnceWithTheStackOfItsRequest() throws Exception {
        PoolOptions options = PoolOptions.builder().name("leaky").readers(1)
                .leakDetectionThreshold(Duration.ofMillis(200)).build();
        Path file = dir.resolve("leak.db");
        try (Records log = new Records();
                DefaultSqlitePool pool = (DefaultSqlitePool) SqlitePool.open(
                        SqliteConfig.builder(file.toString()).build(), options).get(30, SECONDS)) {
            // Given back in time: its check, due first, reports nothing.
            PoolLease quick = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
            quick.release().get(30, SECONDS);
            PoolLease held = pool.leaseReader().get(30, SECONDS);
            assertThat(pool.metrics().leasesHeld()).isEqualTo(1);

            assertThat(log.first.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(log.records).hasSize(1);
            LogRecord r = log.records.get(0);
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("Possible connection leak").contains("pool 'leaky'")
                    .contains(file.toString()).contains("reader lease").contains("PT0.2S");
            assertThat(Arrays.stream(r.getThrown().getStackTrace()))
                    .anyMatch(e -> e.getClassName().equals(PoolLeakAndBusyTest.class.getName()));

            held.release().get(30, SECONDS);
            assertThat(pool.metrics().leasesHeld()).isZero();
        }
    }

    @Test
    void aThresholdMustBePositive() {
        assertThatThrownBy(() -> PoolOptions.builder().leakDetectionThreshold(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leakDetectionThreshold");
        assertThat(PoolOptions.defaults().leakDetectionThreshold()).isNull();
    }

    @Test
    void requestsThatFailWithBusy_areCounted() throws Exception {
        Path file = dir.resolve("busy.db");
        SqliteConfig config = SqliteConfig.builder(file.toString()).busyTimeout(Duration.ofMillis(50)).build();
        try (DefaultSqlitePool pool = (DefaultSqlitePool) SqlitePool.open(config,
                PoolOptions.builder().readers(1).build()).get(30, SECONDS)) {
            pool.execute("create table t(x)").get(30, SECONDS);
            assertThat(pool.metrics().busy()).isZero();

            // A connection outside the pool holds the write lock: the pool's write fails with BUSY.
            AsyncConnection outsider = AioSqlite.connect(SqliteConfig.builder(file.toString()).build())
                    .get(30, SECONDS);
            try {
                outsider.execute("begin immediate").get(30, SECONDS);
                Throwable e = failure(pool.execute("insert into t values (1)"));
                assertThat(((SqliteError) e).resultCode()).isEqualTo(5);
                assertThat(pool.metrics().busy()).isEqualTo(1);
                outsider.rollback().get(30, SECONDS);
            } finally {
                outsider.close();
            }

            // The writer leased: a lease that cannot wait for it is the pool's own BUSY.
            PoolLease lease = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
            failure(pool.leaseWriter(0));
            lease.release().get(30, SECONDS);
            assertThat(pool.metrics().busy()).isEqualTo(2);
            // Other failures are not BUSY.
            failure(pool.execute("insert into missing values (1)"));
            assertThat(pool.metrics().busy()).isEqualTo(2);
        }
    }
}
