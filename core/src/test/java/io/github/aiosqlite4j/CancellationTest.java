package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancellation and deadlines stop exactly the operation they target. */
final class CancellationTest extends MemoryDatabaseTest {
    private CountDownLatch running;

    @BeforeEach
    void registerMark() {
        running = Endless.registerMark(db);
    }

    @Test
    void cancellingARunningQuery_whileAnotherCursorIsMidIteration_leavesTheNextStatementAlone() throws Exception {
        db.execute("create table t (x)").join();
        db.executeMany("insert into t values (?)", List.of(List.of(1), List.of(2), List.of(3))).join();
        db.commit().join();
        AsyncCursor open = db.execute("select x from t order by x").join();
        assertThat(open.fetchOne().join()).isPresent(); // this statement stays active
        CompletableFuture<List<Row>> endless = db.executeFetchAll(Endless.QUERY);
        CompletableFuture<List<Row>> next = db.executeFetchAll("select 'next'");
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        endless.cancel(true);
        assertThat(endless).isCancelled();
        assertThat(next).succeedsWithin(WAIT).extracting(r -> r.get(0).getString(0)).isEqualTo("next");
        assertThat(open.fetchAll()).succeedsWithin(WAIT).extracting(rows -> rows.size()).isEqualTo(2);
    }

    @Test
    void orTimeout_stopsARunningQuery_withSqlTimeoutException() throws Exception {
        CompletableFuture<List<Row>> endless = db.executeFetchAll(Endless.QUERY).orTimeout(300, TimeUnit.MILLISECONDS);
        assertThat(endless).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(SQLTimeoutException.class).isInstanceOf(SqliteError.class);
        assertThat(db.executeFetchAll("select 42")).succeedsWithin(WAIT)
                .extracting(r -> r.get(0).getLong(0)).isEqualTo(42L);
    }

    @Test
    void configuredStatementTimeout_appliesToEveryOperation() throws Exception {
        SqliteConfig config = SqliteConfig.builder(":memory:").statementTimeout(Duration.ofMillis(200)).build();
        try (AsyncConnection limited = AioSqlite.connect(config).get(10, TimeUnit.SECONDS)) {
            limited.createFunction("mark", 0, args -> 1, false).join();
            assertThat(limited.executeFetchAll(Endless.QUERY)).failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(SQLTimeoutException.class).withMessageContaining("deadline");
            assertThat(limited.executeFetchAll("select 1")).succeedsWithin(WAIT);
        }
    }

    @Test
    void cancelDuringExecuteMany_stopsBeforeTheNextExecution() {
        db.execute("create table t (x)").join();
        AtomicReference<CompletableFuture<AsyncCursor>> self = new AtomicReference<>();
        CountDownLatch submitted = new CountDownLatch(1);
        Iterable<List<?>> rows = () -> new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                return n < 3000;
            }

            @Override
            public List<?> next() {
                n++;
                if (n == 1030) {
                    try {
                        submitted.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    self.get().cancel(true);
                }
                return List.of(n);
            }
        };
        self.set(db.executeMany("insert into t values (?)", rows));
        submitted.countDown();
        assertThat(self.get()).failsWithin(WAIT).withThrowableOfType(CancellationException.class);
        // Rows go to SQLite 1024 at a time: the first batch ran; rows 1025 to 1029 waited in the
        // batch that the cancel dropped; nothing after ran.
        assertThat(db.executeFetchAll("select count(*), max(x) from t")).succeedsWithin(WAIT)
                .extracting(r -> r.get(0).values()).isEqualTo(List.of(1024L, 1024L));
    }

    @Test
    void cancellingTheRowsSubscription_closesTheCursor() throws Exception {
        db.execute("create table t (x)").join();
        List<List<?>> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(List.of(i));
        }
        db.executeMany("insert into t values (?)", many).join();
        db.commit().join();
        AsyncCursor cursor = db.execute("select x from t").join();
        cursor.setIterChunkSize(10);
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        cursor.rows().subscribe(new Flow.Subscriber<Row>() {
            private Flow.Subscription s;
            private int n;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                s.request(25);
            }

            @Override
            public void onNext(Row item) {
                if (++n == 25) {
                    s.cancel();
                    seen.complete(n);
                }
            }

            @Override
            public void onError(Throwable t) {
                seen.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                seen.completeExceptionally(new AssertionError("completed after cancel"));
            }
        });
        assertThat(seen).succeedsWithin(WAIT).isEqualTo(25);
        // The close is queued behind the fetches; anything queued later sees a closed cursor.
        assertThat(cursor.fetchOne()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().withMessageContaining("closed cursor");
    }

    @Test
    void transactionBody_cancelledMidway_rollsBack() throws Exception {
        db.execute("create table t (x)").join();
        CountDownLatch inBody = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<Long> tx = db.transaction(s -> {
            s.execute("insert into t values (1)");
            inBody.countDown();
            try {
                cancelled.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return s.execute("insert into t values (2)");
        });
        assertThat(inBody.await(10, TimeUnit.SECONDS)).isTrue();
        tx.cancel(true);
        cancelled.countDown();
        assertThat(tx).isCancelled();
        assertThat(db.executeFetchAll("select count(*) from t")).succeedsWithin(WAIT)
                .extracting(r -> r.get(0).getLong(0)).isEqualTo(0L);
        assertThat(db.inTransaction()).isFalse();
    }

    // A write inside a transaction opened by an earlier task is not aborted midway: SQLite would
    // roll back the whole transaction with it (what earlier tasks wrote in it included), and the
    // statements queued after it would go on in autocommit mode.

    /** A write of {@code rows} rows that calls {@code hold(x)}, which waits at its first row. */
    private static String heldWrite(int rows) {
        return "insert into t with recursive c(x) as (select 1 union all select x + 1 from c where x < " + rows
                + ") select hold(x) from c";
    }

    /** {@code hold(x)}'s two latches: it counts {@code inWrite} down, then waits for {@code release}. */
    private record Hold(CountDownLatch inWrite, CountDownLatch release) {
        void awaitWrite() throws InterruptedException {
            assertThat(inWrite.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Registers {@code hold(x)}: at x = 1 it counts {@code inWrite} down and waits for {@code
     * release}, so that a cancel lands while the statement runs; it returns x. Creates table t,
     * and with {@code begin}, opens a transaction whose one row (0) an earlier task wrote.
     */
    private Hold hold(boolean begin) {
        Hold h = new Hold(new CountDownLatch(1), new CountDownLatch(1));
        db.createFunction("hold", 1, args -> {
            if (((Number) args[0]).longValue() == 1) {
                h.inWrite().countDown();
                if (!h.release().await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released hold()");
                }
            }
            return args[0];
        }, false).join();
        db.execute("create table t (x)").join();
        if (begin) {
            db.execute("begin").join();
            db.execute("insert into t values (0)").join();
        } else {
            db.commit().join();
        }
        return h;
    }

    /** {@return the rows of t: count(*) and min(x)} */
    private List<Object> countAndMin() {
        return db.executeFetchAll("select count(*), min(x) from t").join().get(0).values();
    }

    @Test
    void cancellingAWrite_insideAnEarlierTransaction_keepsThatTransaction() throws Exception {
        Hold h = hold(true);
        CompletableFuture<AsyncCursor> write = db.execute(heldWrite(1000));
        h.awaitWrite();
        write.cancel(true);
        h.release().countDown();
        assertThat(write).isCancelled();
        // The write ran to its end inside the transaction, which is still open and still holds
        // the earlier task's row; rolling it back undoes both.
        assertThat(countAndMin()).isEqualTo(List.of(1001L, 0L));
        assertThat(db.inTransaction()).isTrue();
        db.rollback().join();
        assertThat(db.executeFetchAll("select count(*) from t")).succeedsWithin(WAIT)
                .extracting(r -> r.get(0).getLong(0)).isEqualTo(0L);
    }

    @Test
    void cancellingANestedTransactionBody_duringAWrite_rollsBackTheBodyOnly() throws Exception {
        Hold h = hold(true);
        CompletableFuture<Long> body = db.transaction(s -> {
            s.execute(heldWrite(1000));
            return s.execute("insert into t values (-1)"); // the stop is honoured here
        });
        h.awaitWrite();
        body.cancel(true);
        h.release().countDown();
        assertThat(body).isCancelled();
        assertThat(countAndMin()).isEqualTo(List.of(1L, 0L));
        assertThat(db.inTransaction()).isTrue();
        db.commit().join();
        assertThat(db.executeFetchAll("select x from t")).succeedsWithin(WAIT)
                .extracting(r -> r.get(0).getLong(0)).isEqualTo(0L);
    }

    @Test
    void aDeadline_passingDuringAWriteInsideAnEarlierTransaction_stopsTheBodyAtItsNextStatement() throws Exception {
        Hold h = hold(true);
        CompletableFuture<Long> body = db.run(s -> {
            s.execute(heldWrite(1000));
            return s.execute("insert into t values (-1)");
        });
        h.awaitWrite();
        body.orTimeout(1, TimeUnit.MILLISECONDS); // passes while hold() waits
        assertThat(body).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(SQLTimeoutException.class);
        h.release().countDown();
        // The held write finished; the body's next statement never ran; the transaction is open.
        assertThat(countAndMin()).isEqualTo(List.of(1001L, 0L));
        assertThat(db.inTransaction()).isTrue();
    }

    @Test
    void cancellingAWrite_inItsOwnTransaction_abortsItMidway() throws Exception {
        Hold h = hold(false);
        CompletableFuture<AsyncCursor> write = db.execute(heldWrite(1_000_000_000)); // never ends by itself
        h.awaitWrite();
        write.cancel(true);
        h.release().countDown();
        assertThat(db.executeFetchAll("select count(*) from t")).succeedsWithin(WAIT)
                .extracting(r -> r.get(0).getLong(0)).isEqualTo(0L);
        assertThat(db.inTransaction()).isFalse();
    }

    @Test
    void cancellingARead_insideAnEarlierTransaction_abortsItMidway_andKeepsTheTransaction() throws Exception {
        db.execute("create table t (x)").join();
        db.execute("insert into t values (0)").join(); // the implicit transaction (DEFERRED)
        assertThat(db.inTransaction()).isTrue();
        CompletableFuture<List<Row>> endless = db.executeFetchAll(Endless.QUERY);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        endless.cancel(true);
        assertThat(db.executeFetchAll("select count(*) from t")).succeedsWithin(WAIT)
                .extracting(r -> r.get(0).getLong(0)).isEqualTo(1L);
        assertThat(db.inTransaction()).isTrue();
    }
}
