package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-shot reads ({@code executeFetchAll}) queued behind each other on a connection run in one
 * read transaction: they share the snapshot taken when the first of them runs, which holds every
 * commit made before any of them was requested. The transaction is the engine's own: nobody sees
 * it, neither {@code inTransaction()} nor the user's callbacks. (With our native library, which
 * gives the exact transaction state the engine needs for it.)
 */
final class SharedReadTest {
    private static final long WAIT = 30;
    private static final int COMMITS = 2_000;

    @TempDir
    Path dir;

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    private SqliteConfig config() {
        return SqliteConfig.builder(dir.resolve("shared.db")).journalMode(SqliteConfig.JournalMode.WAL)
                .autocommit(Autocommit.ON).build();
    }

    private Connection other() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shared.db"));
    }

    private static long n(List<Row> rows) {
        return rows.get(0).getLong("n");
    }

    /**
     * Runs {@code queue} while the worker is held inside {@code select hold()}, so that the reads it
     * submits queue up behind it; then lets the worker go and waits for {@code hold()} to end.
     *
     * @return what {@code queue} returned (the futures of the queued reads)
     */
    private static <T> T queuedBehindHold(AsyncConnection db, Callable<T> queue) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        get(db.createFunction("hold", 0, args -> {
            entered.countDown();
            return release.await(WAIT, TimeUnit.SECONDS) ? 1 : 0;
        }, false));
        CompletableFuture<List<Row>> held = db.executeFetchAll("select hold()");
        assertThat(entered.await(WAIT, TimeUnit.SECONDS)).isTrue();
        T queued;
        try {
            queued = queue.call();
        } finally {
            release.countDown();
        }
        get(held);
        return queued;
    }

    @Test
    void readsQueuedTogether_shareTheSnapshotOfTheFirst_andALaterReadSeesLaterCommits() throws Exception {
        try (AsyncConnection db = get(AioSqlite.connect(config())); Connection other = other()) {
            get(db.executeScript("create table c (n integer); insert into c values (0);"));
            // bump() commits on another connection while the read that calls it runs
            get(db.createFunction("bump", 0, args -> {
                try (Statement s = other.createStatement()) {
                    return s.executeUpdate("update c set n = n + 1");
                }
            }, false));
            List<CompletableFuture<List<Row>>> reads = queuedBehindHold(db, () -> List.of(
                    db.executeFetchAll("select n, bump() from c"), db.executeFetchAll("select n from c")));
            CompletableFuture<List<Row>> first = reads.get(0);
            CompletableFuture<List<Row>> second = reads.get(1);
            assertThat(n(get(first))).isZero();
            // requested before the commit: it shares the first read's snapshot
            assertThat(n(get(second))).isZero();
            assertThat(db.inTransaction()).isFalse();
            // requested after it: a new snapshot
            assertThat(n(get(db.executeFetchAll("select n from c")))).isEqualTo(1);
            get(db.execute("begin")); // no transaction of ours was left open
            assertThat(db.inTransaction()).isTrue();
            get(db.rollback());
        }
    }

    /** Commits on another connection, each followed by a read requested at once and not awaited. */
    private static void commitsThenReads(Connection other, java.util.function.Supplier<CompletableFuture<List<Row>>> read,
            List<CompletableFuture<List<Row>>> reads) throws SQLException {
        try (Statement s = other.createStatement()) {
            for (int i = 1; i <= COMMITS; i++) {
                s.executeUpdate("update c set n = " + i);
                reads.add(read.get());
            }
        }
    }

    private static void assertEachReadSawTheCommitsBeforeIt(List<CompletableFuture<List<Row>>> reads)
            throws Exception {
        long previous = 0;
        for (int i = 1; i <= reads.size(); i++) {
            long seen = n(get(reads.get(i - 1)));
            assertThat(seen).as("read %d, requested after commit %d", i, i).isGreaterThanOrEqualTo(i);
            assertThat(seen).as("read %d comes after read %d", i, i - 1).isGreaterThanOrEqualTo(previous);
            previous = seen;
        }
    }

    @Test
    void everyQueuedRead_seesEveryCommitMadeBeforeItWasRequested() throws Exception {
        try (AsyncConnection db = get(AioSqlite.connect(config())); Connection other = other()) {
            get(db.executeScript("create table c (n integer); insert into c values (0);"));
            List<CompletableFuture<List<Row>>> reads = new ArrayList<>();
            commitsThenReads(other, () -> db.executeFetchAll("select n from c"), reads);
            assertEachReadSawTheCommitsBeforeIt(reads);
        }
    }

    @Test
    void everyPoolRead_seesEveryCommitMadeBeforeItWasRequested() throws Exception {
        try (SqlitePool pool = get(SqlitePool.open(config(), PoolOptions.builder().readers(2).build()));
                Connection other = other()) {
            get(pool.execute("create table c (n integer)"));
            get(pool.execute("insert into c values (0)"));
            List<CompletableFuture<List<Row>>> reads = new ArrayList<>();
            commitsThenReads(other, () -> pool.executeFetchAll("select n from c"), reads);
            // per reader the order holds; across the two readers only the floor does
            for (int i = 1; i <= reads.size(); i++) {
                assertThat(n(get(reads.get(i - 1)))).as("read %d", i).isGreaterThanOrEqualTo(i);
            }
        }
    }

    @Test
    void aCallbackOnTheWorker_thatJoinsAWrite_endsTheSharedTransactionFirst() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("shared.db"))
                .journalMode(SqliteConfig.JournalMode.WAL).completionExecutor(Runnable::run).build();
        try (AsyncConnection db = get(AioSqlite.connect(config)); Connection other = other()) {
            get(db.executeScript("create table c (n integer); insert into c values (0);"));
            get(db.commit());
            record Queued(CompletableFuture<Long> seenByOther, CompletableFuture<List<Row>> behind) {}
            // Completions run on the worker: this callback runs between the shared reads.
            Queued reads = queuedBehindHold(db, () -> new Queued(
                    db.executeFetchAll("select n from c").thenApply(rows -> {
                        db.execute("update c set n = 5").join();
                        db.commit().join();
                        try (Statement s = other.createStatement();
                                java.sql.ResultSet rs = s.executeQuery("select n from c")) {
                            rs.next();
                            return rs.getLong(1);
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }),
                    db.executeFetchAll("select n from c")));
            CompletableFuture<Long> seenByOther = reads.seenByOther();
            CompletableFuture<List<Row>> behind = reads.behind();
            assertThat(get(seenByOther)).as("the committed update, seen from another connection").isEqualTo(5);
            assertThat(n(get(behind))).as("queued before the update: it runs first").isZero();
            assertThat(n(get(db.executeFetchAll("select n from c")))).isEqualTo(5);
            assertThat(db.inTransaction()).isFalse();
            get(db.execute("begin"));
            get(db.rollback());
        }
    }

    @Test
    void theSharedTransaction_isHiddenFromTraceAndAuthorizer() throws Exception {
        try (AsyncConnection db = get(AioSqlite.connect(config()))) {
            get(db.executeScript("create table c (n integer); insert into c values (0);"));
            List<String> traced = new CopyOnWriteArrayList<>();
            List<Integer> actions = new CopyOnWriteArrayList<>();
            get(db.setTraceCallback(traced::add));
            get(db.setAuthorizer((action, a1, a2, schema, trigger) -> {
                actions.add(action);
                return Authorizer.SQLITE_OK;
            }));
            List<CompletableFuture<List<Row>>> reads = queuedBehindHold(db, () -> {
                List<CompletableFuture<List<Row>>> queued = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    queued.add(db.executeFetchAll("select n from c where n >= ?", -i));
                }
                return queued;
            });
            for (CompletableFuture<List<Row>> r : reads) {
                assertThat(n(get(r))).isZero();
            }
            assertThat(traced).filteredOn(sql -> !sql.startsWith("select")).isEmpty();
            assertThat(traced).hasSize(21);
            assertThat(actions).doesNotContain(Authorizer.SQLITE_TRANSACTION);
            assertThat(db.inTransaction()).isFalse();
        }
    }

    /**
     * SQLite asks the authorizer only when it prepares a statement: the engine's own BEGIN and
     * COMMIT (a shared read's, a blob stream's), prepared while the authorizer is quiet, must never
     * be the statement a user's BEGIN or COMMIT runs.
     */
    @Test
    void theUsersBeginAndCommit_areStillAskedOfTheAuthorizer_afterTheEnginesOwn() throws Exception {
        try (AsyncConnection db = get(AioSqlite.connect(config()))) {
            get(db.executeScript("create table c (n integer); insert into c values (0);"
                    + "create table b (data blob); insert into b values (zeroblob(16));"));
            List<String> asked = new CopyOnWriteArrayList<>();
            get(db.setAuthorizer((action, a1, a2, schema, trigger) -> {
                if (action == Authorizer.SQLITE_TRANSACTION) {
                    asked.add(a1);
                    return Authorizer.SQLITE_DENY;
                }
                return Authorizer.SQLITE_OK;
            }));
            // A shared read: the engine's own BEGIN and COMMIT.
            List<CompletableFuture<List<Row>>> reads = queuedBehindHold(db, () -> List.of(
                    db.executeFetchAll("select n from c"), db.executeFetchAll("select n + 1 from c")));
            assertThat(n(get(reads.get(0)))).isZero();
            get(reads.get(1));
            // A blob stream outside a transaction: the engine's own BEGIN and COMMIT again.
            try (AsyncBlob blob = get(db.blobOpen("b", "data", 1, false));
                    java.io.OutputStream out = blob.outputStream()) {
                out.write(new byte[] {1, 2, 3});
            }
            assertThat(asked).isEmpty();
            assertThat(db.execute("BEGIN")).failsWithin(WAIT, TimeUnit.SECONDS)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withMessageContaining("not authorized");
            assertThat(db.execute("COMMIT")).failsWithin(WAIT, TimeUnit.SECONDS)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withMessageContaining("not authorized");
            assertThat(asked).containsExactly("BEGIN", "COMMIT");
            assertThat(db.inTransaction()).isFalse();
        }
    }
}
