package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.ChildJvm;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lifecycle and leaks, beyond {@code LifecycleTest} (which covers 1,000 queued operations at
 * close, a full queue of two, and a child JVM that exits with a connection left open) and
 * {@code SmokeTest} (one garbage-collected connection is reported and closed).
 */
final class LeakTest {
    private static final long WAIT = 60;

    @TempDir
    Path dir;

    private static Map<String, String> openFds() throws IOException {
        Map<String, String> out = new TreeMap<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) {
            throw new IOException("/proc/self/fd is not readable");
        }
        for (File f : fds) {
            String target;
            try {
                target = Files.readSymbolicLink(f.toPath()).toString();
            } catch (IOException gone) {
                continue; // closed while listing (the listing's own descriptor)
            }
            out.put(f.getName(), target);
        }
        return out;
    }

    private static List<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("aiosqlite4j-")
                        && !t.getName().equals("aiosqlite4j-cleaner")
                        && !t.getName().equals("aiosqlite4j-shutdown")
                        && !t.getName().startsWith("aiosqlite4j-timeout"))
                .collect(Collectors.toList());
    }

    /** Descriptors that point into this test's directory: the databases, journals, WAL, shm. */
    private Map<String, String> databaseFds() throws IOException {
        String prefix = dir.toRealPath().toString();
        return openFds().entrySet().stream().filter(e -> e.getValue().startsWith(prefix))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /** Waits (bounded) until the fact holds: threads and descriptors are released asynchronously. */
    private static boolean settles(java.util.function.BooleanSupplier fact) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!fact.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            System.gc();
            Thread.sleep(20); // polling an external fact (thread table, /proc), with a deadline
        }
        return true;
    }

    private void cycle(int i) throws Exception {
        if (i % 50 == 49) {
            CompletableFuture<AsyncConnection> bad = AioSqlite.connect(dir.resolve("missing").resolve("x.db"));
            try {
                bad.get(WAIT, TimeUnit.SECONDS);
                throw new AssertionError("opened a database in a missing folder");
            } catch (ExecutionException expected) {
                assertThat(expected.getCause()).isInstanceOf(SQLNonTransientConnectionException.class);
            }
            return;
        }
        Path file = dir.resolve("cycle-" + (i % 4) + ".db");
        SqliteConfig config = SqliteConfig.builder(file)
                .journalMode(i % 2 == 0 ? SqliteConfig.JournalMode.WAL : SqliteConfig.JournalMode.DELETE)
                .build();
        AsyncConnection db = AioSqlite.connect(config).get(WAIT, TimeUnit.SECONDS);
        try {
            db.execute("create table if not exists t (n integer)").get(WAIT, TimeUnit.SECONDS);
            db.execute("insert into t values (?)", i).get(WAIT, TimeUnit.SECONDS);
            if (i % 3 == 0) {
                db.commit().get(WAIT, TimeUnit.SECONDS);
            }
            // a cursor left open, never closed: closing the connection must finalize it
            AsyncCursor open = db.execute("select n from t").get(WAIT, TimeUnit.SECONDS);
            assertThat(open.fetchOne().get(WAIT, TimeUnit.SECONDS)).isPresent();
        } finally {
            db.closeAsync().get(WAIT, TimeUnit.SECONDS);
        }
    }

    @Test
    void openCloseCycles_leaveThreadsAndFileDescriptorsWhereTheyStarted() throws Exception {
        int cycles = Scale.of(400, 10_000);
        for (int i = 0; i < 60; i++) {
            cycle(i); // warm-up: classes loaded, common pool started, native library open
        }
        assertThat(settles(() -> workerThreads().isEmpty())).as("warm-up workers ended").isTrue();
        int threadsBefore = Thread.activeCount();
        Map<String, String> fdsBefore = openFds();
        assertThat(databaseFds()).as("no database file open between cycles").isEmpty();

        for (int i = 0; i < cycles; i++) {
            cycle(i);
        }

        boolean workersGone = settles(() -> workerThreads().isEmpty());
        assertThat(workersGone).as("worker threads still alive: %s", workerThreads()).isTrue();
        boolean fdsBack = settles(() -> {
            try {
                return openFds().size() <= fdsBefore.size();
            } catch (IOException e) {
                return false;
            }
        });
        Map<String, String> fdsAfter = openFds();
        Map<String, String> extra = new TreeMap<>(fdsAfter);
        extra.keySet().removeAll(fdsBefore.keySet());
        assertThat(fdsBack).as("%d cycles: descriptors before %d, after %d; new: %s", cycles,
                fdsBefore.size(), fdsAfter.size(), extra).isTrue();
        assertThat(databaseFds()).as("database files still open").isEmpty();
        assertThat(settles(() -> Thread.activeCount() <= threadsBefore))
                .as("threads before %d, after %d", threadsBefore, Thread.activeCount()).isTrue();
    }

    @Test
    void closeWithTenThousandQueued_andProducersRacingIt_noFutureHangs() throws Exception {
        AsyncConnection db = AioSqlite.connect(SqliteConfig.builder(dir.resolve("queued.db"))
                .synchronous(SqliteConfig.SynchronousMode.OFF).build()).get(WAIT, TimeUnit.SECONDS);
        db.execute("create table t (n integer)").get(WAIT, TimeUnit.SECONDS);
        List<CompletableFuture<?>> before = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            switch (i % 5) {
                case 0:
                    before.add(db.execute("insert into t values (?)", i));
                    break;
                case 1:
                    before.add(db.executeFetchAll("select count(*) from t"));
                    break;
                case 2:
                    before.add(db.execute("selec broken"));
                    break;
                case 3: {
                    CompletableFuture<?> f = db.executeFetchAll("select ?", i);
                    f.cancel(true);
                    before.add(f);
                    break;
                }
                default:
                    before.add(db.commit());
                    break;
            }
        }
        ConcurrentLinkedQueue<CompletableFuture<?>> racing = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService producers = Executors.newFixedThreadPool(4);
        CountDownLatch started = new CountDownLatch(4);
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            running.add(producers.submit(() -> {
                started.countDown();
                int n = 0;
                while (!stop.get() || n < 100) {
                    racing.add(db.execute("insert into t values (?)", -1));
                    n++;
                    // 4 x 10,000 plus the 10,000 queued above stays under the queue bound
                    // (65,536): a full queue would be a different, legitimate failure.
                    if (n >= 10_000) {
                        break;
                    }
                }
                return null;
            }));
        }
        assertThat(started.await(WAIT, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = db.closeAsync();
        stop.set(true);
        for (Future<?> f : running) {
            f.get(WAIT, TimeUnit.SECONDS);
        }
        producers.shutdown();
        closing.get(WAIT, TimeUnit.SECONDS);

        int ok = 0;
        int failed = 0;
        int cancelled = 0;
        for (CompletableFuture<?> f : before) {
            try {
                f.get(WAIT, TimeUnit.SECONDS);
                ok++;
            } catch (CancellationException e) {
                cancelled++;
            } catch (ExecutionException e) {
                failed++;
                assertThat(e.getCause()).isInstanceOf(java.sql.SQLSyntaxErrorException.class);
            }
        }
        assertThat(failed).as("only the broken statements failed: queued work ran before close").isEqualTo(2000);
        assertThat(cancelled).as("a cancel can lose the race only with a select already done").isLessThanOrEqualTo(2000);
        assertThat(ok + cancelled).isEqualTo(8000);
        long racedIn = 0;
        for (CompletableFuture<?> f : racing) {
            try {
                f.get(WAIT, TimeUnit.SECONDS);
                racedIn++;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as("submitted during close").isInstanceOf(SQLNonTransientConnectionException.class);
            } catch (TimeoutException e) {
                throw new AssertionError("a future submitted while closing never completed", e);
            }
        }
        assertThat(racing).hasSizeGreaterThanOrEqualTo(400);
        assertThat(db.isClosed()).isTrue();
        // Close does not commit: the implicit transaction the racing inserts ran in is rolled back,
        // but every commit() that completed before close kept its rows.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("queued.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from t where n >= 0")) {
            rs.next();
            assertThat(rs.getLong(1)).as("acknowledged inserts followed by a commit; %d raced in", racedIn)
                    .isEqualTo(2000);
        }
    }

    @Test
    void fullQueueUnderSixteenProducers_rejectsCleanly_losesNothingAcknowledged_thenRecovers() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("full.db"))
                .isolationLevel(IsolationLevel.AUTOCOMMIT).queueCapacity(8).build();
        try (AsyncConnection db = AioSqlite.connect(config).get(WAIT, TimeUnit.SECONDS)) {
            db.execute("create table t (producer integer, n integer)").get(WAIT, TimeUnit.SECONDS);
            ConcurrentLinkedQueue<CompletableFuture<?>> all = new ConcurrentLinkedQueue<>();
            ExecutorService producers = Executors.newFixedThreadPool(16);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < 16; p++) {
                int producer = p;
                done.add(producers.submit(() -> {
                    for (int n = 0; n < 400; n++) {
                        CompletableFuture<?> f = db.execute("insert into t values (?, ?)", producer, n);
                        all.add(f);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT, TimeUnit.SECONDS);
            }
            producers.shutdown();
            int accepted = 0;
            int rejected = 0;
            for (CompletableFuture<?> f : all) {
                try {
                    f.get(WAIT, TimeUnit.SECONDS);
                    accepted++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(SQLTransientException.class)
                            .hasMessageContaining("is full");
                    rejected++;
                }
            }
            assertThat(accepted + rejected).isEqualTo(16 * 400);
            assertThat(accepted).isPositive();
            List<Row> count = db.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS);
            assertThat(count.get(0).getLong(0)).as("every accepted insert is in the table, no rejected one")
                    .isEqualTo(accepted);
            // recovers: the queue drained, so a burst within the capacity is accepted whole
            List<CompletableFuture<List<Row>>> burst = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                burst.add(db.executeFetchAll("select ?", i));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(burst.get(i).get(WAIT, TimeUnit.SECONDS).get(0).getLong(0)).isEqualTo((long) i);
            }
        }
    }

    @Test
    void garbageCollectedConnectionsWithOpenTransactions_areReportedClosedAndRolledBack() throws Exception {
        Path file = dir.resolve("leaked.db");
        try (AsyncConnection setup = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            setup.execute("create table t (n integer)").get(WAIT, TimeUnit.SECONDS);
            setup.commit().get(WAIT, TimeUnit.SECONDS);
        }
        Logger jul = Logger.getLogger("io.github.aiosqlite4j");
        List<LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.WARNING && record.getMessage() != null
                        && record.getMessage().contains("garbage-collected before being closed")
                        && record.getMessage().contains(file.toString())) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(handler);
        try {
            int leaked = 5;
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < leaked; i++) {
                workers.add(leakOne(file, i, i == 0));
            }
            assertThat(settles(() -> warnings.size() >= leaked && workers.stream().noneMatch(Thread::isAlive)))
                    .as("%d warnings; workers alive: %s", warnings.size(),
                            workers.stream().filter(Thread::isAlive).collect(Collectors.toList()))
                    .isTrue();
            for (LogRecord r : warnings) {
                assertThat(r.getThrown()).as("where it was opened").isNotNull();
                assertThat(r.getThrown().getMessage()).contains("opened here");
            }
        } finally {
            jul.removeHandler(handler);
        }
        // The write lock of the uncommitted transaction was released, and its rows rolled back.
        SqliteConfig noWait = SqliteConfig.builder(file).busyTimeout(Duration.ZERO).build();
        try (AsyncConnection db = AioSqlite.connect(noWait).get(WAIT, TimeUnit.SECONDS)) {
            db.execute("insert into t values (-1)").get(WAIT, TimeUnit.SECONDS);
            db.commit().get(WAIT, TimeUnit.SECONDS);
            assertThat(db.executeFetchAll("select n from t").get(WAIT, TimeUnit.SECONDS))
                    .extracting(r -> r.getLong(0)).containsExactly(-1L);
            assertThat(db.executeFetchAll("pragma integrity_check").get(WAIT, TimeUnit.SECONDS).get(0).getString(0))
                    .isEqualTo("ok");
        }
    }

    @Test
    void jvmExitsWithAnOpenTransactionAndAnEndlessQuery_rollingBackAndFailingWhatWasLeft() throws Exception {
        Path open = dir.resolve("open.db");
        Path busy = dir.resolve("busy.db");
        Path log = dir.resolve("exit-child.log");
        String output = ChildJvm.run(ChildJvm.command(ExitChildMain.class, open.toString(), busy.toString()),
                log, WAIT);
        // (the "still busy after the shutdown grace period" warning is not asserted: JUL's own
        // shutdown hook resets its handlers concurrently, so it is usually lost)
        assertThat(output).contains("main returned");
        for (Path file : List.of(open, busy)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement s = c.createStatement()) {
                Intact.assertIntact(s, file.toString());
                try (ResultSet rs = s.executeQuery("select count(*) from t")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("%s: the uncommitted row was rolled back, the insert queued"
                            + " behind the endless query was failed, not run", file.getFileName()).isZero();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 32})
    void jvmExitsWithThreeThousandQueuedPoolWrites_theShutdownHookCommitsThemAll(int groupCommit)
            throws Exception {
        Path file = dir.resolve("pool-exit-" + groupCommit + ".db");
        Path log = dir.resolve("pool-exit-" + groupCommit + ".log");
        String output = ChildJvm.run(ChildJvm.command(PoolExitChildMain.class, file.toString(), "3000",
                Integer.toString(groupCommit)), log, WAIT);
        assertThat(output).contains("exiting");
        assertThat(output.lines().filter(l -> l.startsWith("FAILED")).limit(5))
                .as("writes failed instead of drained").isEmpty();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), min(n), max(n) from t")) {
            rs.next();
            assertThat(rs.getLong(1)).as("writes queued before System.exit, committed by the drain")
                    .isEqualTo(3000);
            assertThat(rs.getLong(2)).isZero();
            assertThat(rs.getLong(3)).isEqualTo(2999);
        }
    }

    /** Opens a connection, leaves a transaction (and a cursor) open, and forgets it. */
    private static Thread leakOne(Path file, int i, boolean holdWriteLock) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Thread> worker = new java.util.concurrent.atomic.AtomicReference<>();
        SqliteConfig config = SqliteConfig.builder(file).threadFactory(r -> {
            Thread t = new Thread(r, "aiosqlite4j-leaked-" + i);
            t.setDaemon(true);
            worker.set(t);
            return t;
        }).build();
        AsyncConnection db = AioSqlite.connect(config).get(WAIT, TimeUnit.SECONDS);
        if (holdWriteLock) {
            db.execute("insert into t values (?)", i).get(WAIT, TimeUnit.SECONDS);
            assertThat(db.inTransaction()).isTrue();
        }
        AsyncCursor c = db.execute("select * from t").get(WAIT, TimeUnit.SECONDS);
        c.fetchMany(1).get(WAIT, TimeUnit.SECONDS);
        return worker.get();
    }
}
