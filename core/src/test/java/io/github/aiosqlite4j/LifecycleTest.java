package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thread model and lifecycle: ordering, bounds, close, interrupt, cancel, JVM exit. */
final class LifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("aiosqlite4j-") && t.isAlive()
                        && !t.getName().equals("aiosqlite4j-cleaner")
                        && !t.getName().equals("aiosqlite4j-shutdown"))
                .collect(Collectors.toSet());
    }

    /** A UDF that blocks the worker until released: lets tests hold the worker busy. */
    private static CompletableFuture<List<Row>> blockWorker(AsyncConnection db, CountDownLatch entered,
            CountDownLatch release) {
        db.createFunction("block", 0, args -> {
            entered.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return 1;
        }, false).join();
        return db.executeFetchAll("select block()");
    }

    @Test
    void tenThousandOperationsFromSixteenThreads_allComplete_inPerThreadOrder() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            db.execute("create table log (seq integer primary key, thread integer, n integer)").join();
            db.setIsolationLevel(IsolationLevel.AUTOCOMMIT).join();
            int threads = 16;
            int perThread = 625;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<CompletableFuture<Long>> all = new ArrayList<>();
            try {
                List<java.util.concurrent.Future<List<CompletableFuture<Long>>>> submitted = new ArrayList<>();
                CountDownLatch go = new CountDownLatch(1);
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    submitted.add(pool.submit(() -> {
                        go.await();
                        List<CompletableFuture<Long>> mine = new ArrayList<>();
                        for (int n = 0; n < perThread; n++) {
                            mine.add(db.executeInsert("insert into log (thread, n) values (?, ?)", thread, n));
                        }
                        return mine;
                    }));
                }
                go.countDown();
                for (var f : submitted) {
                    all.addAll(f.get(30, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdown();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(all).hasSize(10_000);
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            List<Row> rows = db.executeFetchAll("select thread, n from log order by seq").join();
            assertThat(rows).hasSize(10_000);
            int[] next = new int[threads];
            for (Row r : rows) {
                int thread = r.getInt(0);
                assertThat(r.getInt(1)).as("order of thread %d", thread).isEqualTo(next[thread]);
                next[thread]++;
            }
        }
    }

    @Test
    void closeWithThousandPending_eachCompletesOrFailsClosed_noneHangs() throws Exception {
        AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS);
        List<CompletableFuture<List<Row>>> before = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            before.add(db.executeFetchAll("select ?", i));
        }
        CompletableFuture<Void> closing = db.closeAsync();
        List<CompletableFuture<List<Row>>> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(db.executeFetchAll("select ?", i));
        }
        assertThat(closing).succeedsWithin(WAIT);
        for (int i = 0; i < before.size(); i++) {
            assertThat(before.get(i)).succeedsWithin(WAIT).extracting(rows -> rows.get(0).getLong(0))
                    .isEqualTo((long) i);
        }
        for (CompletableFuture<List<Row>> f : after) {
            assertThat(f).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SQLNonTransientConnectionException.class);
        }
        assertThat(db.isClosed()).isTrue();
        assertThat(db.closeAsync()).succeedsWithin(WAIT);
        db.close();
    }

    @Test
    void workerThreadIsReleasedAtClose_thenReusedOrEnded() throws Exception {
        AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS);
        Thread worker = db.run(s -> Thread.currentThread()).get(10, TimeUnit.SECONDS);
        String name = worker.getName();
        assertThat(worker.isDaemon()).isTrue();
        assertThat(name).matches("aiosqlite4j-\\d+");
        db.close();
        // The thread no longer runs the connection: it is idle for a moment, or ended.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (worker.isAlive() && !worker.getName().equals("aiosqlite4j-idle")
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(!worker.isAlive() || worker.getName().equals("aiosqlite4j-idle")).isTrue();
        // An idle thread ends by itself after its keep-alive (one second) unless reused.
        while (worker.isAlive() && worker.getName().equals("aiosqlite4j-idle")
                && System.nanoTime() < deadline) {
            worker.join(100);
        }
        assertThat(worker.isAlive() && worker.getName().equals("aiosqlite4j-idle"))
                .as("idle worker ended or was reused within %s", WAIT).isFalse();
    }

    @Test
    void anOpenCloseLoop_runsEveryConnectionOnItsOwnThreadAtATime_andNamesIt() throws Exception {
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
                String name = db.run(s -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
                assertThat(name).matches("aiosqlite4j-\\d+");
                names.add(name);
            }
        }
        assertThat(names).as("each connection gets its own name").hasSize(50);
        // Two connections open at once never share a thread.
        try (AsyncConnection a = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS);
                AsyncConnection b = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            Thread ta = a.run(s -> Thread.currentThread()).get(10, TimeUnit.SECONDS);
            Thread tb = b.run(s -> Thread.currentThread()).get(10, TimeUnit.SECONDS);
            assertThat(ta).isNotSameAs(tb);
        }
    }

    @Test
    void fullQueue_rejectsAtOnce_thenRecovers() throws Exception {
        SqliteConfig config = SqliteConfig.builder(":memory:").queueCapacity(2).build();
        try (AsyncConnection db = AioSqlite.connect(config).get(10, TimeUnit.SECONDS)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<List<Row>> blocker = blockWorker(db, entered, release);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<List<Row>> a = db.executeFetchAll("select 1");
            CompletableFuture<List<Row>> b = db.executeFetchAll("select 2");
            CompletableFuture<List<Row>> rejected = db.executeFetchAll("select 3");
            assertThat(rejected).isCompletedExceptionally();
            assertThat(rejected).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SQLTransientException.class)
                    .withMessageContaining("is full (2 tasks waiting)");
            release.countDown();
            assertThat(blocker).succeedsWithin(WAIT);
            assertThat(a).succeedsWithin(WAIT);
            assertThat(b).succeedsWithin(WAIT);
            assertThat(db.executeFetchAll("select 4")).succeedsWithin(WAIT)
                    .extracting(rows -> rows.get(0).getLong(0)).isEqualTo(4L);
        }
    }

    @Test
    void cancelledQueuedOperation_neverRuns() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            db.execute("create table t (x)").join();
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<List<Row>> blocker = blockWorker(db, entered, release);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<AsyncCursor> queued = db.execute("insert into t values (1)");
            CompletableFuture<AsyncCursor> kept = db.execute("insert into t values (2)");
            assertThat(queued.cancel(true)).isTrue();
            release.countDown();
            assertThat(blocker).succeedsWithin(WAIT);
            assertThat(kept).succeedsWithin(WAIT);
            assertThat(queued).isCancelled();
            assertThat(db.executeFetchAll("select x from t").join()).extracting(r -> r.getLong(0))
                    .containsExactly(2L);
        }
    }

    @Test
    void cancelRunningStatement_interruptsIt_andOnlyIt() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            CountDownLatch running = Endless.registerMark(db);
            CompletableFuture<List<Row>> endless = db.executeFetchAll(Endless.QUERY);
            CompletableFuture<List<Row>> next = db.executeFetchAll("select 'next'");
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(endless.cancel(true)).isTrue();
            assertThatThrownBy(endless::join).isInstanceOf(CancellationException.class);
            assertThat(next).succeedsWithin(WAIT).extracting(rows -> rows.get(0).getString(0))
                    .isEqualTo("next");
            assertThat(db.executeFetchAll("select 42")).succeedsWithin(WAIT)
                    .extracting(rows -> rows.get(0).getLong(0)).isEqualTo(42L);
        }
    }

    @Test
    void interrupt_stopsTheRunningStatement_fromAnotherThread() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            CountDownLatch running = Endless.registerMark(db);
            CompletableFuture<List<Row>> endless = db.executeFetchAll(Endless.QUERY);
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            db.interrupt();
            assertThat(endless).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SQLException.class).withMessageContaining("interrupt");
            assertThat(db.executeFetchAll("select 1")).succeedsWithin(WAIT);
        }
    }

    @Test
    void joinInACallbackOnTheWorkerThread_runsTheQueueInOrder_insteadOfDeadlocking() throws Exception {
        SqliteConfig direct = SqliteConfig.builder(":memory:").completionExecutor(Runnable::run).build();
        try (AsyncConnection db = AioSqlite.connect(direct).get(10, TimeUnit.SECONDS)) {
            db.execute("create table log (x integer)").join();
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<List<Row>> blocker = blockWorker(db, entered, release);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // Attached before completion, so it runs on the worker (Runnable::run completion),
            // and joins an operation queued after another one.
            AtomicReference<String> thread = new AtomicReference<>();
            CompletableFuture<List<Row>> joined = db.executeFetchAll("select 1").thenApply(rows -> {
                thread.set(Thread.currentThread().getName());
                db.execute("insert into log values (1)");
                return db.executeFetchAll("select count(*) from log").join();
            });
            release.countDown();
            assertThat(blocker).succeedsWithin(WAIT);
            // The insert queued before the joined select ran first: the queue's order holds.
            assertThat(joined).succeedsWithin(WAIT).satisfies(rows -> assertThat(rows.get(0).getInt(0)).isEqualTo(1));
            assertThat(thread.get()).as("the callback ran on the worker").startsWith("aiosqlite4j-");
            assertThat(db.executeFetchAll("select count(*) from log").get(10, TimeUnit.SECONDS).get(0).getInt(0))
                    .isEqualTo(1);
        }
    }

    @Test
    void joinOnAPoolInACallbackOnAReadersWorker_runsThatReadersQueue_insteadOfDeadlocking() throws Exception {
        SqliteConfig direct = SqliteConfig.builder(dir.resolve("helping.db")).completionExecutor(Runnable::run).build();
        try (SqlitePool pool = SqlitePool.open(direct, PoolOptions.builder().readers(1).build())
                .get(10, TimeUnit.SECONDS)) {
            // The one reader runs the callback in place, is free again by then, and gets the
            // joined request: waiting for it without running that reader's queue would hang.
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> holding = PoolTest.hold(pool::read, entered, release);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // Attached while the request waits for the reader, so the callback runs on its worker.
            AtomicReference<String> thread = new AtomicReference<>();
            CompletableFuture<List<Integer>> nested = pool.executeFetchAll("select 1").thenApply(rows -> {
                thread.set(Thread.currentThread().getName());
                return List.of(pool.executeFetchAll("select 2").join().get(0).getInt(0),
                        pool.write(s -> s.query("select 3")).join().get(0).getInt(0));
            });
            release.countDown();
            assertThat(holding).succeedsWithin(WAIT);
            assertThat(nested).succeedsWithin(WAIT).isEqualTo(List.of(2, 3));
            assertThat(thread.get()).as("the callback ran on a worker").startsWith("aiosqlite4j-");
        }
    }

    @Test
    void joinInsideATasksWork_failsFast_insteadOfDeadlocking() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            CompletableFuture<Object> outcome = db.run(session -> {
                try {
                    return db.executeFetchAll("select 2").join();
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(outcome).succeedsWithin(WAIT).isInstanceOf(IllegalStateException.class)
                    .extracting(o -> ((Exception) o).getMessage()).asString().contains("deadlock");
            assertThat(db.executeFetchAll("select 2").get(10, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void futuresCompleteOnTheCompletionExecutor_notOnTheWorker() throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> new Thread(r, "completion-x"));
        try {
            SqliteConfig config = SqliteConfig.builder(":memory:").completionExecutor(exec).build();
            try (AsyncConnection db = AioSqlite.connect(config).get(10, TimeUnit.SECONDS)) {
                CountDownLatch entered = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                CompletableFuture<List<Row>> blocker = blockWorker(db, entered, release);
                assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
                // Attached while the task cannot have completed yet: runs where it completes.
                CompletableFuture<String> thread = db.executeFetchAll("select 1")
                        .thenApply(r -> Thread.currentThread().getName());
                release.countDown();
                assertThat(blocker).succeedsWithin(WAIT);
                assertThat(thread).succeedsWithin(WAIT).isEqualTo("completion-x");
            }
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void cancellingConnect_closesTheConnection() throws Exception {
        Set<Thread> before = workerThreads();
        CompletableFuture<AsyncConnection> f = AioSqlite.connect(dir.resolve("c.db"));
        if (!f.cancel(true)) {
            // The open won the race: the connection was delivered, so it is ours to close.
            f.join().close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!before.containsAll(workerThreads()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertThat(workerThreads()).isSubsetOf(before);
    }

    @Test
    void jvmExitsWithConnectionLeftOpen_andQueuedWorkIsNotLost() throws Exception {
        Path file = dir.resolve("child.db");
        String log = ChildJvm.run(ChildJvm.command(LeftOpenMain.class, file.toString(), "500"),
                dir.resolve("child.log"), 60);
        assertThat(log).contains("main returned");
        try (java.sql.Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), min(n), max(n) from t")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows queued before main returned").isEqualTo(500);
            assertThat(rs.getLong(2)).isZero();
            assertThat(rs.getLong(3)).isEqualTo(499);
        }
        assertThat(new File(file + "-journal")).doesNotExist();
    }

    @Test
    void closeAfterCompletionExecutorShutDown_stillCompletes() throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor();
        SqliteConfig config = SqliteConfig.builder(":memory:").completionExecutor(exec).build();
        AsyncConnection db = AioSqlite.connect(config).get(10, TimeUnit.SECONDS);
        exec.shutdownNow();
        CompletableFuture<List<Row>> f = db.executeFetchAll("select 7");
        assertThat(f).succeedsWithin(WAIT).extracting(rows -> rows.get(0).getLong(0)).isEqualTo(7L);
        assertThat(db.closeAsync()).succeedsWithin(WAIT);
    }

    @Test
    void optionalRowFromFetchOne_andCursorAfterClose() throws Exception {
        AsyncConnection db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS);
        AsyncCursor c = db.execute("select 1 union all select 2").get(10, TimeUnit.SECONDS);
        assertThat(c.fetchOne()).succeedsWithin(WAIT).extracting(Optional::get)
                .extracting(r -> r.getLong(0)).isEqualTo(1L);
        db.close();
        assertThat(c.fetchOne()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(SQLNonTransientConnectionException.class);
        c.close(); // closing a cursor of a closed connection is fine
        assertThatThrownBy(() -> db.executeFetchAll("select 1").join())
                .isInstanceOf(CompletionException.class);
    }
}
