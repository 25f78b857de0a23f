package io.github.aiosqlite4j.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One unit of work queued on a {@link ConnectionWorker}, and at the same time the future handed to
 * the caller (one allocation per operation). The worker runs {@link #work}, stores the outcome and
 * hands this object to the completion executor, whose thread calls {@link #run()} to complete it.
 *
 * <p>State: QUEUED, then RUNNING while the worker executes it, then DONE. {@link #cancel} of a
 * QUEUED task marks it CANCELLED so the worker skips it; of a RUNNING task it moves it to
 * INTERRUPTING, interrupts SQLite, then INTERRUPTED; the worker, finishing the task, waits out
 * INTERRUPTING so an interrupt can never land on the next task.
 *
 * @param <T> the result type
 */
final class Task<T> extends CompletableFuture<T> implements Runnable {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;
    static final int INTERRUPTING = 4;
    static final int INTERRUPTED = 5;

    private static final AtomicIntegerFieldUpdater<Task<?>> STATE = stateUpdater();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AtomicIntegerFieldUpdater<Task<?>> stateUpdater() {
        return (AtomicIntegerFieldUpdater) AtomicIntegerFieldUpdater.newUpdater(Task.class, "state");
    }

    /** The work, run on the worker thread. */
    interface Work<T> {
        T run(Engine engine) throws Exception;
    }

    final Work<T> work;
    final ConnectionWorker worker;
    private volatile int state;
    private T result;
    private Throwable failure;

    Task(ConnectionWorker worker, Work<T> work) {
        this.worker = worker;
        this.work = work;
    }

    /** Worker: QUEUED to RUNNING; false if the task was cancelled first. */
    boolean start() {
        return STATE.compareAndSet(this, QUEUED, RUNNING);
    }

    /** Worker: RUNNING to DONE, waiting for an interrupt in flight to land first. */
    void finish() {
        if (!STATE.compareAndSet(this, RUNNING, DONE)) {
            while (state == INTERRUPTING) {
                Thread.onSpinWait();
            }
        }
    }

    /** @return true if cancel() interrupted this task while it ran */
    boolean wasInterrupted() {
        return state == INTERRUPTED;
    }

    /** Worker: record the outcome, to be published by {@link #run()}. */
    void outcome(T value, Throwable error) {
        this.result = value;
        this.failure = error;
    }

    /** Completion executor: publish the outcome recorded by the worker. */
    @Override
    public void run() {
        if (failure != null) {
            completeExceptionally(failure);
        } else {
            complete(result);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            if (!STATE.compareAndSet(this, QUEUED, CANCELLED)
                    && STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                try {
                    worker.interruptRunning();
                } finally {
                    state = INTERRUPTED;
                }
            }
        }
        return cancelled;
    }

    private void checkNotWorker() {
        if (!isDone() && worker.isWorkerThread()) {
            throw new IllegalStateException("waiting for this future on the connection's own worker"
                    + " thread would deadlock: the worker can only run its tasks one at a time."
                    + " Compose with thenCompose/thenApply instead of join()/get()");
        }
    }

    @Override
    public T join() {
        checkNotWorker();
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkNotWorker();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        checkNotWorker();
        return super.get(timeout, unit);
    }
}
