package io.github.aiosqlite4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqliteConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plain connection's queue depth, read back from a registry while work queues behind a blocked statement. */
final class SqliteConnectionMetricsTest {

    @TempDir
    Path dir;

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theQueueDepthGauge_countsWorkWaitingBehindTheRunningStatement() throws Exception {
        String file = dir.resolve("q.db").toString();
        MeterRegistry r = new SimpleMeterRegistry();
        try (AsyncConnection c = AioSqlite.connect(SqliteConfig.builder(file).queueCapacity(50).build()).join()) {
            new SqliteConnectionMetrics(c, Tags.of("connection", "main")).bindTo(r);
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            c.createFunction("block", 0, args -> {
                inside.countDown();
                await(release);
                return 1;
            }, false).join();
            assertThat(depth(r, file)).isZero();
            assertThat(r.get(SqliteConnectionMetrics.QUEUE_CAPACITY).tag("connection", "main").gauge().value())
                    .isEqualTo(50);

            CompletableFuture<?> blocked = c.executeFetchAll("SELECT block()");
            await(inside); // the worker runs it, and waits
            List<CompletableFuture<?>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                queued.add(c.executeFetchAll("SELECT ?", i));
                assertThat(depth(r, file)).isEqualTo(i + 1);
            }
            release.countDown();
            blocked.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<?> q : queued) {
                q.get(30, TimeUnit.SECONDS);
            }
            assertThat(depth(r, file)).isZero();
        }
    }

    private static double depth(MeterRegistry r, String file) {
        return r.get(SqliteConnectionMetrics.QUEUE_DEPTH).tag("db.system.name", "sqlite")
                .tag("db.namespace", file).tag("connection", "main").gauge().value();
    }
}
