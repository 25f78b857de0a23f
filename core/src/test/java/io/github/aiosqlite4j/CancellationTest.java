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
}
