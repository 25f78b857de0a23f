package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.internal.ConnectionWorker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of a pool request. Waiting for it on a reader's or the writer's worker thread (a
 * callback run in place with {@code completionExecutor(Runnable::run)}) would deadlock if the
 * request was handed to that very connection, or waits for one whose callback waits on it: so
 * such a thread runs its own queue while it waits ({@link ConnectionWorker#helpWhileWaiting}).
 * On any other thread it is a plain {@link CompletableFuture}; futures derived from it are plain.
 *
 * @param <T> the result type
 */
final class PoolFuture<T> extends CompletableFuture<T> {

    @Override
    public T join() {
        ConnectionWorker.helpWhileWaiting(this, 0);
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        ConnectionWorker.helpWhileWaiting(this, 0);
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = unit.toNanos(timeout);
        long start = System.nanoTime();
        ConnectionWorker.helpWhileWaiting(this, start + Math.max(1L, nanos));
        return super.get(Math.max(0L, nanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
