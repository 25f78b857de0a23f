package io.github.aiosqlite4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's proof: 8 writer threads and 32 reader threads on one file. Through the pool no BUSY
 * or LOCKED error reaches a caller; through one plain connection per thread with a short busy
 * timeout, BUSY errors do (counted and printed, not asserted).
 */
final class PoolWorkloadTest {
    private static final int WRITERS = 8;
    private static final int READERS = 32;
    private static final int OPS = 40;

    @TempDir
    Path dir;

    @Test
    void pool_8writers32readers_noBusyErrors_everyAckedWritePresent_consistentReads() throws Exception {
        Path file = dir.resolve("pool.db");
        PoolWorkload.createSchema(file);
        SqlitePool pool = SqlitePool.open(SqliteConfig.builder(file).build(),
                PoolOptions.builder().name("w14").build()).get(30, SECONDS);
        PoolWorkload.Result result;
        PoolMetrics metrics;
        try (PoolWorkload.Side side = PoolWorkload.pool(pool)) {
            result = PoolWorkload.run(side, WRITERS, READERS, OPS);
            metrics = pool.metrics();
        }
        System.out.printf("pool: %d operations (%d writers, %d readers, %d readers in the pool) in"
                + " %d ms, %.0f ops/s, %d failures, %d reads waited for a reader%n",
                result.operations(), WRITERS, READERS, metrics.readers(),
                result.elapsedNanos() / 1_000_000, result.opsPerSecond(), result.failures().size(),
                metrics.waits());
        assertThat(result.failures()).isEmpty();
        assertThat(result.badTotals()).isEmpty();
        assertThat(result.ackedTransfers()).hasSize(WRITERS * OPS);
        assertThat(result.readsOk()).isEqualTo((long) READERS * OPS);
        assertThat(PoolWorkload.ledger(file)).isEqualTo(result.ackedTransfers());
        assertThat(PoolWorkload.total(file)).isEqualTo(PoolWorkload.TOTAL);
        assertThat(metrics.writes()).isEqualTo((long) WRITERS * OPS);
        assertThat(metrics.reads()).isEqualTo((long) READERS * OPS);
        assertThat(metrics.timeouts()).isZero();
        assertThat(metrics.rejections()).isZero();
    }

    @Test
    void pool_withGroupCommit_sameGuarantees() throws Exception {
        Path file = dir.resolve("group.db");
        PoolWorkload.createSchema(file);
        SqlitePool pool = SqlitePool.open(SqliteConfig.builder(file).build(),
                PoolOptions.builder().name("w14-group").groupCommit(16).build()).get(30, SECONDS);
        PoolWorkload.Result result;
        PoolMetrics metrics;
        try (PoolWorkload.Side side = PoolWorkload.pool(pool, true)) {
            result = PoolWorkload.run(side, WRITERS, READERS, OPS);
            metrics = pool.metrics();
        }
        System.out.printf("pool, group commit 16: %d operations in %d ms, %.0f ops/s, %d failures,"
                + " %d writes in %d commits%n", result.operations(), result.elapsedNanos() / 1_000_000,
                result.opsPerSecond(), result.failures().size(), metrics.writes(), metrics.commits());
        assertThat(result.failures()).isEmpty();
        assertThat(result.badTotals()).isEmpty();
        assertThat(result.ackedTransfers()).hasSize(WRITERS * OPS);
        assertThat(PoolWorkload.ledger(file)).isEqualTo(result.ackedTransfers());
        assertThat(PoolWorkload.total(file)).isEqualTo(PoolWorkload.TOTAL);
        assertThat(metrics.writes()).isEqualTo((long) WRITERS * OPS);
        assertThat(metrics.commits()).isBetween(1L, (long) WRITERS * OPS);
    }

    /** Prints what group commit gains with a deep write queue; no assertion on the numbers. */
    @Test
    void groupCommit_measurement_deepWriteQueue() throws Exception {
        for (int group : new int[] {1, 16, 64}) {
            Path file = dir.resolve("measure-" + group + ".db");
            try (SqlitePool pool = SqlitePool.open(SqliteConfig.builder(file).build(),
                    PoolOptions.builder().readers(1).groupCommit(group).build()).get(30, SECONDS)) {
                pool.execute("create table t(x, y)").get(30, SECONDS);
                int n = 2048;
                long began = System.nanoTime();
                List<java.util.concurrent.CompletableFuture<Long>> writes = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int v = i;
                    writes.add(pool.write(s -> s.execute("insert into t values (?, ?)", v, "row " + v)));
                }
                for (java.util.concurrent.CompletableFuture<Long> w : writes) {
                    assertThat(w.get(60, SECONDS)).isEqualTo(1);
                }
                long ms = Math.max(1, (System.nanoTime() - began) / 1_000_000);
                System.out.printf("group commit %d (synchronous=FULL, SQLite's default): %d write()"
                        + " calls in flight, %d ms, %d writes/s, %d commits%n", group, n, ms,
                        n * 1000L / ms, pool.metrics().commits() - 1);
            }
        }
    }

    @Test
    void plainConnections_withAShortBusyTimeout_getBusyErrors_butLoseNoAcknowledgedWrite()
            throws Exception {
        Path file = dir.resolve("plain.db");
        PoolWorkload.createSchema(file);
        SqliteConfig config = SqliteConfig.builder(file)
                .journalMode(SqliteConfig.JournalMode.WAL)
                .busyTimeout(Duration.ofMillis(50))
                .build();
        PoolWorkload.Result result;
        try (PoolWorkload.Side side = PoolWorkload.plain(config, WRITERS + READERS)) {
            result = PoolWorkload.run(side, WRITERS, READERS, OPS);
        }
        List<Throwable> failures = result.failures();
        long busy = failures.stream().filter(e -> e instanceof SqliteError
                && (((SqliteError) e).resultCode() == 5 || ((SqliteError) e).resultCode() == 6)).count();
        System.out.printf("plain connections (busy timeout 50 ms): %d operations in %d ms, %.0f successful ops/s,"
                + " %d BUSY/LOCKED errors (%d failures in all), %d of %d transfers acknowledged%n",
                result.operations(), result.elapsedNanos() / 1_000_000, result.opsPerSecond(), busy,
                failures.size(), result.ackedTransfers().size(), WRITERS * OPS);
        assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(SQLTransientException.class));
        assertThat(result.badTotals()).isEmpty();
        Set<List<Long>> ledger = PoolWorkload.ledger(file);
        assertThat(ledger).containsAll(result.ackedTransfers());
        assertThat(ledger).hasSize(result.ackedTransfers().size());
        assertThat(PoolWorkload.total(file)).isEqualTo(PoolWorkload.TOTAL);
    }
}
