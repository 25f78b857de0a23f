package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code rows()} reads what the subscriber asked for: SQLite steps (a SQL function counts them)
 * no more rows than were requested plus one chunk, besides the execute's own first rows and the
 * one row a fetch steps past the rows it returns; a large request is read in fetches of up to
 * four chunks, still within that bound.
 */
final class RowsDemandTest extends MemoryDatabaseTest {
    private static final int CHUNK = 64;
    /** What the execute reads before any fetch, and the row a fetch steps past its own. */
    private static final int EXECUTE_AND_LOOKAHEAD = 64 + 1;

    @Test
    void rowsStepsNoMoreThanRequestedPlusOneChunk_forSmallAndLargeRequests() throws Exception {
        AtomicInteger stepped = new AtomicInteger();
        db.createFunction("counted", 1, args -> {
            stepped.incrementAndGet();
            return args[0];
        }, false).get(30, TimeUnit.SECONDS);
        AsyncCursor cursor = db.execute("with recursive n(x) as (select 1 union all select x + 1"
                + " from n where x < 100000) select counted(x) from n").get(30, TimeUnit.SECONDS);
        cursor.setIterChunkSize(CHUNK);
        AtomicLong received = new AtomicLong();
        AtomicLong sum = new AtomicLong();
        CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
        CompletableFuture<Void> reached10 = new CompletableFuture<>();
        CompletableFuture<Void> reached5010 = new CompletableFuture<>();
        cursor.rows().subscribe(new Flow.Subscriber<Row>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscribed.complete(s);
            }

            @Override
            public void onNext(Row row) {
                sum.addAndGet(row.getLong(0));
                long n = received.incrementAndGet();
                if (n == 10) {
                    reached10.complete(null);
                } else if (n == 5_010) {
                    reached5010.complete(null);
                }
            }

            @Override
            public void onError(Throwable t) {
                reached10.completeExceptionally(t);
                reached5010.completeExceptionally(t);
            }

            @Override
            public void onComplete() {}
        });
        Flow.Subscription s = subscribed.get(30, TimeUnit.SECONDS);
        s.request(10);
        reached10.get(30, TimeUnit.SECONDS);
        // Every fetch asked for has been answered once its rows were emitted.
        assertThat(stepped.get()).isBetween(10, 10 + CHUNK + EXECUTE_AND_LOOKAHEAD);
        s.request(5_000);
        reached5010.get(30, TimeUnit.SECONDS);
        // Read in fetches of up to four chunks, never beyond the demand plus one chunk.
        assertThat(stepped.get()).isBetween(5_010, 5_010 + CHUNK + EXECUTE_AND_LOOKAHEAD);
        assertThat(received.get()).isEqualTo(5_010);
        assertThat(sum.get()).isEqualTo(5_010L * 5_011 / 2);
        s.cancel();
        cursor.closeAsync().get(30, TimeUnit.SECONDS);
    }
}
