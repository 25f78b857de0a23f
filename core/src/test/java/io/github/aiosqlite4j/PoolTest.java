package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Futures.failure;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SqlitePool: routing, waiting, close, degenerate modes, metrics, errors. */
final class PoolTest {
    @TempDir
    Path dir;

    private SqliteConfig config() {
        return SqliteConfig.builder(dir.resolve("pool.db")).build();
    }

    private static SqlitePool open(SqliteConfig config, PoolOptions options) throws Exception {
        return SqlitePool.open(config, options).get(30, SECONDS);
    }

    private SqlitePool open(PoolOptions options) throws Exception {
        return open(config(), options);
    }

    /** Waits (inside a body) for a latch, at most 30 s. */
    static void await(CountDownLatch latch) throws SQLException {
        try {
            if (!latch.await(30, SECONDS)) {
                throw new SQLException("latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(e);
        }
    }

    /** Waits (inside a body) for another connection's future, at most 30 s. */
    static <T> T join(CompletableFuture<T> future) throws SQLException {
        try {
            return future.get(30, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new SQLException(e);
        }
    }

    /**
     * Holds a connection busy: runs, through {@code submit} (a pool's {@code read}, {@code write} or
     * {@code transaction}, or a connection's {@code run}), a body that counts {@code entered} down and then waits for {@code
     * release}.
     *
     * @return the body's future, completing with 0 once released
     */
    static CompletableFuture<Integer> hold(
            Function<SqlFunction<SqliteSession, Integer>, CompletableFuture<Integer>> submit,
            CountDownLatch entered, CountDownLatch release) {
        return submit.apply(s -> {
            entered.countDown();
            await(release);
            return 0;
        });
    }

    // ------------------------------------------------------------------------ bodies

    @Test
    void aQueuedWriteTimedOutByTheCallerNeverRuns() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(1).build())) {
            pool.execute("create table t(v text)").get(30, SECONDS);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> busy = pool.transaction(s -> {
                entered.countDown();
                await(release);
                return s.execute("insert into t values ('first')");
            });
            assertThat(entered.await(30, SECONDS)).isTrue();
            CompletableFuture<Long> late = pool.execute("insert into t values ('late')")
                    .orTimeout(10, TimeUnit.MILLISECONDS);
            assertThat(failure(late)).isInstanceOf(java.util.concurrent.TimeoutException.class);
            release.countDown();
            assertThat(busy.get(30, SECONDS)).isEqualTo(1L);
            List<Row> rows = pool.executeFetchAll("select v from t").get(30, SECONDS);
            assertThat(rows).extracting(r -> r.get(0)).containsExactly("first");
        }
    }

    @Test
    void transactionAndRead_roundTrip() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(2).build())) {
            pool.execute("create table t(x)").get(30, SECONDS);
            long changed = pool.transaction(s -> s.execute("insert into t values (?), (?)", 1, 2))
                    .get(30, SECONDS);
            assertThat(changed).isEqualTo(2);
            List<Row> rows = pool.read(s -> s.query("select x from t order by x")).get(30, SECONDS);
            assertThat(rows).extracting(r -> r.getLong(0)).containsExactly(1L, 2L);
            assertThat(pool.write(s -> s.execute("delete from t where x = 1"))
                    .get(30, SECONDS)).isEqualTo(1);
            assertThat(pool.executeFetchAll("select count(*) from t").get(30, SECONDS)
                    .get(0).getLong(0)).isEqualTo(1);
        }
    }

    @Test
    void failingTransaction_rollsBack_propagatesCause_andPoolStaysUsable() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(2).build())) {
            pool.execute("create table t(x)").get(30, SECONDS);
            SQLException boom = new SQLException("boom");
            Throwable error = failure(pool.transaction(s -> {
                s.execute("insert into t values (1)");
                throw boom;
            }));
            assertThat(error).as("the body's own exception").isSameAs(boom);
            IllegalStateException runtime = new IllegalStateException("runtime boom");
            assertThat(failure(pool.write(s -> {
                s.execute("insert into t values (2)");
                throw runtime;
            }))).isSameAs(runtime);
            assertThat(pool.executeFetchAll("select count(*) from t").get(30, SECONDS)
                    .get(0).getLong(0)).isZero();
            pool.transaction(s -> s.execute("insert into t values (3)")).get(30, SECONDS);
            assertThat(pool.read(s -> s.query("select x from t")).get(30, SECONDS))
                    .extracting(r -> r.getLong(0)).containsExactly(3L);
            SQLException readBoom = new SQLException("read boom");
            Throwable readError = failure(pool.read(s -> {
                throw readBoom;
            }));
            assertThat(readError).isSameAs(readBoom);
            assertThat(pool.read(s -> s.query("select count(*) from t")).get(30, SECONDS)
                    .get(0).getLong(0)).isEqualTo(1);
        }
    }

    @Test
    void readBody_cannotWrite_readersAreQueryOnly() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(2).build())) {
            pool.execute("create table t(x)").get(30, SECONDS);
            Throwable error = failure(pool.read(s -> s.execute("insert into t values (1)")));
            assertThat(error).isInstanceOf(SQLNonTransientException.class)
                    .hasMessageContaining("readonly");
            assertThat(pool.executeFetchAll("select count(*) from t").get(30, SECONDS)
                    .get(0).getLong(0)).isZero();
        }
    }

    @Test
    void readBody_seesOneSnapshot_whileTheWriterCommits() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(2).build())) {
            pool.execute("create table t(x)").get(30, SECONDS);
            pool.execute("insert into t values (1)").get(30, SECONDS);
            CompletableFuture<long[]> counts = pool.read(s -> {
                long before = s.query("select count(*) from t").get(0).getLong(0);
                // the writer commits a row while this read transaction is open
                join(pool.transaction(w -> w.execute("insert into t values (2)")));
                long after = s.query("select count(*) from t").get(0).getLong(0);
                return new long[] {before, after};
            });
            assertThat(counts.get(30, SECONDS)).containsExactly(1, 1);
            assertThat(pool.executeFetchAll("select count(*) from t").get(30, SECONDS)
                    .get(0).getLong(0)).isEqualTo(2);
        }
    }

    // ----------------------------------------------------------------------- routing

    @Test
    void execute_routesReadsToReaders_andEverythingElseToTheWriter() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(2).build())) {
            pool.execute("create table t(id integer primary key, x)").get(30, SECONDS);
            assertThat(pool.metrics().writes()).isEqualTo(1);

            assertThat(pool.execute("insert into t(x) values (?)", 10).get(30, SECONDS)).isEqualTo(1);
            List<Row> returned = pool.executeFetchAll("insert into t(x) values (20) returning id")
                    .get(30, SECONDS);
            assertThat(returned).extracting(r -> r.getLong(0)).containsExactly(2L);
            pool.execute("with v(n) as (select 30) insert into t(x) select n from v").get(30, SECONDS);
            pool.execute("pragma user_version = 7").get(30, SECONDS);
            PoolMetrics afterWrites = pool.metrics();
            assertThat(afterWrites.writes()).isEqualTo(5);
            assertThat(afterWrites.reads()).isZero();

            assertThat(pool.executeFetchAll("select x from t order by id").get(30, SECONDS))
                    .extracting(r -> r.getLong(0)).containsExactly(10L, 20L, 30L);
            assertThat(pool.executeFetchAll(
                    "with v as (select x from t) select sum(x) from v").get(30, SECONDS)
                    .get(0).getLong(0)).isEqualTo(60);
            assertThat(pool.executeFetchAll("values (1), (2)").get(30, SECONDS)).hasSize(2);
            assertThat(pool.executeFetchAll("explain query plan select * from t").get(30, SECONDS))
                    .isNotEmpty();
            assertThat(pool.executeFetchAll("pragma user_version").get(30, SECONDS)
                    .get(0).getLong(0)).isEqualTo(7);
            assertThat(pool.executeFetchAll("pragma table_info(t)").get(30, SECONDS)).hasSize(2);
            assertThat(pool.executeFetchAll("select x from t where id = ?", r -> r.getLong(0), 3)
                    .get(30, SECONDS)).containsExactly(30L);
            assertThat(pool.execute("select 1").get(30, SECONDS)).isEqualTo(-1);
            PoolMetrics afterReads = pool.metrics();
            assertThat(afterReads.writes()).isEqualTo(5);
            assertThat(afterReads.reads()).isEqualTo(8);
        }
    }

    @Test
    void execute_refusesTransactionControlAndAttach() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(2).build())) {
            for (String sql : List.of("begin", "BEGIN IMMEDIATE", "commit", "end", "rollback",
                    "savepoint a", "release a", "rollback to a",
                    "attach database 'x.db' as x", "detach x")) {
                assertThatThrownBy(() -> pool.execute(sql))
                        .as(sql)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(sql)
                        .hasMessageContaining("transaction(body)");
            }
            assertThatThrownBy(() -> pool.executeFetchAll("begin"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pool.execute(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("sql");
            assertThatThrownBy(() -> pool.read(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("body");
            assertThatThrownBy(() -> pool.transaction(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("body");
        }
    }

    // ----------------------------------------------------------------------- waiting

    @Test
    void waitingForAReader_isFirstComeFirstServed() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(1).build())) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holder = hold(pool::read, entered, release);
            assertThat(entered.await(30, SECONDS)).isTrue();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int id = i;
                queued.add(pool.read(s -> {
                    order.add(id);
                    return id;
                }));
            }
            PoolMetrics waiting = pool.metrics();
            assertThat(waiting.readersBusy()).isEqualTo(1);
            assertThat(waiting.readersWaiting()).isEqualTo(6);
            assertThat(waiting.waits()).isEqualTo(6);
            release.countDown();
            holder.get(30, SECONDS);
            for (CompletableFuture<Integer> f : queued) {
                f.get(30, SECONDS);
            }
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
            PoolMetrics after = pool.metrics();
            assertThat(after.readersBusy()).isZero();
            assertThat(after.readersWaiting()).isZero();
            assertThat(after.reads()).isEqualTo(7);
        }
    }

    @Test
    void waiting_isBounded_extraRequestFailsAtOnce() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().name("bounded").readers(1).maxWaiters(2)
                .build())) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holder = hold(pool::read, entered, release);
            assertThat(entered.await(30, SECONDS)).isTrue();
            CompletableFuture<List<Row>> first = pool.executeFetchAll("select 1");
            CompletableFuture<List<Row>> second = pool.executeFetchAll("select 2");
            CompletableFuture<List<Row>> third = pool.executeFetchAll("select 3");
            assertThat(third).isCompletedExceptionally();
            assertThat(failure(third)).isInstanceOf(SQLTransientException.class)
                    .isInstanceOf(SqliteError.class)
                    .hasMessageContaining("'bounded'")
                    .hasMessageContaining("2 requests are already waiting")
                    .hasMessageContaining("maxWaiters=2");
            assertThat(pool.metrics().rejections()).isEqualTo(1);
            release.countDown();
            holder.get(30, SECONDS);
            assertThat(first.get(30, SECONDS).get(0).getLong(0)).isEqualTo(1);
            assertThat(second.get(30, SECONDS).get(0).getLong(0)).isEqualTo(2);
        }
    }

    @Test
    void waiting_timesOut_withAMessageNamingPoolWaitersAndTimeout() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().name("slow-readers").readers(1)
                .acquireTimeout(Duration.ofMillis(200)).build())) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holder = hold(pool::read, entered, release);
            assertThat(entered.await(30, SECONDS)).isTrue();
            Throwable error = failure(pool.read(s -> 1));
            assertThat(error).isInstanceOf(SQLTransientException.class)
                    .isInstanceOf(SqliteError.class)
                    .hasMessageContaining("pool 'slow-readers'")
                    .hasMessageContaining("1 request was waiting")
                    .hasMessageContaining("PT0.2S");
            PoolMetrics m = pool.metrics();
            assertThat(m.timeouts()).isEqualTo(1);
            assertThat(m.readersWaiting()).isZero();
            release.countDown();
            holder.get(30, SECONDS);
            assertThat(pool.read(s -> 2).get(30, SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void cancellingAQueuedRead_removesItFromTheLine() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(1).build())) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holder = hold(pool::read, entered, release);
            assertThat(entered.await(30, SECONDS)).isTrue();
            AtomicInteger ran = new AtomicInteger();
            CompletableFuture<Integer> cancelled = pool.read(s -> ran.incrementAndGet());
            CompletableFuture<Integer> kept = pool.read(s -> 42);
            assertThat(pool.metrics().readersWaiting()).isEqualTo(2);
            assertThat(cancelled.cancel(true)).isTrue();
            assertThat(pool.metrics().readersWaiting()).isEqualTo(1);
            release.countDown();
            holder.get(30, SECONDS);
            assertThat(kept.get(30, SECONDS)).isEqualTo(42);
            assertThatThrownBy(() -> cancelled.get(30, SECONDS))
                    .isInstanceOf(CancellationException.class);
            assertThat(ran.get()).isZero();
            assertThat(pool.metrics().readersBusy()).isZero();
        }
    }

    @Test
    void cancellingARunningRead_interruptsIt_andReleasesTheReader() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(1).build())) {
            CompletableFuture<List<Row>> endless = pool.executeFetchAll(
                    "with recursive c(n) as (select 1 union all select n + 1 from c)"
                            + " select count(*) from c");
            assertThat(pool.metrics().readersBusy()).isEqualTo(1);
            assertThat(endless.cancel(true)).isTrue();
            assertThat(pool.read(s -> s.query("select 41 + 1")).get(30, SECONDS).get(0).getLong(0))
                    .isEqualTo(42);
            assertThat(pool.metrics().readersBusy()).isZero();
        }
    }

    @Test
    void groupCommit_cancellingAQueuedWrite_removesIt() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(1).groupCommit(8).build())) {
            pool.execute("create table t(x)").get(30, SECONDS);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holder = hold(pool::transaction, entered, release);
            assertThat(entered.await(30, SECONDS)).isTrue();
            CompletableFuture<Long> cancelled = pool.write(s -> s.execute("insert into t values (1)"));
            CompletableFuture<Long> kept = pool.write(s -> s.execute("insert into t values (2)"));
            assertThat(cancelled.cancel(true)).isTrue();
            assertThat(pool.metrics().writesPending()).isEqualTo(2);
            release.countDown();
            holder.get(30, SECONDS);
            assertThat(kept.get(30, SECONDS)).isEqualTo(1);
            assertThat(pool.executeFetchAll("select x from t", r -> r.getLong(0)).get(30, SECONDS))
                    .containsExactly(2L);
        }
    }

    // ------------------------------------------------------------------------ metrics

    @Test
    void metrics_reportReadersWritesAndCounters() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(3).build())) {
            assertThat(pool.metrics()).isEqualTo(new PoolMetrics(3, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            pool.execute("create table t(x)").get(30, SECONDS);
            pool.transaction(s -> s.execute("insert into t values (1)")).get(30, SECONDS);
            pool.read(s -> s.query("select * from t")).get(30, SECONDS);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holder = hold(pool::read, entered, release);
            assertThat(entered.await(30, SECONDS)).isTrue();
            CountDownLatch writerEntered = new CountDownLatch(1);
            CountDownLatch writerRelease = new CountDownLatch(1);
            CompletableFuture<Integer> write = hold(pool::write, writerEntered, writerRelease);
            CompletableFuture<Integer> queuedWrite = pool.write(s -> 2);
            assertThat(writerEntered.await(30, SECONDS)).isTrue();
            assertThat(pool.metrics()).isEqualTo(new PoolMetrics(3, 1, 0, 2, 1, 2, 2, 0, 0, 0));
            writerRelease.countDown();
            release.countDown();
            write.get(30, SECONDS);
            queuedWrite.get(30, SECONDS);
            holder.get(30, SECONDS);
            assertThat(pool.metrics()).isEqualTo(new PoolMetrics(3, 0, 0, 0, 2, 4, 4, 0, 0, 0));
            assertThat(pool.name()).startsWith("pool-");
            assertThat(pool.toString()).contains(pool.name());
        }
    }

    // ------------------------------------------------------------------- group commit

    @Test
    void groupCommit_commitsQueuedWritesTogether_aFailingBodyRollsBackAlone() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(1).groupCommit(64).build())) {
            pool.execute("create table t(x integer primary key)").get(30, SECONDS);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holder = hold(pool::transaction, entered, release);
            assertThat(entered.await(30, SECONDS)).isTrue();
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            SQLException boom = new SQLException("body 5 fails");
            for (int i = 0; i < 10; i++) {
                int v = i;
                writes.add(pool.write(s -> {
                    s.execute("insert into t values (?)", v);
                    if (v == 5) {
                        throw boom;
                    }
                    return s.query("select count(*) from t").get(0).getLong(0);
                }));
            }
            assertThat(pool.metrics().writesPending()).isEqualTo(11);
            release.countDown();
            holder.get(30, SECONDS);
            for (int i = 0; i < 10; i++) {
                if (i == 5) {
                    Throwable error = failure(writes.get(i));
                    assertThat(error).as("body 5's error").isSameAs(boom);
                } else {
                    // one transaction: each body sees the rows of the bodies before it
                    assertThat(writes.get(i).get(30, SECONDS)).isEqualTo(i < 5 ? i + 1 : i);
                }
            }
            assertThat(pool.executeFetchAll("select x from t order by x", r -> r.getLong(0))
                    .get(30, SECONDS)).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L);
            PoolMetrics m = pool.metrics();
            assertThat(m.writes()).isEqualTo(12);   // create, holder, 10 grouped
            assertThat(m.commits()).isEqualTo(3);   // create, holder, one group
            assertThat(m.writesPending()).isZero();
        }
    }

    @Test
    void groupCommit_aBodyThatEndsTheTransaction_failsTheGroupBeforeIt_andTheRestRunLater()
            throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(1).groupCommit(64).build())) {
            pool.execute("create table t(x)").get(30, SECONDS);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holder = hold(pool::transaction, entered, release);
            assertThat(entered.await(30, SECONDS)).isTrue();
            CompletableFuture<Long> before = pool.write(s -> s.execute("insert into t values (1)"));
            CompletableFuture<Long> ender = pool.write(s -> s.execute("rollback"));
            CompletableFuture<Long> after = pool.write(s -> s.execute("insert into t values (3)"));
            release.countDown();
            holder.get(30, SECONDS);
            assertThat(failure(before)).isInstanceOf(SqliteError.class)
                    .hasMessageContaining("ended the group transaction");
            assertThat(failure(ender)).isInstanceOf(SQLException.class);
            assertThat(after.get(30, SECONDS)).isEqualTo(1);
            assertThat(pool.executeFetchAll("select x from t", r -> r.getLong(0)).get(30, SECONDS))
                    .containsExactly(3L);
        }
    }

    @Test
    void groupCommit_closeDrainsEveryAcceptedWrite() throws Exception {
        Path file = dir.resolve("pool.db");
        SqlitePool pool = open(PoolOptions.builder().readers(1).groupCommit(8).build());
        pool.execute("create table t(x)").get(30, SECONDS);
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int v = i;
            writes.add(pool.write(s -> s.execute("insert into t values (?)", v)));
        }
        pool.closeAsync().get(30, SECONDS);
        for (CompletableFuture<Long> w : writes) {
            assertThat(w).isCompletedWithValue(1L);
        }
        assertThat(pool.metrics().commits()).isBetween(1L + 300 / 8, 301L);
        try (AsyncConnection db = AioSqlite.connect(file).get(30, SECONDS)) {
            assertThat(db.executeFetchAll("select count(*) from t").get(30, SECONDS).get(0)
                    .getLong(0)).isEqualTo(300);
        }
    }

    // -------------------------------------------------------------------------- close

    @Test
    void close_drainsAcceptedWrites_andCheckpointsTheWal() throws Exception {
        Path file = dir.resolve("pool.db");
        SqlitePool pool = open(PoolOptions.builder().readers(2).build());
        pool.execute("create table t(x)").get(30, SECONDS);
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int v = i;
            writes.add(pool.transaction(s -> s.execute("insert into t values (?)", v)));
        }
        CompletableFuture<List<Row>> read = pool.executeFetchAll("select count(*) from t");
        assertThat(Files.exists(dir.resolve("pool.db-wal"))).isTrue();
        CompletableFuture<Void> closing = pool.closeAsync();
        closing.get(30, SECONDS);
        for (CompletableFuture<Long> w : writes) {
            assertThat(w).isCompletedWithValue(1L);
        }
        assertThat(read.get(30, SECONDS)).hasSize(1);
        Path wal = dir.resolve("pool.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0)
                .as("WAL file absent or empty after close").isTrue();
        try (AsyncConnection db = AioSqlite.connect(file).get(30, SECONDS)) {
            assertThat(db.executeFetchAll("select count(*), sum(x) from t").get(30, SECONDS).get(0)
                    .values()).containsExactly(200L, 199L * 200 / 2);
            assertThat(db.executeFetchAll("pragma journal_mode").get(30, SECONDS).get(0).get(0))
                    .isEqualTo("wal");
        }
    }

    @Test
    void close_endsEveryWorkerThread() throws Exception {
        List<Thread> started = Collections.synchronizedList(new ArrayList<>());
        SqliteConfig config = SqliteConfig.builder(dir.resolve("threads.db")).threadFactory(r -> {
            Thread t = new Thread(r, "pool-thread-" + started.size());
            t.setDaemon(true);
            started.add(t);
            return t;
        }).build();
        SqlitePool pool = open(config, PoolOptions.builder().readers(3).build());
        pool.execute("create table t(x)").get(30, SECONDS);
        pool.executeFetchAll("select * from t").get(30, SECONDS);
        assertThat(started).hasSize(4);
        pool.close();
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as(t.getName()).isFalse();
        }
    }

    @Test
    void close_isIdempotent_andLaterCallsFailFast() throws Exception {
        SqlitePool pool = open(PoolOptions.builder().name("done").readers(2).build());
        CompletableFuture<Void> first = pool.closeAsync();
        assertThat(pool.closeAsync()).isSameAs(first);
        first.get(30, SECONDS);
        pool.close();
        assertThat(pool.isClosed()).isTrue();
        List<CompletableFuture<?>> calls = List.of(pool.read(s -> 1), pool.write(s -> 1),
                pool.transaction(s -> 1), pool.execute("select 1"),
                pool.execute("create table t(x)"), pool.executeFetchAll("select 1"));
        for (CompletableFuture<?> call : calls) {
            assertThat(call).isCompletedExceptionally();
            assertThat(failure(call)).isInstanceOf(SQLNonTransientConnectionException.class)
                    .isInstanceOf(SqliteError.class)
                    .hasMessageContaining("pool 'done'")
                    .hasMessageContaining("is closed");
        }
    }

    @Test
    void close_letsQueuedReadsFinish() throws Exception {
        SqlitePool pool = open(PoolOptions.builder().readers(1).build());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> holder = hold(pool::read, entered, release);
        assertThat(entered.await(30, SECONDS)).isTrue();
        CompletableFuture<Integer> queued = pool.read(s -> 7);
        CompletableFuture<Void> closing = pool.closeAsync();
        assertThat(closing).isNotDone();
        assertThat(pool.read(s -> 8)).isCompletedExceptionally();
        release.countDown();
        closing.get(30, SECONDS);
        assertThat(holder).isCompletedWithValue(0);
        assertThat(queued).isCompletedWithValue(7);
    }

    @Test
    void close_insideABody_isRefused() throws Exception {
        SqlitePool opened = open(PoolOptions.builder().readers(1).build());
        try (SqlitePool pool = opened) {
            Throwable error = failure(pool.read(s -> {
                opened.close();
                return 1;
            }));
            assertThat(error).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closeAsync");
            assertThat(pool.isClosed()).isFalse();
        }
    }

    // ------------------------------------------------------------- degenerate modes

    @Test
    void inMemoryAndTemporaryDatabases_areRefused() {
        for (String db : List.of(":memory:", "", "file::memory:?cache=shared",
                "file:shared?mode=memory&cache=shared")) {
            assertThatThrownBy(() -> SqlitePool.open(SqliteConfig.builder(db).build(),
                    PoolOptions.defaults()))
                    .as(db)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + db + "'")
                    .hasMessageContaining("AioSqlite.connect");
        }
    }

    @Test
    void aJournalModeOtherThanWal_isRefused() {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("x.db"))
                .journalMode(SqliteConfig.JournalMode.DELETE).build();
        assertThatThrownBy(() -> SqlitePool.open(config, PoolOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journalMode was DELETE");
    }

    @Test
    void readOnlyPool_readsAndRefusesWrites() throws Exception {
        try (SqlitePool pool = open(PoolOptions.builder().readers(2).build())) {
            pool.execute("create table t(x)").get(30, SECONDS);
            pool.execute("insert into t values (5)").get(30, SECONDS);
        }
        SqliteConfig readOnly = SqliteConfig.builder(dir.resolve("pool.db")).readOnly(true).build();
        try (SqlitePool pool = open(readOnly, PoolOptions.builder().name("ro").readers(2).build())) {
            assertThat(pool.isReadOnly()).isTrue();
            assertThat(pool.read(s -> s.query("select x from t")).get(30, SECONDS).get(0).getLong(0))
                    .isEqualTo(5);
            assertThat(pool.executeFetchAll("select count(*) from t").get(30, SECONDS)).hasSize(1);
            for (CompletableFuture<?> call : List.of(pool.write(s -> 1), pool.transaction(s -> 1),
                    pool.execute("insert into t values (6)"))) {
                assertThat(call).isCompletedExceptionally();
                assertThat(failure(call)).isInstanceOf(SQLNonTransientException.class)
                        .hasMessageContaining("pool 'ro'")
                        .hasMessageContaining("read-only");
            }
            assertThat(pool.metrics().readers()).isEqualTo(2);
        }
    }

    @Test
    void aWriterThatCannotWrite_failsToOpen_withAClearError_andLeavesNoThreads() throws Exception {
        // As root, file permissions cannot make a file read-only; query_only on every connection
        // puts the writer in the same state as a read-only file: WAL is set, writing fails.
        List<Thread> started = Collections.synchronizedList(new ArrayList<>());
        SqliteConfig config = SqliteConfig.builder(dir.resolve("ro.db")).pragma("query_only", "1")
                .threadFactory(r -> {
                    Thread t = new Thread(r, "ro-writer");
                    t.setDaemon(true);
                    started.add(t);
                    return t;
                }).build();
        Throwable error = failure(SqlitePool.open(config, PoolOptions.builder().name("rw").build()));
        assertThat(error).isInstanceOf(SQLNonTransientException.class)
                .hasMessageContaining("pool 'rw'")
                .hasMessageContaining("cannot write")
                .hasMessageContaining("readOnly(true)");
        assertThat(started).hasSize(1);
        started.get(0).join(TimeUnit.SECONDS.toMillis(30));
        assertThat(started.get(0).isAlive()).isFalse();
    }

    @Test
    void aPoolWhoseOpenFailsHalfway_closesWhatItOpened() throws Exception {
        List<Thread> started = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger count = new AtomicInteger();
        SqliteConfig config = SqliteConfig.builder(dir.resolve("half.db")).threadFactory(r -> {
            if (count.incrementAndGet() > 3) {
                throw new IllegalStateException("no more threads");
            }
            Thread t = new Thread(r, "half-open-" + count.get());
            t.setDaemon(true);
            started.add(t);
            return t;
        }).build();
        Throwable error = failure(SqlitePool.open(config, PoolOptions.builder().readers(4).build()));
        assertThat(error).isInstanceOf(IllegalStateException.class).hasMessage("no more threads");
        assertThat(started).hasSize(3);
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as(t.getName()).isFalse();
        }
    }

    @Test
    void poolOptions_validateInBuild() {
        assertThatThrownBy(() -> PoolOptions.builder().readers(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readers must be at least 1, was 0");
        assertThatThrownBy(() -> PoolOptions.builder().maxWaiters(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWaiters")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> PoolOptions.builder().acquireTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acquireTimeout")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> PoolOptions.builder().acquireTimeout(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("acquireTimeout");
        assertThatThrownBy(() -> PoolOptions.builder().name(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> PoolOptions.builder().groupCommit(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("groupCommit must be at least 1 (1 = off), was 0");
        PoolOptions defaults = PoolOptions.defaults();
        assertThat(defaults.groupCommit()).isEqualTo(1);
        assertThat(defaults.readers()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(defaults.maxWaiters()).isEqualTo(10_000);
        assertThat(defaults.acquireTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> SqlitePool.open(null, defaults)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("config");
    }
}
