package io.github.aiosqlite4j.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static io.github.aiosqlite4j.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import java.nio.file.Path;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases of a pool's writer and readers (what the R2DBC driver's pool mode builds on). */
final class PoolLeaseTest {
    private static final long LONG_WAIT = Duration.ofSeconds(30).toNanos();

    @TempDir
    Path dir;

    private DefaultSqlitePool open(PoolOptions options) throws Exception {
        SqlitePool pool = SqlitePool.open(SqliteConfig.builder(dir.resolve("lease.db")).build(), options)
                .get(30, SECONDS);
        pool.execute("create table t(id integer primary key, v text)").get(30, SECONDS);
        return (DefaultSqlitePool) pool;
    }

    private static List<Object> values(SqlitePool pool) throws Exception {
        List<Object> out = new ArrayList<>();
        for (Row r : pool.executeFetchAll("select v from t order by id").get(30, SECONDS)) {
            out.add(r.get(0));
        }
        return out;
    }

    @Test
    void writesWaitForTheWriterLeaseAndRunAfterItInOrder() throws Exception {
        try (DefaultSqlitePool pool = open(PoolOptions.builder().readers(1).build())) {
            PoolLease lease = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
            assertThat(lease.isWriter()).isTrue();
            lease.connection().execute("begin immediate").get(30, SECONDS);
            lease.connection().execute("insert into t(v) values ('lease')").get(30, SECONDS);

            CompletableFuture<Long> first = pool.execute("insert into t(v) values ('first')");
            CompletableFuture<Long> second = pool.transaction(
                    s -> s.execute("insert into t(v) values ('second')"));
            // The lease holder's statements still run alone: the writes wait in the pool's backlog.
            lease.connection().execute("insert into t(v) values ('lease 2')").get(30, SECONDS);
            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
            assertThat(pool.metrics().writesPending()).isEqualTo(2);
            // Readers see the last commit, not the lease's open transaction.
            assertThat(values(pool)).isEmpty();

            lease.connection().commit().get(30, SECONDS);
            lease.release().get(30, SECONDS);
            assertThat(first.get(30, SECONDS)).isEqualTo(1L);
            assertThat(second.get(30, SECONDS)).isEqualTo(1L);
            assertThat(values(pool)).containsExactly("lease", "lease 2", "first", "second");
        }
    }

    @Test
    void releaseRollsBackWhatTheHolderLeftOpen() throws Exception {
        try (DefaultSqlitePool pool = open(PoolOptions.builder().readers(1).build())) {
            PoolLease lease = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
            lease.connection().execute("begin immediate").get(30, SECONDS);
            lease.connection().execute("insert into t(v) values ('never')").get(30, SECONDS);
            lease.release().get(30, SECONDS);
            assertThat(lease.isReleased()).isTrue();
            lease.release().get(30, SECONDS); // idempotent

            assertThat(pool.execute("insert into t(v) values ('after')").get(30, SECONDS)).isEqualTo(1L);
            assertThat(values(pool)).containsExactly("after");
        }
    }

    @Test
    void aSecondLeaseWaitsItsTurnOrTimesOutWithATransientError() throws Exception {
        try (DefaultSqlitePool pool = open(PoolOptions.builder().readers(1).name("leasing").build())) {
            PoolLease first = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);

            Throwable atOnce = failure(pool.leaseWriter(0));
            assertThat(atOnce).isInstanceOf(SQLTransientException.class)
                    .hasMessageContaining("pool 'leasing'").hasMessageContaining("writer was not free");
            Throwable timedOut = failure(pool.leaseWriter(Duration.ofMillis(20).toNanos()));
            assertThat(timedOut).isInstanceOf(SQLTransientException.class)
                    .hasMessageContaining("PT0.02S");
            assertThat(pool.metrics().timeouts()).isEqualTo(2);

            CompletableFuture<PoolLease> cancelled = pool.leaseWriter(LONG_WAIT);
            CompletableFuture<PoolLease> waiting = pool.leaseWriter(LONG_WAIT);
            CompletableFuture<Long> write = pool.execute("insert into t(v) values ('behind')");
            assertThat(cancelled.cancel(true)).isTrue();
            first.connection().execute("insert into t(v) values ('first')").get(30, SECONDS);
            assertThat(waiting).isNotDone();
            first.release();

            PoolLease second = waiting.get(30, SECONDS);
            second.connection().execute("insert into t(v) values ('second')").get(30, SECONDS);
            assertThat(write).isNotDone(); // queued behind the second lease
            second.release();
            assertThat(write.get(30, SECONDS)).isEqualTo(1L);
            assertThat(values(pool)).containsExactly("first", "second", "behind");
        }
    }

    @Test
    void aCancelledWaitingWriteNeverRuns() throws Exception {
        try (DefaultSqlitePool pool = open(PoolOptions.builder().readers(1).build())) {
            PoolLease lease = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
            CompletableFuture<Long> cancelled = pool.execute("insert into t(v) values ('cancelled')");
            CompletableFuture<Long> kept = pool.execute("insert into t(v) values ('kept')");
            assertThat(cancelled.cancel(true)).isTrue();
            assertThat(pool.metrics().writesPending()).isEqualTo(1);
            lease.release();
            assertThat(kept.get(30, SECONDS)).isEqualTo(1L);
            assertThat(values(pool)).containsExactly("kept");
        }
    }

    @Test
    void aWaitingWriteTheCallerTimesOutNeverRuns() throws Exception {
        try (DefaultSqlitePool pool = open(PoolOptions.builder().readers(1).groupCommit(4).build())) {
            PoolLease lease = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
            CompletableFuture<Long> plain = pool.execute("insert into t(v) values ('plain')")
                    .orTimeout(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            CompletableFuture<Long> body = pool.transaction(s -> s.execute("insert into t(v) values ('body')"))
                    .orTimeout(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            CompletableFuture<Long> grouped = pool.write(s -> s.execute("insert into t(v) values ('grouped')"))
                    .orTimeout(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(failure(plain)).isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(failure(body)).isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(failure(grouped)).isInstanceOf(java.util.concurrent.TimeoutException.class);
            CompletableFuture<Long> kept = pool.execute("insert into t(v) values ('kept')");
            lease.release();
            assertThat(kept.get(30, SECONDS)).isEqualTo(1L);
            assertThat(values(pool)).containsExactly("kept");
            assertThat(pool.metrics().writesPending()).isZero();
        }
    }

    @Test
    void groupCommitWritesWaitForTheLeaseToo() throws Exception {
        try (DefaultSqlitePool pool = open(PoolOptions.builder().readers(1).groupCommit(8).build())) {
            PoolLease lease = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String v = "w" + i;
                writes.add(pool.write(s -> s.execute("insert into t(v) values (?)", v)));
            }
            lease.connection().execute("insert into t(v) values ('lease')").get(30, SECONDS);
            assertThat(writes).allMatch(w -> !w.isDone());
            lease.release();
            for (CompletableFuture<Long> w : writes) {
                assertThat(w.get(30, SECONDS)).isEqualTo(1L);
            }
            assertThat(values(pool)).containsExactly("lease", "w0", "w1", "w2", "w3", "w4");
        }
    }

    @Test
    void readerLeasesShareTheReadersWithReadBodies() throws Exception {
        try (DefaultSqlitePool pool = open(PoolOptions.builder().readers(1).build())) {
            pool.execute("insert into t(v) values ('a')").get(30, SECONDS);
            PoolLease lease = pool.leaseReader().get(30, SECONDS);
            assertThat(lease.isWriter()).isFalse();
            assertThat(pool.metrics().readersBusy()).isEqualTo(1);

            lease.connection().execute("begin").get(30, SECONDS);
            assertThat(lease.connection().executeFetchAll("select v from t").get(30, SECONDS)).hasSize(1);
            // A write commits beside the lease's snapshot, which does not see it.
            pool.execute("insert into t(v) values ('b')").get(30, SECONDS);
            assertThat(lease.connection().executeFetchAll("select v from t").get(30, SECONDS)).hasSize(1);
            Throwable write = failure(lease.connection().execute("insert into t(v) values ('x')"));
            assertThat(write).isInstanceOf(SQLNonTransientException.class);

            CompletableFuture<Object> read = pool.read(s -> s.query("select count(*) from t").get(0).get(0));
            CompletableFuture<PoolLease> second = pool.leaseReader();
            assertThat(pool.metrics().readersWaiting()).isEqualTo(2);
            lease.release();
            assertThat(read.get(30, SECONDS)).isEqualTo(2L);
            PoolLease next = second.get(30, SECONDS);
            assertThat(next.connection().inTransaction()).isFalse(); // the first holder's BEGIN was rolled back
            next.release().get(30, SECONDS);
            assertThat(pool.metrics().readersBusy()).isZero();
        }
    }

    @Test
    void closeWaitsForHeldLeasesAndRefusesNewOnes() throws Exception {
        DefaultSqlitePool pool = open(PoolOptions.builder().readers(1).build());
        PoolLease writer = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
        PoolLease reader = pool.leaseReader().get(30, SECONDS);
        CompletableFuture<Long> accepted = pool.execute("insert into t(v) values ('accepted')");
        CompletableFuture<Void> closing = pool.closeAsync();

        assertThat(failure(pool.leaseWriter(LONG_WAIT))).isInstanceOf(SQLNonTransientConnectionException.class);
        assertThat(failure(pool.leaseReader())).isInstanceOf(SQLNonTransientConnectionException.class);
        writer.connection().execute("insert into t(v) values ('held')").get(30, SECONDS);
        assertThat(closing).isNotDone();
        writer.release();
        assertThat(accepted.get(30, SECONDS)).isEqualTo(1L);
        reader.release();
        closing.get(30, SECONDS);
        assertThat(writer.connection().isClosed()).isTrue();
        assertThat(reader.connection().isClosed()).isTrue();

        try (SqlitePool again = SqlitePool.open(SqliteConfig.builder(dir.resolve("lease.db")).build(),
                PoolOptions.builder().readers(1).build()).get(30, SECONDS)) {
            assertThat(values(again)).containsExactly("held", "accepted");
        }
    }

    @Test
    void closeReclaimsLeasesNobodyReleasesAfterTheGracePeriod() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("lease.db"))
                .shutdownGracePeriod(Duration.ofMillis(100)).build();
        DefaultSqlitePool pool = (DefaultSqlitePool) SqlitePool.open(config,
                PoolOptions.builder().readers(1).build()).get(30, SECONDS);
        pool.execute("create table t(id integer primary key, v text)").get(30, SECONDS);
        PoolLease writer = pool.leaseWriter(LONG_WAIT).get(30, SECONDS);
        PoolLease reader = pool.leaseReader().get(30, SECONDS);
        writer.connection().execute("begin immediate").get(30, SECONDS);
        writer.connection().execute("insert into t(v) values ('forgotten')").get(30, SECONDS);

        pool.closeAsync().get(30, SECONDS); // never released by their holders
        assertThat(writer.isReleased()).isTrue();
        assertThat(reader.isReleased()).isTrue();
        assertThat(writer.connection().isClosed()).isTrue();
        try (SqlitePool again = SqlitePool.open(config, PoolOptions.builder().readers(1).build())
                .get(30, SECONDS)) {
            assertThat(values(again)).isEmpty();
        }
    }

    @Test
    void aReadOnlyPoolHasNoWriterToLease() throws Exception {
        open(PoolOptions.builder().readers(1).build()).close();
        SqliteConfig ro = SqliteConfig.builder(dir.resolve("lease.db")).readOnly(true).build();
        try (DefaultSqlitePool pool = (DefaultSqlitePool) SqlitePool.open(ro,
                PoolOptions.builder().readers(1).build()).get(30, SECONDS)) {
            assertThat(failure(pool.leaseWriter(LONG_WAIT))).isInstanceOf(SQLNonTransientException.class)
                    .hasMessageContaining("read-only");
            pool.leaseReader().get(30, SECONDS).release().get(30, SECONDS);
        }
    }
}
