package io.github.aiosqlite4j;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Test helper: waiting for a future that must fail. */
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
}
