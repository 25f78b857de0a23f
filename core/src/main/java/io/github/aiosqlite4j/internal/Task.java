package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.engine.Errors;
import io.github.aiosqlite4j.internal.engine.StopSignal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * One unit of work queued on a {@link ConnectionWorker}, and at the same time the future handed to
 * the caller (one allocation per operation). The worker runs {@link #work}, stores the outcome and
 * hands this object to the completion executor, whose thread calls {@link #run()} to complete it.
 *
 * <p>No hand-off at all: a thread about to block in {@link #join()} on a task that has not
 * started, while the worker is parked and nothing else is queued, runs the work itself ({@link
 * ConnectionWorker#runHere}).
 *
 * <p>Direct hand-off: otherwise a thread blocked in {@link #join()} or {@link #get()} does not
 * wait for that executor hop. It registers itself as the {@code waiter}, spins for a few microseconds (SQLite
 * answers most point queries in that time) and then parks; the worker publishes the outcome and
 * unparks it, and the waiter completes the future on its own thread. If nothing else depends on
 * the future at that moment, the worker skips the executor entirely ({@link #handOff(boolean)}). So a
 * synchronous caller pays one queue hand-off each way and no thread wake-ups while both sides
 * spin, and callbacks still never run on the worker: they run on the executor or on the thread
 * that was waiting.
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
final class Task<T> extends CompletableFuture<T> implements Runnable, StopSignal {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;

    private static final AtomicIntegerFieldUpdater<Task<?>> STATE = stateUpdater();
    private static final AtomicReferenceFieldUpdater<Task<?>, Object> WAITER = waiterUpdater();
    /** Marks {@code waiter} once the worker has left completion to the waiting thread. */
    private static final Object HANDED_OFF = new Object();
    /**
     * The longest a waiting caller or an idle worker spins before it parks (the budget adapts
     * below it, see ConnectionWorker); 0 on a single CPU, where spinning only delays the other.
     */
    static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 1 ? 50_000 : 0;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AtomicIntegerFieldUpdater<Task<?>> stateUpdater() {
        return (AtomicIntegerFieldUpdater) AtomicIntegerFieldUpdater.newUpdater(Task.class, "state");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AtomicReferenceFieldUpdater<Task<?>, Object> waiterUpdater() {
        return (AtomicReferenceFieldUpdater) AtomicReferenceFieldUpdater.newUpdater(
                Task.class, Object.class, "waiter");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AtomicReferenceFieldUpdater<Task<?>, Runnable> afterRunUpdater() {
        return (AtomicReferenceFieldUpdater) AtomicReferenceFieldUpdater.newUpdater(
                Task.class, Runnable.class, "afterRun");
    }

    /** The work, run on the worker thread. */
    interface Work<T> {
        T run(Engine engine) throws Exception;
    }

    final Work<T> work;
    final ConnectionWorker worker;
    /** Run once if the work will never run (cancelled while queued, rejected, failed at close). */
    private final Runnable notRun;
    private volatile int state;
    private volatile boolean stop;
    private volatile long deadline;
    private volatile boolean timedOut;
    private T result;
    private Throwable failure;
    /** System.nanoTime() when the worker published the outcome (read after published). */
    private long publishedAt;
    /** System.nanoTime() when the task was queued. */
    final long submittedAt = System.nanoTime();
    /**
     * A one-shot read's SQL ({@code executeFetchAll}), which may share a read transaction with the
     * reads queued beside it ({@link ConnectionWorker}'s {@code runReads}); null for any other
     * task. Set before the task is queued.
     */
    String readSql;
    /**
     * When the request behind this task was made, in System.nanoTime() terms: {@link
     * #submittedAt}, or a pool request's own time, set by the worker that takes the task ({@link
     * ConnectionWorker#readRequested}). A shared read transaction only takes tasks requested
     * before its snapshot.
     */
    long since = submittedAt;
    /** The pool has more requests waiting behind this one (see {@link #since}). */
    boolean moreBehind;
    /** Written after result and failure: once true, they are safe to read from any thread. */
    private volatile boolean published;
    /**
     * The close future: completes only after every future of the connection finished before it
     * ("close() returns when the queue is empty"), and after the thread of a configured factory
     * ended. A thread waiting for it waits for the completer, unless it is the completer itself.
     */
    private final boolean inOrder;
    /**
     * The open future: its work, the open, is the worker's own (not {@link #work}), and a caller
     * blocked on it may still run it ({@link ConnectionWorker#runHere}). Set at creation.
     */
    final boolean opening;
    /** Set before the task is handed to the worker; see {@link #onUnclaimed}. */
    private java.util.function.Consumer<? super T> unclaimed;
    /** null, the one thread waiting in join()/get(), or HANDED_OFF. */
    private volatile Object waiter;
    /**
     * Never held back for a batch ({@link ConnectionWorker#HOLD_MAX}): a cursor's fetch, whose
     * consumer is streaming. Its next fetch is what is queued behind it, and holding this one
     * until that is read would stall the stream on every chunk (W9 at chunk 64: 0.45-0.62 of the
     * sync loop held, 0.61-0.98 not). Set before the task is queued.
     */
    boolean deliverAtOnce;
    /**
     * A pool read's own task, whose dependent is the pool's: a thread waiting for it may complete
     * it even with that dependent ({@link #handOff}). Dependents are otherwise completed by the
     * completer, to keep one connection's callbacks in order, which means nothing to reads spread
     * over a pool's readers.
     */
    volatile boolean unordered;
    /** null, the action to run once the work has run (or never will), or {@link #RAN}. */
    private volatile Runnable afterRun;
    private static final Runnable RAN = () -> { };
    private static final AtomicReferenceFieldUpdater<Task<?>, Runnable> AFTER_RUN = afterRunUpdater();

    Task(ConnectionWorker worker, Work<T> work, Runnable notRun) {
        this(worker, work, notRun, false, false);
    }

    private Task(ConnectionWorker worker, Work<T> work, Runnable notRun, boolean inOrder,
            boolean opening) {
        this.worker = worker;
        this.work = work;
        this.notRun = notRun;
        this.inOrder = inOrder;
        this.opening = opening;
    }

    /**
     * A caller about to block uninterruptibly on this task (its join(), or a pool request's that
     * runs as this task): runs it on this thread if the worker is parked and nothing is queued
     * before it ({@link ConnectionWorker#runHere}); for the open and the close futures, the open
     * or the close itself ({@link ConnectionWorker#closeHere}).
     *
     * @return true if it ran here and is complete
     */
    boolean runHere() {
        return !Thread.currentThread().isInterrupted()
                && (inOrder ? worker.closeHere(this) : worker.runHere(this));
    }

    /** {@return a connection's close future; see {@link #inOrder}} */
    static Task<Void> closeFuture(ConnectionWorker worker) {
        return new Task<>(worker, null, null, true, false);
    }

    /** {@return a connection's open future; see {@link #opening}} */
    static <C> Task<C> openFuture(ConnectionWorker worker) {
        return new Task<>(worker, null, null, false, true);
    }

    /** {@return System.nanoTime() when the outcome was published (after {@link #outcome})} */
    long publishedAt() {
        return publishedAt;
    }

    /** Fails a task whose work never started (rejected at submit, or still queued at close). */
    void abort(Throwable error) {
        dequeued();
        completeExceptionally(error);
    }

    private void dequeued() {
        if (STATE.compareAndSet(this, QUEUED, CANCELLED)) {
            if (notRun != null) {
                notRun.run();
            }
            ran();
        }
    }

    /**
     * Runs {@code action} once this task's work has run, on the worker thread right after it ran
     * (before the future completes, which takes the completion executor); or, if the work will
     * never run (cancelled while queued, rejected, failed at close), on the thread that found
     * that out; or at once on the caller's thread if either has already happened. Lets the pool
     * hand a reader to the next request without waiting for the completion hop. Internal actions
     * only: nothing of the user's may run on the worker. At most one action per task.
     */
    void afterRun(Runnable action) {
        if (!AFTER_RUN.compareAndSet(this, null, action)) {
            action.run();
        }
    }

    /** The work has run, or never will: runs the {@link #afterRun} action, once. */
    void ran() {
        Runnable action = AFTER_RUN.getAndSet(this, RAN);
        if (action != null && action != RAN) {
            action.run();
        }
    }

    /** Worker: QUEUED to RUNNING; false if the task was cancelled first. */
    boolean start() {
        return STATE.compareAndSet(this, QUEUED, RUNNING);
    }

    /** Worker: RUNNING to DONE. */
    void finish() {
        state = DONE;
    }

    /** {@return true once cancel() or a timeout asked the running task to stop} */
    @Override
    public boolean stopRequested() {
        return stop;
    }

    /** {@return true if the task's deadline passed} */
    @Override
    public boolean timedOut() {
        return timedOut;
    }

    /** Engine: the deadline in System.nanoTime() terms, 0 for none. */
    @Override
    public long deadline() {
        return deadline;
    }

    /** Worker: apply the configured statement timeout if the caller set no deadline. */
    void defaultDeadline(long timeoutNanos) {
        if (deadline == 0 && timeoutNanos > 0) {
            deadline = System.nanoTime() + timeoutNanos;
        }
    }

    /** Engine: the deadline passed while running. */
    @Override
    public void markTimedOut() {
        timedOut = true;
        stop = true;
    }

    /** Worker: record the outcome, to be published by {@link #run()}. */
    void outcome(T value, Throwable error) {
        this.result = value;
        this.failure = error;
        this.publishedAt = System.nanoTime();
        this.published = true;
    }

    /**
     * Worker, after {@link #outcome}: wakes a thread waiting in join()/get(); that thread then
     * completes the future itself, never needing the completion executor (which it may be
     * blocking: a callback that joins another future of its own connection). Returns true if the
     * executor is not needed at all: {@code exclusive} (no earlier task still waits for the
     * executor) and nothing else depended on the future when the worker looked. A dependent
     * registered after that look runs on the waiting thread, which is never the worker.
     */
    boolean handOff(boolean exclusive) {
        Object w = waiter;
        if (!(w instanceof Thread)) {
            return false;
        }
        if (exclusive && (unordered || getNumberOfDependents() == 0)
                && WAITER.compareAndSet(this, w, HANDED_OFF)) {
            LockSupport.unpark((Thread) w);
            return true;
        }
        LockSupport.unpark((Thread) w);
        return false;
    }

    /** Completion executor: publish the outcome recorded by the worker. */
    @Override
    public void run() {
        if (inOrder) {
            worker.beforeClosed();
        }
        if (failure != null) {
            completeExceptionally(failure);
        } else if (!complete(result) && unclaimed != null && result != null && isCancelled()) {
            unclaimed.accept(result); // the caller cancelled first: nobody will get this result
        }
    }

    /** Sets what to do with a successful result that arrives after the future was cancelled. */
    void onUnclaimed(java.util.function.Consumer<? super T> action) {
        this.unclaimed = action;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            stop = true;
            dequeued();
            wakeWaiter();
        }
        return cancelled;
    }

    @Override
    public boolean complete(T value) {
        boolean done = super.complete(value);
        wakeWaiter();
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        wakeWaiter();
        return done;
    }

    private void wakeWaiter() {
        Object w = waiter;
        if (w instanceof Thread && w != Thread.currentThread()) {
            LockSupport.unpark((Thread) w);
        }
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
            dequeued();
            completeExceptionally(Errors.timeout(worker.config().database(),
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /**
     * A wait on the connection's own worker thread: from a callback it runs between tasks (with a
     * completion executor that runs jobs in place), the worker runs its queue up to this task
     * ({@link ConnectionWorker#helpUntil}); from inside a task's work (a transaction body, a SQL
     * function) that would mean running a task inside another, so it is refused. On another
     * connection's worker, that worker runs its own queue while it waits, until {@code deadline}
     * (System.nanoTime(), 0 for none).
     */
    private void checkNotWorker(long deadline) {
        if (!isDone() && worker.isWorkerThread() && !worker.helpUntil(this)) {
            throw new IllegalStateException("waiting for this future on the connection's own worker"
                    + " thread would deadlock: the worker can only run its tasks one at a time."
                    + " Compose with thenCompose/thenApply instead of join()/get()");
        }
        ConnectionWorker.helpWhileWaiting(this, deadline); // on another connection's worker: keep it running
    }

    /** {@return true once the worker recorded the outcome ({@link #outcome})} */
    boolean isPublished() {
        return published;
    }

    @Override
    public T join() {
        checkNotWorker(0L);
        if (!isDone()) {
            // join() waits uninterruptibly anyway: with the worker idle, run the work right here
            // (not in get(), whose wait an interrupt must be able to end).
            if (runHere()) {
                return super.join();
            }
            boolean interrupted = false;
            while (true) {
                int r = await(0L);
                if (r != INTERRUPTED) {
                    break;
                }
                interrupted = true; // join() is not interruptible; restore the flag at the end
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkNotWorker(0L);
        if (!isDone()) {
            if (await(0L) == INTERRUPTED) {
                throw new InterruptedException();
            }
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + Math.max(1L, unit.toNanos(timeout));
        checkNotWorker(deadline);
        if (!isDone()) {
            int r = await(deadline);
            if (r == INTERRUPTED) {
                throw new InterruptedException();
            }
            if (r == TIMED_OUT) {
                return super.get(0L, TimeUnit.NANOSECONDS); // throws TimeoutException unless done
            }
            if (r == OTHER_WAITER) {
                return super.get(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        return super.get();
    }

    private static final int COMPLETED = 0;
    private static final int INTERRUPTED = 1;
    private static final int TIMED_OUT = 2;
    private static final int OTHER_WAITER = 3;

    /**
     * Waits until this future is complete, completing it from the published outcome on the calling
     * thread when the worker has finished. Registers the caller as the waiter; if another thread
     * already is, falls back to the JDK's own waiting (returns OTHER_WAITER, the caller then blocks
     * in super's method).
     *
     * @param deadline System.nanoTime() deadline, 0 for none
     * @return COMPLETED (the future is done), INTERRUPTED, TIMED_OUT or OTHER_WAITER
     */
    private int await(long deadline) {
        Thread me = Thread.currentThread();
        if (inOrder && !worker.isCompleterThread()
                && me instanceof java.util.concurrent.ForkJoinWorkerThread) {
            // May have to wait for the completer: wait the JDK's way (managed blocking, so the
            // pool adds a spare thread that can run the completer).
            return OTHER_WAITER;
        }
        if (!WAITER.compareAndSet(this, null, me)) {
            return OTHER_WAITER;
        }
        long start = System.nanoTime();
        long spinUntil = SPIN_NANOS > 0 && ConnectionWorker.callerSpinAllowed()
                ? start + worker.callerSpinNanos() : 0;
        while (true) {
            if (published && (!inOrder || waiter == HANDED_OFF || worker.isCompleterThread())) {
                // Ours to complete. An in-order future only when the worker handed it over (no
                // earlier completion pending) or on the completer's own thread; otherwise the
                // completer completes it after the earlier ones and complete() wakes us.
                if (SPIN_NANOS > 0) {
                    // How long spinning would have had to last, wake-up delays left out.
                    worker.callerWaited(publishedAt - start);
                }
                run();
                return COMPLETED;
            }
            if (isDone()) {
                WAITER.compareAndSet(this, me, null);
                return COMPLETED;
            }
            if (spinUntil != 0) {
                if (System.nanoTime() - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                spinUntil = 0;
            }
            int stopped = 0;
            if (deadline == 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    stopped = TIMED_OUT;
                } else {
                    LockSupport.parkNanos(this, left);
                }
            }
            if (stopped == 0 && Thread.interrupted()) {
                stopped = INTERRUPTED;
            }
            if (stopped != 0) {
                if (WAITER.compareAndSet(this, me, null)) {
                    return stopped;
                }
                // The worker handed completion to us (it published first): finish the job.
                run();
                if (stopped == INTERRUPTED) {
                    me.interrupt();
                }
                return COMPLETED;
            }
        }
    }
}
