package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-off between callers, workers and the completion executor keeps its promises while it
 * batches: a finished result is never held behind a later statement, a pool reader goes to the
 * next request as soon as its work has run, and every waiting request times out on time.
 */
@Timeout(60)
final class HandOffTest {
    private static final long WAIT = 30;
    /** Counts to a billion: runs for minutes unless stopped. */
    private static final String ENDLESS = "with recursive c(x) as (select 1 union all select x + 1 from c"
            + " where x < 1000000000) select count(*) from c";

    @TempDir
    Path dir;

    @Test
    void aResultFinishedBeforeALongStatement_isDeliveredWhileThatStatementRuns() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            for (int round = 0; round < 20; round++) {
                // Queued together, so that the quick one finishes with the long one queued behind it:
                // the worker may hold the quick result back for a batch, but not for the long one.
                CountDownLatch gate = new CountDownLatch(1);
                CompletableFuture<Void> blocker = db.run(s -> {
                    await(gate);
                    return null;
                });
                CompletableFuture<List<Row>> quick = db.executeFetchAll("select ?", round);
                CompletableFuture<List<Row>> endless = db.executeFetchAll(ENDLESS);
                // A callback, not get(): a thread blocked in get() is handed its result directly.
                CountDownLatch delivered = new CountDownLatch(1);
                quick.thenRun(delivered::countDown);
                try {
                    gate.countDown();
                    assertThat(delivered.await(WAIT, TimeUnit.SECONDS)).as("quick result delivered").isTrue();
                    assertThat(quick.join().get(0).getInt(0)).isEqualTo(round);
                    assertThat(endless).as("still running when the quick result arrived").isNotDone();
                    assertThat(blocker).isCompleted();
                } finally {
                    endless.cancel(true);
                }
                assertThat(endless).isCancelled();
            }
            assertThat(db.executeFetchAll("select 42").get(WAIT, TimeUnit.SECONDS).get(0).getInt(0))
                    .isEqualTo(42);
        }
    }

    @Test
    void aPoolReader_startsTheNextRequest_beforeThePreviousResultIsDelivered() throws Exception {
        ExecutorService completion = Executors.newSingleThreadExecutor();
        SqliteConfig config = SqliteConfig.builder(dir.resolve("handoff.db"))
                .journalMode(SqliteConfig.JournalMode.WAL).completionExecutor(completion).build();
        try (SqlitePool pool = SqlitePool.open(config, PoolOptions.builder().readers(1).build())
                .get(WAIT, TimeUnit.SECONDS)) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch secondRan = new CountDownLatch(1);
            // The executor's only thread waits until the second read has run: if the reader were
            // handed on only when the first result is delivered, the second would have to wait for
            // the executor, and so run after the first result (delivered late, by the stall watch).
            completion.execute(() -> await(secondRan));
            // Both queued behind a read holding the only reader, so that neither the order of
            // the calls below nor the speed of this thread decides which runs when.
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Integer> blocker = pool.read(s -> {
                await(gate);
                return 0;
            });
            CompletableFuture<Integer> first = pool.read(s -> 1);
            first.whenComplete((v, e) -> events.add("first delivered"));
            CompletableFuture<Integer> second = pool.read(s -> {
                events.add("second ran");
                secondRan.countDown();
                return 2;
            });
            gate.countDown();
            assertThat(second.get(WAIT, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(first.get(WAIT, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(events).containsExactly("second ran", "first delivered");
            assertThat(blocker.get(WAIT, TimeUnit.SECONDS)).isZero();
        } finally {
            completion.shutdown();
        }
    }

    @Test
    void everyWaitingRead_timesOut_andThePoolServesAgainAfterwards() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("timeouts.db"))
                .journalMode(SqliteConfig.JournalMode.WAL).build();
        PoolOptions options = PoolOptions.builder().readers(1).acquireTimeout(Duration.ofMillis(200)).build();
        try (SqlitePool pool = SqlitePool.open(config, options).get(WAIT, TimeUnit.SECONDS)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            CompletableFuture<Integer> holder = PoolTest.hold(pool::read, holding, release);
            holding.await(WAIT, TimeUnit.SECONDS);
            List<CompletableFuture<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                waiting.add(pool.read(s -> n));
            }
            for (CompletableFuture<Integer> w : waiting) {
                assertThat(Futures.failure(w)).isInstanceOf(SQLTransientException.class)
                        .hasMessageContaining("no reader became free within the acquisition timeout");
            }
            assertThat(pool.metrics().timeouts()).isEqualTo(5);

            release.countDown();
            assertThat(holder.get(WAIT, TimeUnit.SECONDS)).isZero();
            assertThat(pool.read(s -> 7).get(WAIT, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void aCallerBlockedOnAnIdleConnection_runsTheWorkOnItsOwnThread_aCallbackChainDoesNot() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            db.createFunction("thread_name", 0, args -> Thread.currentThread().getName(), false)
                    .get(WAIT, TimeUnit.SECONDS);
            String me = Thread.currentThread().getName();
            int here = 0;
            for (int i = 0; i < 200; i++) {
                // join(): this thread would block anyway; with the worker parked, it runs the work.
                if (db.executeFetchAll("select thread_name()").join().get(0).getString(0).equals(me)) {
                    here++;
                }
            }
            assertThat(here).as("statements run on the joining thread, of 200").isPositive();

            CountDownLatch done = new CountDownLatch(1);
            List<String> ranOn = Collections.synchronizedList(new ArrayList<>());
            db.executeFetchAll("select thread_name()").thenAccept(rows -> {
                ranOn.add(rows.get(0).getString(0));
                done.countDown();
            });
            assertThat(done.await(WAIT, TimeUnit.SECONDS)).isTrue();
            assertThat(ranOn).singleElement().isNotEqualTo(me);
        }
    }

    @Test
    void aCallerBlockedOnConnect_opensTheDatabaseItself_beforeTheWorkerThreadHasRun() throws Exception {
        CountDownLatch workerMayRun = new CountDownLatch(1);
        AtomicInteger workerThreads = new AtomicInteger();
        // The connection's own thread is held back: only this thread can open the database.
        SqliteConfig config = SqliteConfig.builder(dir.resolve("held.db").toString())
                .threadFactory(r -> {
                    workerThreads.incrementAndGet();
                    Thread t = new Thread(() -> {
                        await(workerMayRun);
                        r.run();
                    });
                    t.setDaemon(true);
                    return t;
                }).build();
        AsyncConnection db = AioSqlite.connect(config).join();
        try {
            assertThat(workerThreads.get()).isEqualTo(1);
            // Still idle (its thread has not even started the loop): joined work runs here too.
            assertThat(db.execute("create table t (x integer)").join().rowCount()).isEqualTo(-1);
            assertThat(db.execute("insert into t values (1)").join().rowCount()).isEqualTo(1);
            // Work nobody joins waits for the worker's thread.
            CompletableFuture<List<Row>> queued = db.executeFetchAll("select count(*) from t");
            workerMayRun.countDown();
            assertThat(queued.get(WAIT, TimeUnit.SECONDS).get(0).getInt(0)).isEqualTo(1);
            db.commit().get(WAIT, TimeUnit.SECONDS);
        } finally {
            workerMayRun.countDown();
            db.closeAsync().get(WAIT, TimeUnit.SECONDS);
        }
        try (AsyncConnection again = AioSqlite.connect(config).get(WAIT, TimeUnit.SECONDS)) {
            assertThat(again.executeFetchAll("select x from t").get(WAIT, TimeUnit.SECONDS).get(0).getInt(0))
                    .isEqualTo(1);
        }
        // A connection that failed to open, opened by its caller: the same error as on the worker.
        SqliteConfig missing = SqliteConfig.builder(dir.resolve("no/such/dir/x.db").toString()).build();
        assertThatThrownBy(() -> AioSqlite.connect(missing).join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void openAndCloseJoinedByTheirCaller_keepEveryCommit_runQueuedWorkFirst_andReuseThreads()
            throws Exception {
        String file = dir.resolve("cycles.db").toString();
        try (AsyncConnection db = AioSqlite.connect(file).join()) {
            db.execute("create table t (x integer)").join();
            db.commit().join();
        }
        java.util.Set<Thread> workerThreads = new java.util.HashSet<>();
        int cycles = 600;
        List<CompletableFuture<?>> notJoined = new ArrayList<>();
        for (int i = 1; i <= cycles; i++) {
            AsyncConnection db = AioSqlite.connect(file).join();
            switch (i % 3) {
                case 0: // joined: run on this thread if the worker is idle
                    db.execute("insert into t values (?)", i).join();
                    db.commit().join();
                    db.close();
                    break;
                case 1: // queued, not joined, then closed: close runs what was queued first
                    notJoined.add(db.execute("insert into t values (?)", i));
                    notJoined.add(db.commit());
                    CompletableFuture<List<Row>> read = db.executeFetchAll("select ?", i)
                            .thenApply(rows -> rows);
                    db.closeAsync().join();
                    // the close future completes after every earlier one
                    assertThat(read).isCompleted();
                    assertThat(read.join().get(0).getInt(0)).isEqualTo(i);
                    break;
                default: // autocommit on, closed while idle
                    db.setAutocommit(Autocommit.ON).join();
                    db.execute("insert into t values (?)", i).join();
                    db.closeAsync().join();
                    break;
            }
            assertThat(db.isClosed()).isTrue();
            assertThatThrownBy(() -> db.executeFetchAll("select 1").join())
                    .isInstanceOf(CompletionException.class);
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().matches("aiosqlite4j-(\\d+|idle)")) {
                    workerThreads.add(t);
                }
            }
        }
        for (CompletableFuture<?> f : notJoined) {
            f.get(WAIT, TimeUnit.SECONDS);
        }
        try (AsyncConnection db = AioSqlite.connect(file).join()) {
            Row r = db.executeFetchAll("select count(*), sum(x) from t").join().get(0);
            assertThat(r.getLong(0)).as("rows committed").isEqualTo(cycles);
            assertThat(r.getLong(1)).isEqualTo((long) cycles * (cycles + 1) / 2);
        }
        // Each connection's thread is reused for the next one, however it was closed.
        assertThat(workerThreads.size())
                .as("worker threads seen for %d connections opened and closed one after another", cycles)
                .isLessThan(cycles / 10);
    }

    @Test
    void callersOpeningRunningAndClosing_raceTheWorkerGivingItsThreadBack_withoutLosingAnything()
            throws Exception {
        String file = dir.resolve("race.db").toString();
        // A keep-alive of a microsecond: the worker gives its thread back at nearly every pause,
        // while the caller opens, runs and closes on its own thread.
        SqliteConfig config = SqliteConfig.builder(file).autocommit(Autocommit.ON)
                .workerKeepAlive(Duration.ofNanos(1_000)).build();
        try (AsyncConnection db = AioSqlite.connect(config).join()) {
            db.execute("create table t (x integer)").join();
        }
        int cycles = 300;
        for (int i = 1; i <= cycles; i++) {
            AsyncConnection db = AioSqlite.connect(config).join();
            CompletableFuture<?> later = db.executeFetchAll("select ?", i); // run by the worker
            db.execute("insert into t values (?)", i).join();
            if (i % 2 == 0) {
                later.get(WAIT, TimeUnit.SECONDS); // long enough, often, for the thread to go
            }
            db.closeAsync().join();
            assertThat(later).isCompleted();
        }
        try (AsyncConnection db = AioSqlite.connect(config).join()) {
            assertThat(db.executeFetchAll("select count(*) from t").join().get(0).getLong(0))
                    .isEqualTo(cycles);
        }
    }

    @Test
    void aCallerBlockedOnAPoolRead_runsItOnItsOwnThread_orTakesTheResultFromTheReader() throws Exception {
        AtomicInteger completionJobs = new AtomicInteger();
        java.util.concurrent.Executor counting = job -> {
            completionJobs.incrementAndGet();
            java.util.concurrent.ForkJoinPool.commonPool().execute(job);
        };
        SqliteConfig config = SqliteConfig.builder(dir.resolve("pool.db").toString())
                .journalMode(SqliteConfig.JournalMode.WAL).completionExecutor(counting)
                .onOpen(c -> c.createFunction("thread_name", 0, args -> Thread.currentThread().getName(), false))
                .build();
        try (SqlitePool pool = SqlitePool.open(config, PoolOptions.builder().readers(2).build())
                .get(WAIT, TimeUnit.SECONDS)) {
            String me = Thread.currentThread().getName();
            int here = 0;
            for (int i = 0; i < 200; i++) {
                // join(): with the reader idle, this thread runs the read itself, as on a connection
                if (pool.executeFetchAll("select thread_name()").join().get(0).getString(0).equals(me)) {
                    here++;
                }
            }
            assertThat(here).as("reads run on the joining thread, of 200").isPositive();

            int before = completionJobs.get();
            for (int i = 0; i < 200; i++) {
                // get(): the reader runs it and hands the result to this waiting thread directly
                assertThat(pool.executeFetchAll("select ?", i).get(WAIT, TimeUnit.SECONDS).get(0).getInt(0))
                        .isEqualTo(i);
            }
            assertThat(completionJobs.get() - before)
                    .as("completion jobs for 200 awaited reads (each one without the hand-off: 1)")
                    .isLessThan(200);
        }
    }

    @Test
    void aCallerThatRanItsOwnTasks_andThenDoesNotJoin_stillHasItsWorkRun() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            for (int round = 0; round < 50; round++) {
                for (int i = 0; i < 20; i++) { // join(): this thread runs its tasks itself
                    assertThat(db.executeFetchAll("select ?", i).join().get(0).getInt(0)).isEqualTo(i);
                }
                // The same thread now queues work and waits for it without join(): the worker,
                // not woken for this thread's submissions meanwhile, must still run it.
                CountDownLatch done = new CountDownLatch(2);
                db.executeFetchAll("select 1").thenRun(done::countDown);
                db.executeFetchAll("select 2").thenRun(done::countDown);
                assertThat(done.await(WAIT, TimeUnit.SECONDS)).as("round %d", round).isTrue();
            }
        }
    }

    @Test
    void aCallerThatRanItsOwnTasks_andThenClosesWithoutJoining_hasTheConnectionClosed() throws Exception {
        for (int round = 0; round < 50; round++) {
            AsyncConnection db = AioSqlite.connect(":memory:").join(); // opened here, most likely
            assertThat(db.executeFetchAll("select ?", round).join().get(0).getInt(0)).isEqualTo(round);
            // The close is not joined: the worker, not woken for this thread, must still close.
            CountDownLatch closed = new CountDownLatch(1);
            db.closeAsync().thenRun(closed::countDown);
            assertThat(closed.await(WAIT, TimeUnit.SECONDS)).as("round %d", round).isTrue();
            assertThat(db.isClosed()).isTrue();
        }
    }

    @Test
    void joiningTheConnectionFromWorkItRuns_isRefused_whicheverThreadRunsIt() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            for (int i = 0; i < 50; i++) {
                CompletableFuture<List<Row>> nested = db.run(s -> db.executeFetchAll("select 1").join());
                // join(), not get(timeout): the body may then run on this thread (runHere)
                assertThatThrownBy(nested::join).isInstanceOf(CompletionException.class)
                        .cause().isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("would deadlock");
            }
            assertThat(db.executeFetchAll("select 2").join().get(0).getInt(0)).isEqualTo(2);
        }
    }

    @Test
    void theConnectionIsNeverUsedByTwoThreadsAtOnce_whenCallersRunTheirOwnWork() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            // A body runs Java code on the connection outside sqlite-jdbc's own lock: two threads
            // running bodies at once would both be inside.
            java.util.function.IntFunction<CompletableFuture<Integer>> call = n -> db.run(s -> {
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                try {
                    long until = System.nanoTime() + 20_000; // a window another thread could overlap
                    while (System.nanoTime() - until < 0) {
                        Thread.onSpinWait();
                    }
                    return s.query("select ?", n).get(0).getInt(0);
                } finally {
                    inside.decrementAndGet();
                }
            });
            int threads = 4;
            int each = 500;
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            try {
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int base = t * each;
                    all.add(CompletableFuture.runAsync(() -> {
                        List<Integer> queued = new ArrayList<>();
                        List<CompletableFuture<Integer>> async = new ArrayList<>();
                        for (int i = base; i < base + each; i++) {
                            if (i % 3 == 0) { // some queued without waiting, the rest awaited
                                queued.add(i);
                                async.add(call.apply(i));
                            } else {
                                assertThat(call.apply(i).join()).isEqualTo(i);
                            }
                        }
                        for (int k = 0; k < async.size(); k++) {
                            assertThat(async.get(k).join()).isEqualTo(queued.get(k));
                        }
                    }, callers));
                }
                CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(WAIT, TimeUnit.SECONDS);
            } finally {
                callers.shutdown();
            }
            assertThat(overlaps.get()).as("bodies that overlapped another").isZero();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
