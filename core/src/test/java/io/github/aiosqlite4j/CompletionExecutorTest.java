package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A completion executor that accepts a job and never runs it (shut down with {@code shutdownNow()}
 * while the job waits in its queue, a {@code DiscardPolicy} on a full queue, an executor that drops
 * everything): futures still complete, callbacks still run, {@code close()} returns, and no thread
 * is left behind.
 */
@Timeout(90)
final class CompletionExecutorTest {
    private static final long WAIT = 20;

    @TempDir
    Path dir;

    /** Worker threads made for one test, to check that each ends with its connection. */
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();

    private ThreadFactory workerFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "completion-test-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            workers.add(t);
            return t;
        };
    }

    private SqliteConfig config(String database, Executor completion) {
        return SqliteConfig.builder(database).completionExecutor(completion).threadFactory(workerFactory())
                .build();
    }

    private void assertWorkersEnded() throws InterruptedException {
        assertThat(workers).isNotEmpty();
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT));
            assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
        }
    }

    /**
     * A query that finishes only once {@code release} is counted down, so that callbacks attached
     * before then run where it completes.
     */
    private static CompletableFuture<List<Row>> heldQuery(AsyncConnection db, CountDownLatch release)
            throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        db.createFunction("hold", 0, args -> {
            entered.countDown();
            return release.await(WAIT, TimeUnit.SECONDS) ? 1 : -1;
        }, false).get(WAIT, TimeUnit.SECONDS);
        CompletableFuture<List<Row>> held = db.executeFetchAll("select hold()");
        assertThat(entered.await(WAIT, TimeUnit.SECONDS)).isTrue();
        return held;
    }

    /**
     * Keeps the executor's only thread busy until the returned latch is counted down.
     *
     * @return the latch that releases the thread
     */
    private static CountDownLatch occupyTheOnlyThread(Executor executor) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        executor.execute(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutdownNow interrupts it
            }
        });
        assertThat(running.await(WAIT, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    /**
     * A one-thread executor that reports each job it accepts once {@link #counting} is set. The
     * flag is read before the job is handed over, so a job handed over earlier (whose submitter
     * may still be returning from execute) is never counted.
     */
    private static final class Reporting extends ThreadPoolExecutor {
        final Semaphore accepted = new Semaphore(0);
        volatile boolean counting;

        Reporting() {
            super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "completion-test-executor");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public void execute(Runnable command) {
            boolean counted = counting;
            super.execute(command);
            if (counted) {
                accepted.release();
            }
        }
    }

    @Test
    void shutdownNowWhileItsThreadIsBusyInACallback_droppedCompletionsStillRun_andCloseReturns()
            throws Exception {
        Reporting executor = new Reporting();
        try {
            AsyncConnection a = AioSqlite.connect(config(":memory:", executor)).get(WAIT, TimeUnit.SECONDS);
            AsyncConnection b = AioSqlite.connect(config(":memory:", executor)).get(WAIT, TimeUnit.SECONDS);
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Void> busy = heldQuery(a, go).thenRun(() -> {
                inCallback.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // shutdownNow interrupts it
                }
            });
            go.countDown();
            assertThat(inCallback.await(WAIT, TimeUnit.SECONDS)).isTrue();
            executor.counting = true;
            // b's completion job queues behind the busy callback; shutdownNow takes it out.
            CompletableFuture<Long> dependent = b.executeFetchAll("select 7").thenApply(r -> r.get(0).getLong(0));
            assertThat(executor.accepted.tryAcquire(WAIT, TimeUnit.SECONDS)).isTrue();
            List<Runnable> dropped = executor.shutdownNow();
            assertThat(dropped).as("the completion job never to be run").hasSize(1);
            release.countDown();
            assertThat(busy.get(WAIT, TimeUnit.SECONDS)).isNull();

            assertThat(dependent.get(WAIT, TimeUnit.SECONDS)).isEqualTo(7L);
            CompletableFuture<Long> after = b.executeFetchAll("select 8").thenApply(r -> r.get(0).getLong(0));
            assertThat(after.get(WAIT, TimeUnit.SECONDS)).isEqualTo(8L);
            CompletableFuture<String> closed = b.closeAsync().thenApply(v -> "closed");
            assertThat(closed.get(WAIT, TimeUnit.SECONDS)).isEqualTo("closed");
            a.close();
            assertThat(executor.awaitTermination(WAIT, TimeUnit.SECONDS)).isTrue();
            assertWorkersEnded();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shutdownNowWithAJobQueued_closeReturns() throws Exception {
        Reporting executor = new Reporting();
        try {
            AsyncConnection db = AioSqlite.connect(config(":memory:", executor)).get(WAIT, TimeUnit.SECONDS);
            CountDownLatch release = occupyTheOnlyThread(executor);
            executor.counting = true;
            CompletableFuture<Long> dependent = db.executeFetchAll("select 1").thenApply(r -> r.get(0).getLong(0));
            assertThat(executor.accepted.tryAcquire(WAIT, TimeUnit.SECONDS)).isTrue();
            assertThat(executor.shutdownNow()).hasSize(1);
            db.close(); // nothing else happens on the connection before it closes
            assertThat(dependent.get(WAIT, TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(executor.awaitTermination(WAIT, TimeUnit.SECONDS)).isTrue();
            assertWorkersEnded();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void discardPolicyWithASaturatedQueue_theDroppedCompletionsStillRun_andLaterOnesUseTheExecutorAgain()
            throws Exception {
        CountDownLatch discarded = new CountDownLatch(1);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1), r -> {
                    Thread t = new Thread(r, "completion-test-executor");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy() {
                    @Override
                    public void rejectedExecution(Runnable r, ThreadPoolExecutor e) {
                        discarded.countDown();
                        super.rejectedExecution(r, e);
                    }
                });
        try {
            AsyncConnection db = AioSqlite.connect(config(":memory:", executor)).get(WAIT, TimeUnit.SECONDS);
            CountDownLatch release = occupyTheOnlyThread(executor);
            executor.execute(() -> { }); // the queue is full
            CompletableFuture<Long> dependent = db.executeFetchAll("select 1").thenApply(r -> r.get(0).getLong(0));
            assertThat(discarded.await(WAIT, TimeUnit.SECONDS)).as("the completion job was discarded").isTrue();
            release.countDown(); // the executor works again, but the job is gone

            assertThat(dependent.get(WAIT, TimeUnit.SECONDS)).isEqualTo(1L);
            // Later completions go to the executor again (the callback is attached while the
            // worker is held, so it runs where the future completes).
            // The completer that replaced the lost job may still be finishing on the JDK's pool
            // for a moment, so ask until a completion lands on the executor.
            String ranOn = null;
            for (int attempt = 0; attempt < 50 && !"completion-test-executor".equals(ranOn); attempt++) {
                CountDownLatch proceed = new CountDownLatch(1);
                CompletableFuture<String> thread = heldQuery(db, proceed)
                        .thenApply(r -> Thread.currentThread().getName());
                proceed.countDown();
                ranOn = thread.get(WAIT, TimeUnit.SECONDS);
            }
            assertThat(ranOn).isEqualTo("completion-test-executor");
            db.close();
            assertWorkersEnded();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void anExecutorThatDropsEveryRunnable_futuresCallbacksAndCloseStillComplete() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        Executor blackHole = r -> dropped.incrementAndGet();
        AsyncConnection db = AioSqlite.connect(config(":memory:", blackHole)).get(WAIT, TimeUnit.SECONDS);
        CompletableFuture<Long> dependent = db.executeFetchAll("select 3").thenApply(r -> r.get(0).getLong(0));
        assertThat(dependent.get(WAIT, TimeUnit.SECONDS)).isEqualTo(3L);
        CompletableFuture<Long> viaJoin = db.executeFetchAll("select 4").thenApply(r -> r.get(0).getLong(0));
        assertThat(viaJoin.get(WAIT, TimeUnit.SECONDS)).isEqualTo(4L);
        CompletableFuture<String> closed = db.closeAsync().thenApply(v -> "closed");
        assertThat(closed.get(WAIT, TimeUnit.SECONDS)).isEqualTo("closed");
        assertThat(dropped.get()).isPositive();

        AsyncConnection other = AioSqlite.connect(config(":memory:", blackHole)).get(WAIT, TimeUnit.SECONDS);
        CompletableFuture<List<Row>> pending = other.executeFetchAll("select 5");
        other.close();
        assertThat(pending.get(WAIT, TimeUnit.SECONDS).get(0).getLong(0)).isEqualTo(5L);
        assertWorkersEnded();
    }

    @Test
    void aPoolOnAnExecutorThatDropsEveryRunnable_opensWritesReadsTimesOutAndCloses() throws Exception {
        Executor blackHole = r -> { };
        SqlitePool pool = SqlitePool.open(config(dir.resolve("pool.db").toString(), blackHole),
                PoolOptions.builder().readers(1).groupCommit(8).acquireTimeout(Duration.ofMillis(1)).build())
                .get(WAIT, TimeUnit.SECONDS);
        pool.execute("create table t (n integer)").get(WAIT, TimeUnit.SECONDS);
        CompletableFuture<?>[] writes = new CompletableFuture<?>[20];
        for (int i = 0; i < writes.length; i++) {
            int n = i;
            writes[i] = pool.write(s -> s.execute("insert into t values (?)", n));
        }
        CompletableFuture.allOf(writes).get(WAIT, TimeUnit.SECONDS);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> count = pool.read(s -> {
            reading.countDown();
            try {
                if (!release.await(WAIT, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return s.query("select count(*) from t").get(0).getLong(0);
        });
        assertThat(reading.await(WAIT, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Long> refused = pool.read(s -> 0L);
        assertThat(Futures.failure(refused)).isInstanceOf(SQLTransientException.class)
                .hasMessageContaining("no reader became free");
        release.countDown();
        assertThat(count.get(WAIT, TimeUnit.SECONDS)).isEqualTo(20L);
        pool.close();
        assertWorkersEnded();
    }

    @Test
    void closeFromATaskOfTheOnlyExecutorThread_queuedAheadOfTheCompletions_returns() throws Exception {
        Reporting executor = new Reporting();
        try {
            AsyncConnection db = AioSqlite.connect(config(":memory:", executor)).get(WAIT, TimeUnit.SECONDS);
            CountDownLatch release = occupyTheOnlyThread(executor);
            // close() on the executor's only thread, not from a callback, with the connection's
            // completion job queued behind it: close() waits for that job, which waits for close().
            CompletableFuture<Void> closing = CompletableFuture.runAsync(db::close, executor);
            executor.counting = true;
            CompletableFuture<Long> dependent = db.executeFetchAll("select 1").thenApply(r -> r.get(0).getLong(0));
            assertThat(executor.accepted.tryAcquire(WAIT, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            assertThat(closing.get(WAIT, TimeUnit.SECONDS)).isNull();
            assertThat(dependent.get(WAIT, TimeUnit.SECONDS)).isEqualTo(1L);
            assertWorkersEnded();
        } finally {
            executor.shutdownNow();
        }
    }
}
