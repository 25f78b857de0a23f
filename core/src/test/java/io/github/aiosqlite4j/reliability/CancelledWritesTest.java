package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqliteConfig;
import java.nio.file.Path;
import java.sql.SQLTimeoutException;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cancelling or timing out a {@code transaction()} while its body runs must roll back what the
 * body wrote (the whole transaction, or its savepoint when nested in an open one), so that no later
 * {@code commit()} of another caller can publish it. The fuzz test only cancels reads, because
 * whether a cancel wins is a race; here the body is provably running (it signals, then waits in an
 * endless query that only the cancel can stop).
 */
final class CancelledWritesTest {
    private static final long WAIT = 30;
    private static final String ENDLESS =
            "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c";

    @TempDir
    Path dir;

    /**
     * A cancel that lands after the body, while the COMMIT (or RELEASE) runs: the trace callback,
     * which runs on the worker just before each statement, cancels the future when it sees it.
     * The COMMIT may then be aborted by the progress handler; either way the transaction must
     * end (committed or rolled back as a whole), not stay open for the next caller.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1000})
    void cancelLandingDuringCommit_endsTheTransactionAtomically(int progressPeriod) throws Exception {
        try (AsyncConnection db = AioSqlite.connect(SqliteConfig.builder(dir.resolve("late" + progressPeriod + ".db"))
                .build()).get(WAIT, TimeUnit.SECONDS)) {
            db.execute("create table t (tag text, part integer)").get(WAIT, TimeUnit.SECONDS);
            db.commit().get(WAIT, TimeUnit.SECONDS);
            db.setProgressHandler(() -> false, progressPeriod).get(WAIT, TimeUnit.SECONDS);
            java.util.concurrent.atomic.AtomicReference<CompletableFuture<?>> target =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicReference<String> trigger = new java.util.concurrent.atomic.AtomicReference<>();
            db.setTraceCallback(sql -> {
                if (sql.equals(trigger.get()) || sql.startsWith("RELEASE") && "RELEASE".equals(trigger.get())) {
                    CompletableFuture<?> f = target.getAndSet(null);
                    if (f != null) {
                        f.cancel(true);
                    }
                }
            }).get(WAIT, TimeUnit.SECONDS);
            for (int round = 0; round < 40; round++) {
                boolean nested = round % 2 == 1;
                String context = "period " + progressPeriod + ", round " + round + (nested ? ", nested" : "");
                if (nested) {
                    db.execute("insert into t values ('outer', ?)", round).get(WAIT, TimeUnit.SECONDS);
                }
                trigger.set(nested ? "RELEASE" : "COMMIT");
                String tag = "late-" + round;
                CompletableFuture<Object> f = new CompletableFuture<>();
                CompletableFuture<Object> tx = db.transaction(s -> {
                    s.execute("insert into t values (?, 1)", tag);
                    s.execute("insert into t values (?, 2)", tag);
                    return null;
                });
                target.set(tx);
                tx.whenComplete((v, e) -> f.complete(null));
                f.get(WAIT, TimeUnit.SECONDS);
                // the cancel completed the future at once, on the worker: wait for the task itself
                db.executeFetchAll("select 1").get(WAIT, TimeUnit.SECONDS);
                // the next task sees a closed transaction (or the outer one), and both rows or none
                assertThat(db.inTransaction()).as(context).isEqualTo(nested);
                db.commit().get(WAIT, TimeUnit.SECONDS);
                long n = db.executeFetchAll("select count(*) from t where tag = ?", tag)
                        .get(WAIT, TimeUnit.SECONDS).get(0).getLong(0);
                assertThat(n).as(context + ": both rows or none").isIn(0L, 2L);
            }
        }
    }

    /** @param progressPeriod 0 for no user progress handler, else the period of one */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 1000})
    void cancelledRunningTransactions_rollBack_evenNested(int progressPeriod) throws Exception {
        long seed = Scale.seed("CancelledWritesTest period " + progressPeriod);
        Random random = new Random(seed);
        try (AsyncConnection db = AioSqlite.connect(SqliteConfig.builder(dir.resolve("c" + progressPeriod + ".db"))
                .build()).get(WAIT, TimeUnit.SECONDS)) {
            db.execute("create table t (tag text)").get(WAIT, TimeUnit.SECONDS);
            db.commit().get(WAIT, TimeUnit.SECONDS);
            if (progressPeriod > 0) {
                db.setProgressHandler(() -> false, progressPeriod).get(WAIT, TimeUnit.SECONDS);
            }
            int rounds = Scale.of(12, 60);
            for (int round = 0; round < rounds; round++) {
                String context = "seed " + seed + ", period " + progressPeriod + ", round " + round;
                boolean nested = random.nextBoolean();
                int how = random.nextInt(3); // cancel(true), orTimeout, interrupt()
                boolean timeout = how == 1;
                if (nested) {
                    // an implicit transaction is open: transaction() runs in a savepoint
                    db.execute("insert into t values (?)", "outer-" + round).get(WAIT, TimeUnit.SECONDS);
                    assertThat(db.inTransaction()).isTrue();
                }
                CountDownLatch inside = new CountDownLatch(1);
                String tag = "cancelled-" + round;
                CompletableFuture<Object> f = db.transaction(s -> {
                    s.execute("insert into t values (?)", tag);
                    inside.countDown();
                    return s.query(ENDLESS);
                });
                if (timeout) {
                    f.orTimeout(20 + random.nextInt(30), TimeUnit.MILLISECONDS);
                }
                assertThat(inside.await(WAIT, TimeUnit.SECONDS)).as(context).isTrue();
                if (how == 0) {
                    assertThat(f.cancel(true)).as(context).isTrue();
                } else if (how == 2) {
                    // sqlite3_interrupt from this thread; one that lands between the insert and
                    // the query is a no-op (as in C and Python), so repeat until it takes effect
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
                    while (!f.isDone() && System.nanoTime() < deadline) {
                        db.interrupt();
                        try {
                            f.get(10, TimeUnit.MILLISECONDS);
                        } catch (java.util.concurrent.TimeoutException | ExecutionException notYet) {
                            // loop: isDone() decides
                        }
                    }
                }
                try {
                    f.get(WAIT, TimeUnit.SECONDS);
                    throw new AssertionError(context + ": the endless query completed");
                } catch (CancellationException e) {
                    assertThat(how).as(context).isZero();
                } catch (ExecutionException e) {
                    if (how == 1) {
                        assertThat(e.getCause()).as(context).isInstanceOf(SQLTimeoutException.class);
                    } else {
                        assertThat(how).as(context + ": " + e.getCause()).isEqualTo(2);
                        assertThat(((io.github.aiosqlite4j.SqliteError) e.getCause()).resultCode())
                                .as(context).isEqualTo(9); // SQLITE_INTERRUPT
                    }
                }
                // the task behind it sees the state the cancelled one left
                long visible = db.executeFetchAll("select count(*) from t where tag = ?", tag)
                        .get(WAIT, TimeUnit.SECONDS).get(0).getLong(0);
                assertThat(visible).as("%s: the cancelled body's insert was rolled back", context).isZero();
                assertThat(db.inTransaction()).as("%s: the outer transaction is still open", context)
                        .isEqualTo(nested);
                db.commit().get(WAIT, TimeUnit.SECONDS);
                long outer = db.executeFetchAll("select count(*) from t where tag = ?", "outer-" + round)
                        .get(WAIT, TimeUnit.SECONDS).get(0).getLong(0);
                assertThat(outer).as("%s: the outer insert survived", context).isEqualTo(nested ? 1L : 0L);
            }
            assertThat(db.executeFetchAll("select count(*) from t where tag like 'cancelled-%'")
                    .get(WAIT, TimeUnit.SECONDS).get(0).getLong(0)).isZero();
        }
    }
}
