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
 * On any other thread, once the pool gave the request a connection, waiting for it is waiting
 * for that connection's task ({@link ConnectionWorker#awaitTask}): {@code join()} runs it itself
 * when the connection is idle, and the result comes from the worker directly. Futures derived
 * from it are plain.
 *
 * @param <T> the result type
 */
final class PoolFuture<T> extends CompletableFuture<T> {
    /** What the request runs as on its connection, once it has one; see {@link #runsAs}. */
    private volatile CompletableFuture<?> inner;

    /**
     * Records that a pool request runs as {@code inner} on the connection the pool gave it (set
     * before the request's own completion is chained to it).
     *
     * @param result the request's future (a PoolFuture, or a failed future: then nothing)
     * @param inner the connection's future for the work
     */
    static void runsAs(CompletableFuture<?> result, CompletableFuture<?> inner) {
        if (result instanceof PoolFuture) {
            ((PoolFuture<?>) result).inner = inner;
        }
    }

    @Override
    public T join() {
        ConnectionWorker.helpWhileWaiting(this, 0);
        CompletableFuture<?> in = inner;
        if (in != null && !isDone()) {
            try {
                ConnectionWorker.awaitTask(in, false, 0);
            } catch (InterruptedException e) {
                throw new AssertionError(e); // join() waits uninterruptibly
            }
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        ConnectionWorker.helpWhileWaiting(this, 0);
        CompletableFuture<?> in = inner;
        if (in != null && !isDone()) {
            ConnectionWorker.awaitTask(in, true, 0);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = unit.toNanos(timeout);
        long start = System.nanoTime();
        ConnectionWorker.helpWhileWaiting(this, start + Math.max(1L, nanos));
        CompletableFuture<?> in = inner;
        long left = nanos - (System.nanoTime() - start);
        if (in != null && !isDone() && left > 0) {
            ConnectionWorker.awaitTask(in, true, left);
        }
        return super.get(Math.max(0L, nanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
