package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fast paths: a waiting caller completes its own future, queries read their first rows
 * ahead, and fetches or closes that the read-ahead can answer complete without a hop. Each keeps
 * the results and the order a hop would give.
 */
final class HotPathTest extends MemoryDatabaseTest {

    @BeforeEach
    void fillTable() throws Exception {
        db.executeScript("create table t (x integer);"
                + " with recursive c(x) as (select 1 union all select x + 1 from c where x < 200)"
                + " insert into t select x from c;").get(10, TimeUnit.SECONDS);
    }

    /** Registers check_x(x): returns x, but throws for the given value. */
    private void failAt(long bad) {
        db.createFunction("check_x", 1, args -> {
            long x = (Long) args[0];
            if (x == bad) {
                throw new IllegalArgumentException("bad row " + x);
            }
            return x;
        }, false).join();
    }

    private static List<Long> xs(List<Row> rows) {
        List<Long> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r.getLong(0));
        }
        return out;
    }

    @Test
    void joinManyTimes_eachResultBelongsToItsQuery() {
        for (int i = 0; i < 2_000; i++) {
            List<Row> rows = db.executeFetchAll("select ?", i).join();
            assertThat(rows.get(0).getLong(0)).isEqualTo(i);
        }
    }

    @Test
    void callbacksRegisteredBeforeCompletion_neverRunOnTheWorker() throws Exception {
        String worker = db.run(s -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
        CountDownLatch gate = new CountDownLatch(1);
        db.createFunction("hold", 0, args -> {
            gate.await(10, TimeUnit.SECONDS);
            return 1;
        }, false).join();
        CompletableFuture<List<Row>> f = db.executeFetchAll("select hold()");
        AtomicReference<String> callbackThread = new AtomicReference<>();
        CompletableFuture<Long> mapped = f.thenApply(rows -> {
            callbackThread.set(Thread.currentThread().getName());
            return rows.get(0).getLong(0);
        });
        gate.countDown();
        assertThat(f.join().get(0).getLong(0)).isEqualTo(1L);
        assertThat(mapped).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(callbackThread.get()).isNotEqualTo(worker);
    }

    @Test
    void twoThreadsJoiningOneFuture_bothGetTheResult() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        db.createFunction("hold", 0, args -> {
            gate.await(10, TimeUnit.SECONDS);
            return 5;
        }, false).join();
        CompletableFuture<List<Row>> f = db.executeFetchAll("select hold()");
        CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> f.join().get(0).getLong(0));
        CompletableFuture<Long> third = CompletableFuture.supplyAsync(() -> {
            try {
                return f.get(20, TimeUnit.SECONDS).get(0).getLong(0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        gate.countDown();
        assertThat(f.join().get(0).getLong(0)).isEqualTo(5L);
        assertThat(other).succeedsWithin(WAIT).isEqualTo(5L);
        assertThat(third).succeedsWithin(WAIT).isEqualTo(5L);
    }

    @Test
    void getWithTimeout_timesOutWhileTheWorkerIsBusy_thenStillDeliversTheResult() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        db.createFunction("hold", 0, args -> {
            gate.await(10, TimeUnit.SECONDS);
            return 9;
        }, false).join();
        CompletableFuture<List<Row>> f = db.executeFetchAll("select hold()");
        assertThatThrownBy(() -> f.get(1, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        gate.countDown();
        assertThat(f.get(10, TimeUnit.SECONDS).get(0).getLong(0)).isEqualTo(9L);
    }

    @Test
    void interruptedGet_throwsInterruptedException_andTheFutureStillCompletes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        db.createFunction("hold", 0, args -> {
            gate.await(10, TimeUnit.SECONDS);
            return 3;
        }, false).join();
        CompletableFuture<List<Row>> f = db.executeFetchAll("select hold()");
        Thread.currentThread().interrupt();
        assertThatThrownBy(f::get).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        gate.countDown();
        assertThat(f.get(10, TimeUnit.SECONDS).get(0).getLong(0)).isEqualTo(3L);
    }

    @Test
    void joinOfACancelledQueuedTask_throwsCancellation() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        db.createFunction("hold", 0, args -> {
            gate.await(10, TimeUnit.SECONDS);
            return 1;
        }, false).join();
        CompletableFuture<List<Row>> busy = db.executeFetchAll("select hold()");
        CompletableFuture<List<Row>> queued = db.executeFetchAll("select 2");
        CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> queued.cancel(true));
        assertThatThrownBy(queued::join).isInstanceOf(CancellationException.class);
        canceller.get(10, TimeUnit.SECONDS);
        gate.countDown();
        assertThat(busy).succeedsWithin(WAIT);
    }

    @Test
    void readAhead_fetchesInAnyOrderGiveEveryRowOnce() throws Exception {
        AsyncCursor c = db.execute("select x from t order by x").get(10, TimeUnit.SECONDS);
        List<Long> seen = new ArrayList<>();
        Optional<Row> first = c.fetchOne().join();
        seen.add(first.orElseThrow().getLong(0));
        seen.addAll(xs(c.fetchMany(10).join()));
        seen.addAll(xs(c.fetchMany(100).join())); // crosses the read-ahead buffer's end
        seen.addAll(xs(c.fetchAll().join()));
        assertThat(seen).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(seen.get(i)).isEqualTo(i + 1L);
        }
        assertThat(c.fetchOne().join()).isEmpty();
        assertThat(c.fetchAll().join()).isEmpty();
    }

    @Test
    void fetchQueuedBehindAnExecute_seesTheNewStatementsRows() throws Exception {
        AsyncCursor c = db.execute("select x from t where x <= 3 order by x").get(10, TimeUnit.SECONDS);
        // Without waiting: the fetch must not be answered from the first statement's buffer.
        CompletableFuture<AsyncCursor> again = c.execute("select x * 100 from t where x <= 2 order by x");
        CompletableFuture<List<Row>> rows = c.fetchAll();
        assertThat(again).succeedsWithin(WAIT);
        assertThat(xs(rows.get(10, TimeUnit.SECONDS))).containsExactly(100L, 200L);
    }

    @Test
    void anErrorAfterTheFirstRows_isRaisedByTheFetchThatReachesIt() throws Exception {
        failAt(5);
        assertRowsThenTheErrorThenNothing(db.execute("select check_x(x) from t").get(10, TimeUnit.SECONDS));
    }

    @Test
    void anErrorJustPastAFetchsRows_isRaisedByTheNextFetch_whateverTheReadAheadCovered() throws Exception {
        // A read-ahead of 2 rows (as one cut short by its time budget): the fetch of rows 3-4
        // steps one row ahead into the failing row 5, and must still return its rows.
        failAt(5);
        AsyncCursor c = db.cursor().get(10, TimeUnit.SECONDS);
        c.setIterChunkSize(2);
        assertRowsThenTheErrorThenNothing(c.execute("select check_x(x) from t").get(10, TimeUnit.SECONDS));
    }

    /** Rows 1-4, then the error of row 5 from the fetch that reaches it, then nothing; the connection still works. */
    private void assertRowsThenTheErrorThenNothing(AsyncCursor c) throws Exception {
        assertThat(xs(c.fetchMany(4).get(10, TimeUnit.SECONDS))).containsExactly(1L, 2L, 3L, 4L);
        assertThatThrownBy(() -> c.fetchOne().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SQLException.class).hasMessageContaining("bad row 5");
        assertThat(c.fetchAll().get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(db.executeFetchAll("select count(*) from t").join().get(0).getLong(0)).isEqualTo(200L);
    }

    @Test
    void fetchAllOverAnErrorMidResult_fails_likeSqlite() throws Exception {
        failAt(150);
        AsyncCursor c = db.execute("select check_x(x) from t").get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> c.fetchAll().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().hasMessageContaining("bad row 150");
    }

    @Test
    void closingAFullyReadCursor_isImmediate_andItStaysClosed() throws Exception {
        AsyncCursor c = db.execute("select 1").get(10, TimeUnit.SECONDS);
        assertThat(c.fetchOne().join()).isPresent();
        CompletableFuture<Void> closing = c.closeAsync();
        assertThat(closing).isDone();
        assertThatThrownBy(() -> c.fetchOne().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("closed cursor");
        assertThatThrownBy(() -> c.execute("select 1").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("closed cursor");
    }

    @Test
    void closingACursorMidResult_releasesItsStatement_soAWriterCanCommit(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        String file = dir.resolve("r.db").toString();
        try (AsyncConnection reader = AioSqlite.connect(file).get(10, TimeUnit.SECONDS);
                AsyncConnection writer = AioSqlite.connect(SqliteConfig.builder(file)
                        .busyTimeout(Duration.ZERO).build()).get(10, TimeUnit.SECONDS)) {
            writer.executeScript("create table big (x); with recursive c(x) as (select 1 union all"
                    + " select x + 1 from c where x < 1000) insert into big select x from c;").join();
            AsyncCursor c = reader.execute("select x from big").get(10, TimeUnit.SECONDS);
            assertThat(c.fetchOne().join()).isPresent(); // still mid-result: a read lock is held
            c.closeAsync().get(10, TimeUnit.SECONDS);
            writer.execute("insert into big values (0)").join();
            assertThat(writer.commit()).succeedsWithin(WAIT);
        }
    }

    @Test
    void cursorOnAClosedConnection_fails() {
        db.close();
        assertThat(db.cursor()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(java.sql.SQLNonTransientConnectionException.class);
    }

    @Test
    void callbacksOfOneConnection_runInSubmissionOrder_closeLast() throws Exception {
        AsyncConnection other = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS);
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<List<Row>>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int n = i;
            CompletableFuture<List<Row>> f = other.executeFetchAll("select ?", i);
            f.thenRun(() -> order.add(n));
            futures.add(f);
        }
        CompletableFuture<Integer> closedAfter = other.closeAsync().thenApply(v -> order.size());
        other.closeAsync().get(30, TimeUnit.SECONDS); // a blocked waiter, too, sees close last
        for (CompletableFuture<List<Row>> f : futures) {
            assertThat(f).isDone();
        }
        assertThat(closedAfter.get(30, TimeUnit.SECONDS)).as("callbacks run before close's").isEqualTo(2_000);
        synchronized (order) {
            assertThat(order).hasSize(2_000);
            for (int i = 0; i < order.size(); i++) {
                assertThat(order.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void forEachWithTinyChunks_onTheWorkerItself_neitherRecursesNorLosesRows() throws Exception {
        try (AsyncConnection direct = AioSqlite.connect(SqliteConfig.builder(":memory:")
                .completionExecutor(Runnable::run).build()).get(10, TimeUnit.SECONDS)) {
            direct.executeScript("create table n (x integer); with recursive c(x) as (select 1 union all"
                    + " select x + 1 from c where x < 20000) insert into n select x from c;").join();
            AsyncCursor c = direct.execute("select x from n").get(10, TimeUnit.SECONDS);
            c.setIterChunkSize(1);
            long[] sum = {0};
            long[] last = {0};
            long count = c.forEach(r -> {
                long x = r.getLong(0);
                assertThat(x).isEqualTo(last[0] + 1);
                last[0] = x;
                sum[0] += x;
            }).get(30, TimeUnit.SECONDS);
            assertThat(count).isEqualTo(20000L);
            assertThat(sum[0]).isEqualTo(20000L * 20001L / 2);
        }
    }

    @Test
    void rowsWithSmallChunks_deliversEveryRowInOrder_thenAnErrorAfterTheRowsBeforeIt() throws Exception {
        failAt(150);
        AsyncCursor c = db.execute("select check_x(x) from t").get(10, TimeUnit.SECONDS);
        c.setIterChunkSize(7);
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        c.rows().subscribe(new java.util.concurrent.Flow.Subscriber<Row>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Row item) {
                seen.add(item.getLong(0));
            }

            @Override
            public void onError(Throwable t) {
                failed.complete(t);
            }

            @Override
            public void onComplete() {
                failed.complete(null);
            }
        });
        assertThat(failed.get(30, TimeUnit.SECONDS)).hasMessageContaining("bad row 150");
        synchronized (seen) {
            // Whole chunks before the failing one arrive; none after, none twice, in order.
            assertThat(seen.size()).isLessThan(150);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).isEqualTo(i + 1L);
            }
        }
    }

    private static List<List<Object>> keys(int n, int duplicateAt) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(List.of(i == duplicateAt ? 0 : i));
        }
        return rows;
    }

    @Test
    void executeManyInBatches_aFailingRowKeepsTheRowsBeforeIt_likeOneByOne() throws Exception {
        db.execute("create table u (k integer unique)").join();
        assertThatThrownBy(() -> db.executeMany("insert into u values (?)", keys(5000, 3000))
                .get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(java.sql.SQLIntegrityConstraintViolationException.class);
        db.commit().join();
        assertThat(db.executeFetchAll("select count(*), max(k) from u").join().get(0).values())
                .containsExactly(3000L, 2999L);
    }

    @Test
    void executeManyInBatches_aBadValueMidway_keepsTheRowsBeforeIt() throws Exception {
        db.execute("create table u (k)").join();
        List<List<Object>> rows = new ArrayList<>(keys(4000, -1));
        rows.set(2500, List.of(new Object()));
        assertThatThrownBy(() -> db.executeMany("insert into u values (?)", rows).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("unsupported type");
        db.commit().join();
        assertThat(db.executeFetchAll("select count(*) from u").join().get(0).getLong(0)).isEqualTo(2500L);
        // The cached statement is usable again.
        assertThat(db.executeMany("insert into u values (?)", keys(3000, -1)).join().rowCount())
                .isEqualTo(3000L);
    }

    @Test
    void executeManyInBatches_aRowThatReturnsRows_isRefusedLikeTheFirst() throws Exception {
        db.execute("create table u (k)").join();
        // Only rows with k > 100 insert (and return) anything: the first row returns nothing.
        String sql = "insert into u select ? where ? > 100 returning k";
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(List.of(i, i));
        }
        assertThatThrownBy(() -> db.executeMany(sql, rows).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("return no rows");
        assertThat(db.executeFetchAll("select 1").join()).hasSize(1);
    }

    @Test
    void callbacksThatJoinTheirOwnConnection_whileOtherCompletionsQueue_neverDeadlock() throws Exception {
        // One completion thread: every callback below blocks it until its own query is done.
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (AsyncConnection c = AioSqlite.connect(SqliteConfig.builder(":memory:")
                .completionExecutor(one).build()).get(10, TimeUnit.SECONDS)) {
            List<CompletableFuture<Long>> chained = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long n = i;
                chained.add(c.executeFetchAll("select ?", n).thenApply(rows ->
                        c.executeFetchAll("select ? + 1", rows.get(0).getLong(0)).join().get(0).getLong(0)));
            }
            for (int i = 0; i < chained.size(); i++) {
                assertThat(chained.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i + 1L);
            }
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void callbacksThatJoinAnotherConnection_sharingOneExecutorThread_neverDeadlock() throws Exception {
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        SqliteConfig.Builder cfg = SqliteConfig.builder(":memory:").completionExecutor(one);
        try (AsyncConnection a = AioSqlite.connect(cfg.build()).get(10, TimeUnit.SECONDS);
                AsyncConnection b = AioSqlite.connect(cfg.build()).get(10, TimeUnit.SECONDS)) {
            List<CompletableFuture<Long>> chained = new ArrayList<>();
            List<CompletableFuture<List<Row>>> busyB = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long n = i;
                busyB.add(b.executeFetchAll("select ?", n)); // b's completions queue up behind a's callbacks
                chained.add(a.executeFetchAll("select ?", n).thenApply(rows ->
                        b.executeFetchAll("select ? * 2", rows.get(0).getLong(0)).join().get(0).getLong(0)));
            }
            for (int i = 0; i < chained.size(); i++) {
                assertThat(chained.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(2L * i);
            }
            CompletableFuture.allOf(busyB.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        } finally {
            one.shutdownNow();
        }
    }
}
