package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Test helper: waiting for a future that must fail, and failures that take some staging. */
public final class Futures {
    private Futures() {
    }

    /**
     * Waits up to 30 s for {@code future} to fail.
     *
     * @param future the future
     * @return the exception it failed with (unwrapped from {@link ExecutionException})
     * @throws Exception if it does not complete in time
     * @throws AssertionError if it completes normally
     */
    public static Throwable failure(CompletableFuture<?> future) throws Exception {
        Object value;
        try {
            value = future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail, it completed with " + value);
    }

    /**
     * Fills the task queue of a connection opened with {@code queueCapacity(1)} (its worker held
     * in a body, one call queued behind it), makes one more call, then lets the held and queued
     * calls finish.
     *
     * @param db a connection whose queue holds one task
     * @return the extra call, refused since the queue was full
     * @throws Exception if the held or queued call fails or does not finish in time
     */
    public static CompletableFuture<?> callOnAFullQueue(AsyncConnection db) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> busy = PoolTest.hold(db::run, entered, release);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<?> queued = db.executeFetchAll("select 1");
        CompletableFuture<?> refused = db.executeFetchAll("select 2");
        release.countDown();
        busy.get(10, TimeUnit.SECONDS);
        queued.get(10, TimeUnit.SECONDS);
        return refused;
    }
}
