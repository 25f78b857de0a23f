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
 * QUEUED task marks it CANCELLED so the worker skips it. For a RUNNING task it raises {@link
 * #stopRequested()}: the engine's progress handler, called every few hundred SQLite VM
 * instructions, then aborts the running statement (and only it: unlike {@code sqlite3_interrupt},
 * a progress-handler abort leaves no connection-wide flag behind for the next statement), and the
 * engine refuses to start further statements of the task. {@link #orTimeout} sets a deadline the
 * same handler enforces; the future then fails with {@link java.sql.SQLTimeoutException}.
 *
 * @param <T> the result type
 */
final class Task<T> extends CompletableFuture<T> implements Runnable {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;

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
    private volatile boolean stop;
    private volatile long deadline;
    private volatile boolean timedOut;
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

    /** Worker: RUNNING to DONE. */
    void finish() {
        state = DONE;
    }

    /** @return true once cancel() or a timeout asked the running task to stop */
    boolean stopRequested() {
        return stop;
    }

    /** @return true if the task's deadline passed */
    boolean timedOut() {
        return timedOut;
    }

    /** Engine: the deadline in System.nanoTime() terms, 0 for none. */
    long deadline() {
        return deadline;
    }

    /** Worker: apply the configured statement timeout if the caller set no deadline. */
    void defaultDeadline(long timeoutNanos) {
        if (deadline == 0 && timeoutNanos > 0) {
            deadline = System.nanoTime() + timeoutNanos;
        }
    }

    /** Engine: the deadline passed while running. */
    void markTimedOut() {
        timedOut = true;
        stop = true;
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
            stop = true;
            STATE.compareAndSet(this, QUEUED, CANCELLED);
        }
        return cancelled;
    }

    /**
     * Sets a deadline for this operation: if it has not completed by then it is removed from the
     * queue or its running statement is aborted, and the future fails with {@link
     * java.sql.SQLTimeoutException}.
     */
    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        deadline = System.nanoTime() + nanos;
        Timeouts.schedule(this, nanos);
        return this;
    }

    /** The deadline passed (timer thread). */
    void expire() {
        if (!isDone()) {
            timedOut = true;
            stop = true;
            STATE.compareAndSet(this, QUEUED, CANCELLED);
            completeExceptionally(Errors.timeout(worker.config().database(),
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
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
