package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.internal.engine.CancellationGate;
import io.github.aiosqlite4j.internal.engine.Connector;
import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker thread of one connection, and the only primitive every asynchronous method is built
 * on: {@link #submit(Task.Work)}.
 *
 * <h2>Design</h2>
 *
 * <p>SQLite connections are not safe to drive from several threads at once, and sqlite-jdbc
 * serialises every native call of a connection on one monitor anyway. So each connection gets one
 * platform thread (never virtual: JNI calls pin the carrier) and a FIFO queue. The thread is a
 * daemon: a forgotten connection never keeps the JVM alive (the exit hang Python's aiosqlite 0.22
 * users hit). Durability does not depend on the thread: SQLite rolls back what was not committed,
 * and keeps what was. For the work that was acknowledged <em>to be done</em>, a JVM shutdown hook
 * lets every open connection drain its queue for a grace period, then interrupts and closes it.
 *
 * <p>A parked worker idle for {@code workerKeepAlive} gives its pooled thread back ({@link
 * #detach}): the connection stays parked, and the next {@link #wake} starts the loop on a pooled
 * thread again ({@link Attachment}), so idle connections hold no thread. One thread at a time
 * owns the loop: whoever moves {@link #attached} from DETACHED to ATTACHED.
 *
 * <p>The queue is a lock-free {@link ConcurrentLinkedQueue} plus a counter that enforces the
 * bound: a full queue fails the new future at once, it never blocks the caller (who may be an
 * event loop). The worker polls; when the queue is empty it parks, after publishing {@code
 * parked}; producers unpark it only when that flag is set, so the common path is one CAS to
 * enqueue and no syscall. Each {@link Task} is also the caller's future: the worker runs it and
 * stores the outcome. A caller blocked in join()/get() is woken directly and completes its own
 * future, even ahead of earlier completions (waiting for them could deadlock a callback that
 * joins). Any other finished task goes on a second queue, drained by one job at a time on the
 * completion executor, which completes tasks in the order they finished (the close future too,
 * always last): one executor submission per burst instead of one per operation. The idle worker,
 * a blocked caller and that job spin before they park or give their thread back, each within a
 * budget that re-arms after waits short enough to catch and halves after long ones, so a caller
 * that awaits each result, or a stream, pays no thread wake-up, and a loaded machine is not
 * burnt. And nobody spins once our own running threads fill the CPUs ({@link #ACTIVE}): two busy
 * pool readers and a completer on two cores would otherwise take turns spinning on the CPU the
 * awaited thread needs. While more work is queued behind a finished task, the worker holds it
 * back for a batch (up to {@link #HOLD_MAX} tasks or {@link #HOLD_NANOS}, never behind a long
 * statement: the progress handler flushes), so concurrent callers pay one executor wake-up per
 * batch rather than per operation; only with a {@link java.util.concurrent.ForkJoinPool}, which
 * never runs a job on the submitting thread (the flush may come from inside SQLite). A caller
 * about to block in {@code join()} on a task the parked worker has not started runs it itself
 * ({@link #runHere}): the connection is that thread's alone meanwhile ({@link #runs}). The same
 * holds for the open, until the loop's thread has started on it (a connection starts parked),
 * and for the close ({@link #closeHere}), so that {@code connect().join()} and {@code close()}
 * cost no thread wake-up on the caller's path. User
 * callbacks never run on the SQLite thread unless the user chose {@code Runnable::run}; such a
 * callback that joins another task of its connection makes the worker run its queue up to that
 * task ({@link #helpUntil}) instead of deadlocking. Nothing depends on the executor running the job it accepted (see {@link
 * #watchPending}): a shut-down or refusing executor makes the worker complete the tasks itself,
 * and a job that does not start within {@link #COMPLETION_STALL_NANOS} is replaced by one on the
 * JDK's async pool; the first to claim the job's place completes. Threads of the default factory
 * are pooled ({@link WorkerThreads}): a closed connection's thread waits a second for the next
 * connection, because starting a thread costs more than opening SQLite.
 *
 * <p>Cancellation: a queued task is marked and skipped; a running one is asked to stop, and the
 * engine's always-installed progress handler ({@link CancellationGate}) aborts its statement
 * within a few hundred VM instructions. That abort is per statement, unlike {@code sqlite3_interrupt}, whose flag stays
 * set while any other statement of the connection is active and would hit the next task too.
 * {@code sqlite3_interrupt} remains for the user's {@code interrupt()} and for JVM shutdown;
 * {@link #interruptRunning()} and the close of the native handle are mutually exclusive, so an
 * interrupt never touches a freed handle.
 *
 * <p>Close: {@link #closeAsync()} sets {@code closeRequested}, so new submissions fail at once; the
 * worker runs what is queued, closes the database, ends its loop and fails anything that raced in
 * after the flag. {@link OpenConnections} watches the user-facing connection object (if it
 * becomes unreachable while open, a warning with the stack of where it was opened is logged and
 * the connection is closed; the worker never references that object, so it can be collected) and
 * drains every open connection at JVM exit.
 */
public final class ConnectionWorker implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");
    /** Tasks one completer run completes before it yields its executor thread. */
    private static final int COMPLETION_BATCH = 256;
    /** {@link #completerState}: no completer. */
    private static final int IDLE = 0;
    /** {@link #completerState}: a completion job was handed to an executor and has not started. */
    private static final int SCHEDULED = 1;
    /** {@link #completerState}: one thread is completing tasks. */
    private static final int RUNNING = 2;
    /**
     * How long a completion job may wait to start before the connection stops waiting for it: it
     * may have been dropped (a {@code DiscardPolicy} on a full queue, an executor that drops) or
     * the executor may be starved; either way a new job goes to the JDK's async pool.
     */
    public static final long COMPLETION_STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Spinning. A caller that awaits each result submits its next operation within microseconds,
     * and a parked thread takes tens of microseconds to wake, so the idle worker and a caller
     * blocked in join() spin before they park, each within a budget that adapts to what waiting
     * has been like: after each wait, if the awaited event came within {@link Task#SPIN_NANOS}
     * (spinning did or would have caught it), the budget goes back to that maximum; if it came
     * later (spinning was wasted, or the machine is so loaded that the other thread was not
     * running), the budget halves, down to {@link #MIN_SPIN_NANOS}. No spinning at all on a
     * single CPU. The budgets are racy hints.
     */
    static final long MIN_SPIN_NANOS = 1_000;
    private long workerSpinNanos = Task.SPIN_NANOS; // worker thread only
    /** Worker only: the last task was awaited by a blocked caller; see {@link #deliver}. */
    private boolean callerBlocks;
    /**
     * Holding completions back: while more work is queued behind a finished task, the worker
     * puts it on {@link #completed} without scheduling a completion job, so that one job (one
     * executor wake-up) completes a batch instead of one. Up to this many tasks...
     */
    static final int HOLD_MAX = 32;
    /**
     * ...and for at most this long from the first of them: checked before each next task and, so
     * that a long statement does not keep finished results waiting, by the progress handler
     * while it runs ({@link CancellationGate#whileHolding}).
     */
    static final long HOLD_NANOS = 100_000;
    /**
     * Shared read transactions ({@link #runReads}): at most this many reads in one...
     */
    static final int SHARED_READS_MAX = 64;
    /**
     * ...and, unless the connection was opened in WAL mode, no read joins it once it has been
     * open this long: on a rollback-journal file it holds a SHARED lock, which a writer's commit
     * (from another connection or process) waits for. In WAL mode readers never hold a writer up.
     */
    static final long SHARED_READ_NANOS = 1_000_000;
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    /**
     * Threads of ours on a CPU right now, across all connections: workers that are not parked
     * (running or spinning) and completion jobs. Spinning only pays while a CPU is free for the
     * thread it waits for; once our threads alone fill the CPUs, a spinner takes the CPU from the
     * very thread that would end its wait. So nobody spins then (see {@link #spinAllowed}).
     * Updated only when a thread parks, wakes, starts or ends, never per task.
     */
    private static final AtomicInteger ACTIVE = new AtomicInteger();

    /** {@return whether one of our running threads (counted in {@link #ACTIVE}) may spin} */
    static boolean spinAllowed() {
        return ACTIVE.get() <= CPUS;
    }

    /** {@return whether a caller's thread (not counted in {@link #ACTIVE}) may spin} */
    static boolean callerSpinAllowed() {
        return ACTIVE.get() < CPUS;
    }

    /**
     * Completions held back (worker only): finished tasks put on {@link #completed} without a
     * completion job scheduled, because more work is queued behind them. See {@link #deliver}.
     */
    private int held;
    /** When the first of the {@link #held} tasks finished. */
    private long heldSince;
    /** Whether finished tasks may be held back: the completion executor runs jobs elsewhere. */
    private final boolean mayHold;
    private final Runnable flushOverdue = this::flushOverdue;
    private volatile long callerSpinNanos = Task.SPIN_NANOS;

    /** {@return how long a caller blocked on one of this connection's futures spins first} */
    long callerSpinNanos() {
        return callerSpinNanos;
    }

    /** A caller's wait for a result took this long. */
    void callerWaited(long nanos) {
        callerSpinNanos = adapt(callerSpinNanos, nanos);
    }

    private static long adapt(long budget, long waited) {
        return waited <= Task.SPIN_NANOS ? Task.SPIN_NANOS : Math.max(MIN_SPIN_NANOS, budget / 2);
    }

    private final SqliteConfig config;
    private final Executor completion;
    private final long statementTimeoutNanos;
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
    /** Finished tasks waiting for the completion executor, in the order they finished. */
    private final ConcurrentLinkedQueue<Task<?>> completed = new ConcurrentLinkedQueue<>();
    /** {@link #IDLE}, {@link #SCHEDULED} or {@link #RUNNING}: see {@link #completeFinished}. */
    private final AtomicInteger completerState = new AtomicInteger(IDLE);
    /** A completion job, as handed to an executor; it does nothing unless it claims the state. */
    private final Runnable completer = this::runScheduled;
    /** When the {@link #SCHEDULED} job was handed off, in System.nanoTime() terms. */
    private volatile long handedOffAt;
    /** A thread waiting for the {@link #SCHEDULED} job to start; see {@link #watchLastCompletion}. */
    private volatile Thread startWatcher;
    /** Whether a completion job that never started was reported (once per connection). */
    private volatile boolean lossReported;
    /** The thread running {@link #completeFinished}, or null. */
    private volatile Thread completerThread;
    private final AtomicInteger pending = new AtomicInteger();
    /** The thread running this connection: set when the loop starts, null before and after. */
    private volatile Thread thread;
    /**
     * How long the parked worker keeps its pooled thread before giving it back ({@link #detach});
     * 0: never (a configured factory's thread, or workerKeepAlive zero).
     */
    private final long keepAliveNanos;
    /**
     * {@link #ATTACHED} while a thread owns the loop (running, spinning or parked), {@link
     * #DETACHED} once it gave its thread back: the next {@link #wake} starts the loop on a pooled
     * thread again. Whoever moves it from DETACHED to ATTACHED owns the loop.
     */
    private final AtomicInteger attached = new AtomicInteger(ATTACHED);
    private static final int ATTACHED = 0;
    private static final int DETACHED = 1;
    /** A thread from the configured factory, ended with the connection; null for pooled threads. */
    private final Thread ownThread;
    private final String threadName;
    /** Counted down when this connection's loop has returned. */
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private final Engine engine;
    /** Whether the connection was opened in WAL mode: see {@link #SHARED_READ_NANOS}. */
    private final boolean wal;
    /** Until the open is delivered; then null, so the worker keeps no path to the connection. */
    private Task<AsyncConnection> opened = Task.openFuture(this);
    private final Task<Void> closed = Task.closeFuture(this);
    private final Object nativeLock = new Object();
    private final Throwable openSite;
    /**
     * Whether the loop is parked (or not started yet): then a caller may take the connection for
     * a task ({@link #runHere}), the open, or the close ({@link #closeHere}).
     */
    private volatile boolean parked = true;
    /**
     * Who may run this connection's work: {@link #WORKER} while the worker loop is awake, {@link
     * #FREE} while it is parked (a blocked caller may then run its own task, {@link #runHere}),
     * {@link #CALLER} while one does.
     */
    private final AtomicInteger runs = new AtomicInteger(FREE); // FREE until the loop starts
    private static final int WORKER = 0;
    private static final int FREE = 1;
    private static final int CALLER = 2;
    /** The caller running a task in the worker's place, or null. */
    private volatile Thread runner;
    /**
     * The loop's current stretch on a pooled thread ({@link Attachment}), or null: {@link
     * #closeHere} frees its thread early.
     */
    private volatile Attachment attachment;
    /** Set once a caller closed the database ({@link #closeHere}): the loop only ends. */
    private volatile boolean closedByCaller;
    /** Set by the worker before it parks to wait for a {@link #CALLER} to give the connection back. */
    private volatile boolean reclaimWaiting;
    /**
     * The thread that last ran a task itself ({@link #runHere}), while it keeps doing so: its
     * submissions do not wake the worker, which meanwhile parks for at most {@link #lookNanos}
     * at a time, so a task that thread queues and does not join still runs within that time.
     * Cleared by the worker {@link #SYNC_CALLER_IDLE_NANOS} after that thread last ran a task.
     */
    private volatile Thread syncCaller;
    /** When {@link #syncCaller} last ran a task here, in System.nanoTime() terms. */
    private volatile long syncCallerRanAt;
    /**
     * See {@link #syncCaller}: the shortest period of the worker's looks; a task queued longer
     * than half of it is taken at a look ({@link #leftToSyncCaller}).
     */
    static final long SYNC_CALLER_NANOS = 50_000;
    /**
     * The longest period of those looks. Each look that finds nothing left to the worker (its
     * caller joins what it queues) doubles the period up to this; running a task brings it back
     * to {@link #SYNC_CALLER_NANOS}. A look wakes a thread: every 50 µs, beside busy processes,
     * those wake-ups took the CPU from the very caller running its tasks (benchmarks/README,
     * decision 22).
     */
    static final long SYNC_LOOK_MAX_NANOS = 400_000;
    /**
     * How long after its last task run here a {@link #syncCaller} is forgotten. Long against a
     * scheduler's time slice: beside busy processes that caller may be off its CPU for some
     * milliseconds between two tasks, and once forgotten its next submissions woke the worker,
     * which then took the task (and a CPU) from it. Looks cost at most 25 wake-ups meanwhile.
     */
    static final long SYNC_CALLER_IDLE_NANOS = 10_000_000;
    /** Worker only: the current period of its looks for a {@link #syncCaller}. */
    private long lookNanos = SYNC_CALLER_NANOS;
    private volatile boolean closeRequested;
    private volatile boolean terminated;
    /** Set at JVM shutdown once the grace period is over: queued work is failed, not run. */
    private volatile boolean abandoned;
    private volatile boolean nativeOpen;
    private volatile Task<?> current;
    /** The pool that closes this connection at JVM shutdown, or null; see {@link #ownedBy}. */
    private volatile WeakReference<SqlitePool> owner;

    private ConnectionWorker(SqliteConfig config) {
        this.config = config;
        this.wal = config.journalMode() == SqliteConfig.JournalMode.WAL;
        this.completion = config.completionExecutor();
        this.mayHold = completion instanceof java.util.concurrent.ForkJoinPool && Task.SPIN_NANOS > 0;
        this.statementTimeoutNanos = config.statementTimeout().toNanos();
        this.engine = new Engine(config);
        this.openSite = new Throwable("connection to '" + config.database() + "' opened here");
        ThreadFactory factory = config.threadFactory();
        if (factory == null) {
            this.ownThread = null;
            this.threadName = WorkerThreads.nextName();
            this.keepAliveNanos = config.workerKeepAlive().toNanos();
        } else {
            Thread t = factory.newThread(this);
            if (t == null) {
                throw new IllegalStateException("the configured threadFactory returned null");
            }
            this.ownThread = t;
            this.threadName = null;
            this.keepAliveNanos = 0;
        }
    }

    /**
     * Starts a worker and opens the database on it.
     *
     * @param config the settings
     * @return a future completed with the connection on the completion executor
     */
    public static CompletableFuture<AsyncConnection> open(SqliteConfig config) {
        ConnectionWorker worker = new ConnectionWorker(config);
        OpenConnections.add(worker);
        Task<AsyncConnection> result = worker.opened;
        // The caller cancelled connect() before the result was published: close what opened.
        result.onUnclaimed(AsyncConnection::closeAsync);
        try {
            if (worker.ownThread != null) {
                worker.ownThread.start();
            } else {
                worker.startLoop();
            }
        } catch (Throwable t) {
            OpenConnections.remove(worker);
            throw t;
        }
        return result;
    }

    /** {@return the SQLite library version} */
    public static String sqliteVersion() {
        return Connector.libraryVersion();
    }

    // ---------------------------------------------------------------------------------------
    // Submission

    /**
     * Queues work. Never blocks.
     *
     * @param work what to run on the worker
     * @param <T> the result type
     * @return the task, which is the future the caller gets
     */
    <T> Task<T> submit(Task.Work<T> work) {
        return submit(work, null);
    }

    /**
     * Queues work, with a hook for when it will never run.
     *
     * @param work what to run on the worker
     * @param notRun run once if the work never starts: rejected here, cancelled while queued,
     *     or failed at close; may be null
     * @param <T> the result type
     * @return the task, which is the future the caller gets
     */
    <T> Task<T> submit(Task.Work<T> work, Runnable notRun) {
        return submit(work, notRun, false);
    }

    /**
     * Queues work, with a hook for when it will never run.
     *
     * @param work what to run on the worker
     * @param notRun run once if the work never starts: rejected here, cancelled while queued,
     *     or failed at close; may be null
     * @param streaming a cursor's fetch: its result is never held back for a batch ({@link
     *     Task#deliverAtOnce})
     * @param <T> the result type
     * @return the task, which is the future the caller gets
     */
    <T> Task<T> submit(Task.Work<T> work, Runnable notRun, boolean streaming) {
        return submit(work, notRun, streaming, null);
    }

    /**
     * Queues a one-shot read ({@code executeFetchAll}): it may share a read transaction with the
     * reads queued beside it ({@link #runReads}).
     *
     * @param sql its SQL
     */
    <T> Task<T> submitRead(Task.Work<T> work, String sql) {
        return submit(work, null, false, sql);
    }

    private <T> Task<T> submit(Task.Work<T> work, Runnable notRun, boolean streaming, String readSql) {
        Task<T> task = new Task<>(this, work, notRun);
        task.deliverAtOnce = streaming;
        task.readSql = readSql;
        if (closeRequested) {
            task.abort(Errors.closed(config.database()));
            return task;
        }
        if (pending.incrementAndGet() > config.queueCapacity()) {
            pending.decrementAndGet();
            task.abort(Errors.queueFull(config.database(), config.queueCapacity()));
            return task;
        }
        queue.offer(task);
        if (parked && (syncCaller != Thread.currentThread() || attached.get() == DETACHED)) {
            wake(); // (a detached loop looks at nothing by itself, not even for a sync caller)
        }
        // else: this thread ran its last task itself (runHere) and will most likely join this
        // one too, so the worker is not woken for it; the worker's short timed park (see loop)
        // picks it up within SYNC_LOOK_MAX_NANOS if it does not.
        if (terminated && queue.remove(task)) {
            // Raced with close: the worker has finished its final drain.
            task.abort(Errors.closed(config.database()));
        }
        return task;
    }

    /**
     * Returns true when the caller runs on that connection's worker thread.
     *
     * @param connection a connection {@link io.github.aiosqlite4j.AioSqlite#connect} opened
     * @return true when the caller runs on that connection's worker thread
     */
    public static boolean isWorkerThreadOf(AsyncConnection connection) {
        return connection instanceof DefaultAsyncConnection
                && ((DefaultAsyncConnection) connection).worker().isWorkerThread();
    }

    /** {@return true when the caller runs on this connection's worker thread} */
    boolean isWorkerThread() {
        Thread me = Thread.currentThread();
        return me == thread || me == runner;
    }

    /** {@return the configuration} */
    SqliteConfig config() {
        return config;
    }

    /** {@return whether close was requested} */
    boolean isCloseRequested() {
        return closeRequested;
    }

    /** {@return the worker-side engine; only to be touched on the worker thread} */
    Engine engine() {
        return engine;
    }

    /** Calls sqlite3_interrupt if the database is open. Safe from any thread. */
    void interruptRunning() {
        synchronized (nativeLock) {
            if (nativeOpen) {
                engine.interrupt();
            }
        }
    }

    /** Interrupts the running task, whatever it is (the user's {@code interrupt()}). */
    void interruptNow() {
        if (current != null) {
            interruptRunning();
        }
    }

    /**
     * Requests close: no new work is accepted; queued work runs first. Idempotent.
     *
     * @return a future completed when the database is closed and the thread is released (a
     *     thread of a configured factory has ended; a pooled one is idle or ended)
     */
    CompletableFuture<Void> closeAsync() {
        if (!closeRequested) {
            closeRequested = true;
            wake();
        }
        return closed;
    }

    // ---------------------------------------------------------------------------------------
    // The worker loop

    /** A configured factory's thread: opens, runs and closes the connection. */
    @Override
    public void run() {
        runLoop();
    }

    /**
     * One stretch of the loop on one thread: from the open (or from the {@link #wake} that ended
     * a detachment) to the close (or to the next {@link #detach}).
     *
     * @return true if the connection closed here, false if the thread was given back
     */
    private boolean runLoop() {
        Thread me = Thread.currentThread();
        if (threadName != null) {
            me.setName(threadName);
        }
        enter(me);
        boolean detached = false;
        try {
            // Starting or resuming after a detach, the connection was left parked: a caller may
            // be running a task of its own (runHere), the open, or the close (closeHere).
            reclaim();
            parked = false;
            if (opened != null) { // the open is still this thread's to run
                if (!openDatabase(false)) {
                    return true;
                }
            } else if (terminated) {
                return true; // a caller ran the open and it failed, or closed the database
            }
            try {
                detached = !loop();
            } finally {
                if (!detached) {
                    shutdownOnWorker();
                }
            }
        } finally {
            if (!detached) { // a detached loop has left already (see detach)
                leave();
                ended.countDown();
            }
        }
        return !detached;
    }

    /** This thread now owns the loop. */
    private void enter(Thread me) {
        thread = me;
        RUNNING_HERE.set(this);
        ACTIVE.incrementAndGet();
    }

    /** This thread no longer owns the loop. */
    private void leave() {
        ACTIVE.decrementAndGet();
        RUNNING_HERE.remove();
        thread = null;
    }

    /** Starts (or resumes) the loop on a pooled thread. */
    private void startLoop() {
        Attachment a = new Attachment();
        attachment = a;
        WorkerThreads.start(a);
    }

    /** The loop on a pooled thread ({@link WorkerThreads}), told when that thread is free again. */
    private final class Attachment extends WorkerThreads.Job {
        /** Whether this stretch of the loop closed the connection. */
        private boolean closedHere;

        @Override
        public void run() {
            closedHere = runLoop();
        }

        /** The loop returned and its thread is idle (or ending): deliver the close, if it closed. */
        @Override
        void released() {
            if (closedHere) {
                deliverClosed();
            }
        }
    }

    /**
     * Wakes the loop for new work or a close: unparks its thread, or, if it gave the thread back,
     * starts it on a pooled thread again.
     */
    private void wake() {
        if (attached.get() == DETACHED) {
            if (attached.compareAndSet(DETACHED, ATTACHED)) {
                startLoop();
            }
            return;
        }
        LockSupport.unpark(thread); // null while a detach is under way: it looks at the queue after
    }

    /**
     * The parked worker's thread, idle for {@link #keepAliveNanos}, leaves the loop: unless
     * something is left for it to do or watch. The connection stays as it is: parked, and {@link
     * #runs} FREE, so a caller can still run its own task ({@link #runHere}); the next {@link
     * #wake} starts the loop on a pooled thread.
     *
     * @return true if this thread has left the loop
     */
    private boolean detach() {
        if (closeRequested || held > 0 || !queue.isEmpty() || !completed.isEmpty()
                || completerState.get() != IDLE || syncCaller != null) {
            return false;
        }
        leave();
        attached.set(DETACHED);
        if ((queue.isEmpty() && !closeRequested) || !attached.compareAndSet(DETACHED, ATTACHED)) {
            return true; // nothing came, or whoever brought it started the loop elsewhere
        }
        enter(Thread.currentThread()); // work came while leaving, and this thread took the loop back
        return false;
    }

    /**
     * Opens the database and publishes the outcome on the open future: on the worker, which
     * delivers it; or on a caller blocked on that future ({@code here}, {@link #runHere}), which
     * completes it once it has given the connection back.
     *
     * @return true if the database is open
     */
    private boolean openDatabase(boolean here) {
        Task<AsyncConnection> result = opened;
        opened = null;
        try {
            engine.open();
            synchronized (nativeLock) {
                nativeOpen = true;
            }
        } catch (Throwable e) {
            terminated = true;
            closeRequested = true;
            OpenConnections.remove(this);
            closed.complete(null);
            result.outcome(null, e);
            if (!here) {
                deliver(result);
                watchLastCompletion();
            }
            return false;
        }
        DefaultAsyncConnection connection = new DefaultAsyncConnection(this);
        OpenConnections.watch(connection, this, openSite);
        result.outcome(connection, null);
        if (!here) {
            deliver(result);
        }
        return true;
    }

    /** {@return true when the connection closes, false when the thread was given back ({@link #detach})} */
    private boolean loop() {
        long idleSince = 0; // when the queue was last found empty; 0 while busy
        while (true) {
            Task<?> task = queue.poll();
            if (task == null && held > 0) {
                flushHeld(); // nothing left to run: hand the held results over now
            }
            boolean callerRunsNext = callerBlocks;
            callerBlocks = false;
            // (No spinning either while a caller runs its own tasks: it does not wake us for
            // them, and spinning would only keep it from taking the connection.)
            if (task == null && Task.SPIN_NANOS > 0 && !closeRequested && !callerRunsNext
                    && syncCaller == null && spinAllowed()) {
                long now = System.nanoTime();
                if (idleSince == 0) {
                    idleSince = now;
                }
                long until = now + workerSpinNanos;
                do {
                    Thread.onSpinWait();
                    task = queue.poll();
                } while (task == null && System.nanoTime() - until < 0 && !closeRequested
                        && spinAllowed());
            }
            if (task == null && closeRequested) {
                // The last poll may have come just before a task queued ahead of the close
                // request: close drains what was submitted before it, so look once more.
                task = queue.poll();
                if (task == null) {
                    return true;
                }
            }
            if (task == null) {
                parked = true;
                runs.set(FREE);
                task = queue.poll();
                if (task == null && !closeRequested) {
                    // A completion job handed off and not started is watched (parked before the
                    // state is read: a completer that hands off a job sees parked and wakes us).
                    long watch = watchPending(System.nanoTime());
                    long parkFor = watch == 0 ? 0 : watch > 0 ? watch : COMPLETION_STALL_NANOS; // 0: until woken
                    if (syncCaller != null) {
                        // A caller runs its own tasks and does not wake us: look again shortly.
                        parkFor = parkFor == 0 ? lookNanos : Math.min(parkFor, lookNanos);
                    }
                    boolean mayDetach = parkFor == 0 && keepAliveNanos > 0;
                    boolean syncLook = syncCaller != null && watch == 0; // parkFor: lookNanos
                    long parkedAt = System.nanoTime();
                    ACTIVE.decrementAndGet();
                    while (true) {
                        if (parkFor == 0 && !mayDetach) {
                            LockSupport.park(this);
                        } else {
                            LockSupport.parkNanos(this, mayDetach ? keepAliveNanos : parkFor);
                        }
                        if (!syncLook || closeRequested || System.nanoTime() - parkedAt < parkFor
                                || !leftToSyncCaller()) {
                            break; // woken, or a look that finds work its caller left to us
                        }
                        parkedAt = System.nanoTime();
                        lookNanos = Math.min(2 * lookNanos, SYNC_LOOK_MAX_NANOS); // nothing for us
                        parkFor = lookNanos;
                    }
                    ACTIVE.incrementAndGet();
                    if (mayDetach && System.nanoTime() - parkedAt >= keepAliveNanos && detach()) {
                        return false;
                    }
                    if (syncCaller != null && System.nanoTime() - syncCallerRanAt > SYNC_CALLER_IDLE_NANOS) {
                        // That caller stopped: back to sleeping until woken (the queue is looked
                        // at again before parking, so a submission that saw it set is not lost).
                        syncCaller = null;
                    }
                }
                reclaim();
                parked = false;
                if (task == null) {
                    continue;
                }
            }
            lookNanos = SYNC_CALLER_NANOS; // running tasks: look often again if a caller leaves us some
            if (idleSince != 0) {
                // How long spinning would have had to last: until this task was queued.
                workerSpinNanos = adapt(workerSpinNanos, task.submittedAt - idleSince);
                idleSince = 0;
            }
            if (held > 0) {
                flushOverdue();
            }
            if (claim(task)) {
                if (task.readSql != null && (task.moreBehind || queue.peek() != null)) {
                    runReads(task);
                } else {
                    execute(task);
                }
            }
        }
    }

    /**
     * Worker: runs {@code first}, a one-shot read ({@code executeFetchAll}), and the one-shot
     * reads queued right behind it in one read transaction, instead of one each: opening and
     * ending a read transaction costs SQLite more than a point select itself. Every read that
     * joins it was requested before the transaction began ({@link Task#since}), so its snapshot,
     * taken at the first read, holds every commit made before it was requested, as its own
     * autocommit read would. The transaction ends before any other task, after {@link
     * #SHARED_READS_MAX} reads (or {@link #SHARED_READ_NANOS}), and it is invisible: the user sees
     * no transaction and no callback sees its BEGIN or COMMIT ({@link Engine#beginSharedRead}).
     * Worth it when another read is already queued, or when the pool says more requests wait
     * for this reader ({@link Task#moreBehind}): it hands the next one over as each read ends.
     */
    private void runReads(Task<?> first) {
        Task<?> next = queue.peek();
        boolean more = first.moreBehind || (next != null && next.readSql != null);
        if (!more || !engine.isShareableRead(first.readSql) || !engine.beginSharedRead()) {
            execute(first);
            return;
        }
        long snapshotBefore = System.nanoTime(); // SQLite takes the snapshot at the first read, after this
        Task<?> after = null;
        try {
            execute(first);
            // (a callback run here, with a completion executor that runs jobs in place, that
            // joined a future of this connection has ended the transaction: see helpUntil)
            for (int n = 1; n < SHARED_READS_MAX && !closeRequested && engine.inSharedRead(); n++) {
                if (held > 0) {
                    flushOverdue();
                }
                next = queue.peek();
                if (next == null || next.readSql == null || next.since - snapshotBefore >= 0
                        || (!wal && System.nanoTime() - snapshotBefore > SHARED_READ_NANOS)
                        || !engine.isShareableRead(next.readSql)) {
                    break;
                }
                Task<?> taken = queue.poll();
                if (taken != next) {
                    after = taken; // next was cancelled (and removed) meanwhile: this one runs alone
                    break;
                }
                if (claim(taken)) {
                    execute(taken);
                }
            }
        } finally {
            engine.endSharedRead();
        }
        if (after != null && claim(after)) {
            execute(after);
        }
    }

    /**
     * The pool, on a reader's worker thread, right after handing that reader the request that
     * runs as {@code future}: when the request was made, and whether more wait behind it, so that
     * the reader may run them in one read transaction ({@link #runReads}). Ignored on any other
     * thread and for anything but a one-shot read.
     *
     * @param future what the request runs as
     * @param since when the request was made, in System.nanoTime() terms
     * @param moreBehind whether more requests wait for a reader
     */
    public static void readRequested(CompletableFuture<?> future, long since, boolean moreBehind) {
        if (future instanceof Task) {
            Task<?> t = (Task<?>) future;
            if (t.readSql != null && Thread.currentThread() == t.worker.thread) {
                t.since = since;
                t.moreBehind = moreBehind;
            }
        }
    }

    /**
     * The worker's periodic look while a caller runs its own tasks ({@link #syncCaller}): whether
     * to stay parked. Yes when nothing is queued, or the task queued is so recent that its caller
     * is most likely about to join it and run it itself: taking it would turn that into a
     * hand-off each way (two thread wake-ups) every look. A task left alone for half of {@link
     * #SYNC_CALLER_NANOS} is taken; and once the caller has stopped running its tasks, it is
     * forgotten.
     */
    private boolean leftToSyncCaller() {
        long now = System.nanoTime();
        if (now - syncCallerRanAt > SYNC_CALLER_IDLE_NANOS) {
            syncCaller = null;
            return false;
        }
        Task<?> head = queue.peek();
        return head == null || now - head.submittedAt < SYNC_CALLER_NANOS / 2;
    }

    /** {@return tasks submitted and not taken off the queue yet: {@link #pending}, a snapshot} */
    int queued() {
        return pending.get();
    }

    /**
     * Worker thread, with {@code task} just taken off the queue: counts it out of {@link
     * #pending}, and fails it instead if the connection was abandoned.
     *
     * @return true if the task is to be run
     */
    private boolean claim(Task<?> task) {
        pending.decrementAndGet();
        if (abandoned) {
            task.abort(Errors.closed(config.database()));
            return false;
        }
        return true;
    }

    /**
     * Worker thread: runs a task taken off the queue, unless it was cancelled while queued, and
     * its after-run action; delivering the outcome is the caller's.
     *
     * @return true if the work ran
     */
    private boolean runInPlace(Task<?> task) {
        if (!task.start()) {
            return false;
        }
        run(task);
        runAfter(task);
        return true;
    }

    /** Worker, after parking: takes the connection back, waiting while a caller runs a task. */
    private void reclaim() {
        if (runs.compareAndSet(FREE, WORKER)) {
            return;
        }
        reclaimWaiting = true; // then the caller, once it sets FREE, sees it and wakes us
        while (!runs.compareAndSet(FREE, WORKER)) {
            LockSupport.park(this);
        }
        reclaimWaiting = false;
    }

    /**
     * Caller, about to block in {@code join()} on {@code task}: if the worker is
     * parked and {@code task} is the only work queued, runs it on this thread instead of waking
     * the worker, and completes it here. The connection is this thread's alone meanwhile ({@link
     * #runs}): the worker, if it wakes, waits until the task is done. So a caller that awaits each
     * result pays no hand-off at all; SQLite callbacks the work triggers (functions, authorizer,
     * trace, progress) then run on this thread, which was blocked waiting for them anyway.
     *
     * @return true if {@code task} ran and is complete
     */
    boolean runHere(Task<?> task) {
        if (!parked || (task.work == null && !task.opening) || runs.get() != FREE
                || !runs.compareAndSet(FREE, CALLER)) {
            return false;
        }
        Thread me = Thread.currentThread();
        boolean ran = false;
        try {
            if (task.opening) {
                // The open, before the loop's thread got to it (connect() then join(): the
                // caller opens the database itself instead of waiting for that thread to start).
                if (opened == task) {
                    runner = me;
                    openDatabase(true);
                    ran = true;
                }
            } else if (nativeOpen && pending.get() == 1 && queue.peek() == task && !closeRequested
                    && !abandoned && task.start()) {
                // Only when nothing queued before it could be overtaken; start() decides against
                // a cancel, remove() against a worker that polled it just before parking.
                if (queue.remove(task)) {
                    pending.decrementAndGet();
                }
                runner = me;
                run(task);
                ran = true;
            }
        } finally {
            runner = null;
            if (ran) { // before the connection is free again
                syncCallerRanAt = System.nanoTime();
                syncCaller = me;
            }
            runs.set(FREE);
            if (reclaimWaiting || !queue.isEmpty() || closeRequested) {
                wake();
            }
        }
        if (ran) {
            if (!task.opening) {
                runAfter(task);
            }
            task.run(); // complete it here, as a woken waiter would
        }
        return ran;
    }

    /**
     * Caller, about to block in {@code join()} on the close future after {@code closeAsync()}:
     * if the worker is parked (or has given its thread back) with nothing queued and no earlier
     * completion pending, closes the database on this thread and completes the future here,
     * instead of waking the worker to close it and waiting to be woken back: so {@code
     * close()} costs no hand-off either. The loop's pooled thread, if it holds one, is put back
     * among the idle ones at once ({@link WorkerThreads.Job#releaseEarly}) and only ends the loop
     * when it wakes. Not for a thread of a configured factory, whose end the close future waits
     * for.
     *
     * @return true if the database was closed here and the future is complete
     */
    boolean closeHere(Task<?> task) {
        if (task != closed || ownThread != null || !closeRequested || terminated || !parked
                || runs.get() != FREE || !runs.compareAndSet(FREE, CALLER)) {
            return false;
        }
        boolean done = false;
        try {
            if (!terminated && nativeOpen && pending.get() == 0 && queue.isEmpty()
                    && completed.isEmpty() && completerState.get() == IDLE) {
                runner = Thread.currentThread();
                closeEngine();
                closedByCaller = true;
                done = true;
            }
        } finally {
            runner = null;
            runs.set(FREE);
            if (done) {
                endLoopHere();
            } else if (reclaimWaiting || !queue.isEmpty() || closeRequested) {
                wake();
            }
        }
        if (done) {
            closed.outcome(null, null);
            closed.run();
        }
        return done;
    }

    /**
     * After {@link #closeHere}: the loop ends. A loop without a thread is taken here, so that
     * none starts for it; a thread holding it is freed for the next connection at once and woken
     * to leave (it only finds the connection closed: {@link #runLoop}, {@link #shutdownOnWorker}).
     */
    private void endLoopHere() {
        ended.countDown(); // nothing is left for the loop to do: the database is closed
        if (attached.get() == DETACHED && attached.compareAndSet(DETACHED, ATTACHED)) {
            return; // no thread holds the loop, and none will start for it
        }
        Attachment a = attachment;
        if (a != null) {
            a.releaseEarly(); // (if its stretch has not started, it may never run: nothing is lost)
        }
        wake();
    }

    /**
     * The pool runs a read as {@code future} on one of its readers (a connection's task): a thread
     * waiting for it ({@link #awaitTask}) may complete it even though the pool chained its own
     * completion to it, since reads on different readers have no order to keep anyway.
     *
     * @param future what the read runs as; anything but a task is ignored
     */
    public static void completesInAnyOrder(CompletableFuture<?> future) {
        if (future instanceof Task) {
            ((Task<?>) future).unordered = true;
        }
    }

    /**
     * A caller about to block on a pool request that runs as {@code future}: waits for that task
     * as its own caller would, so it runs the task itself if the connection is idle ({@link
     * #runHere}, {@code join()} only) and otherwise takes the result from the worker directly,
     * without the completion executor; the request's own future is then complete, or completes
     * at once. So a thread that awaits each pool request (a virtual thread, a servlet thread)
     * pays no hand-off either. What the task failed with is left to the request's future.
     *
     * @param future what the request runs as; anything but a task is ignored
     * @param interruptibly false for {@code join()}; true for {@code get()}, whose wait an
     *     interrupt ends
     * @param nanos with {@code interruptibly}, the longest wait (0: none)
     * @throws InterruptedException if interrupted while waiting ({@code interruptibly} only)
     */
    public static void awaitTask(CompletableFuture<?> future, boolean interruptibly, long nanos)
            throws InterruptedException {
        if (!(future instanceof Task) || future.isDone()) {
            return;
        }
        try {
            if (!interruptibly) {
                future.join();
            } else if (nanos > 0) {
                future.get(nanos, TimeUnit.NANOSECONDS);
            } else {
                future.get();
            }
        } catch (java.util.concurrent.CancellationException | java.util.concurrent.CompletionException
                | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the request's own future has the outcome (or the rest of the time to wait)
        }
    }

    /**
     * Worker thread, outside any task's work, about to block on one of its own tasks: a callback
     * it runs because the completion executor runs jobs on the calling thread ({@code
     * Runnable::run}, or an executor that was shut down), joining another operation of the same
     * connection. Waiting would deadlock, so this thread runs the queue itself, in order, until
     * that task is done; tasks before it complete as usual, the awaited one here, as {@link
     * #runHere} does. The default executor never runs callbacks here.
     *
     * @return true if {@code target} is done; false if it cannot be helped (the caller is inside a
     *     task's work, or {@code target} is not queued: the close future, or another's task)
     */
    boolean helpUntil(Task<?> target) {
        if (Thread.currentThread() != thread || current != null || target.work == null) {
            return false;
        }
        engine.endSharedRead(); // a callback run inside runReads: what it runs is not one of those reads
        while (!target.isDone()) {
            if (target.isPublished()) {
                target.run(); // it ran; its completion waits behind earlier ones: complete it now
                break;
            }
            Task<?> next = queue.poll();
            if (next == null) {
                return false;
            }
            if (!claim(next)) {
                continue;
            }
            if (next == target) {
                runInPlace(next); // completed at the top of the loop (or cancelled while queued)
            } else {
                execute(next);
            }
        }
        return true;
    }

    /** The connection whose worker loop runs on this thread, if any. */
    private static final ThreadLocal<ConnectionWorker> RUNNING_HERE = new ThreadLocal<>();

    /**
     * Before a thread blocks on {@code future}: if it is a connection's worker outside any task's
     * work (a callback it runs in place, {@code Runnable::run} completion), it runs its own queue
     * until {@code future} is done, so that whatever {@code future} waits for (a pool request
     * handed to this very reader, a task of another connection whose callback waits on this one)
     * is never stuck behind this thread. Tasks run here complete at once, on this thread, ahead of
     * results still waiting behind the callback (as {@link #runHere} completes its own task). Any
     * other thread returns at once and blocks as usual. Returns early, leaving the rest of the
     * wait to the caller, once {@code deadline} passes or the thread is interrupted.
     *
     * @param future the future about to be waited for
     * @param deadline System.nanoTime() when the caller's wait ends, 0 for none
     */
    public static void helpWhileWaiting(CompletableFuture<?> future, long deadline) {
        if (future.isDone()) {
            return;
        }
        ConnectionWorker w = RUNNING_HERE.get();
        if (w == null || w.current != null || Thread.currentThread() != w.thread) {
            return;
        }
        w.engine.endSharedRead(); // as in helpUntil
        Thread me = Thread.currentThread();
        future.whenComplete((v, e) -> LockSupport.unpark(me));
        while (!future.isDone() && !me.isInterrupted()
                && (deadline == 0 || deadline - System.nanoTime() > 0)) {
            Task<?> next = w.queue.poll();
            if (next != null) {
                if (w.claim(next) && w.runInPlace(next)) {
                    if (w.isCompleterThread()) {
                        next.run(); // this thread's completer is busy in the callback: complete here
                    } else {
                        w.deliver(next);
                    }
                }
                continue;
            }
            // Parked as the loop parks, so a submission wakes this thread; the connection stays
            // this thread's (runs is WORKER), so no caller runs a task here meanwhile.
            w.parked = true;
            if (w.queue.isEmpty() && !future.isDone()) {
                LockSupport.parkNanos(w, deadline == 0 ? COMPLETION_STALL_NANOS
                        : Math.min(COMPLETION_STALL_NANOS, deadline - System.nanoTime()));
            }
            w.parked = false;
        }
    }

    private void execute(Task<?> task) {
        if (runInPlace(task)) {
            deliver(task);
        }
    }

    /** Runs a started task's work on the engine and records the outcome (worker or {@link #runHere}). */
    private <T> void run(Task<T> task) {
        current = task;
        task.defaultDeadline(statementTimeoutNanos);
        engine.begin(task, task.work);
        T value = null;
        Throwable error = null;
        try {
            value = task.work.run(engine);
        } catch (Throwable e) {
            error = engine.translate(e);
        } finally {
            engine.end();
            task.finish();
            current = null;
        }
        task.outcome(value, error);
    }

    private void runAfter(Task<?> task) {
        try {
            task.ran();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "an internal after-run action failed on the worker"
                    + " of '" + config.database() + "'", e);
        }
    }

    /** Worker: schedules a completion job for the tasks held back, if none is under way. */
    private void flushHeld() {
        stopHolding();
        if (!completed.isEmpty() && completerState.get() == IDLE
                && completerState.compareAndSet(IDLE, SCHEDULED)) {
            schedule(System.nanoTime());
        }
    }

    /** Worker, also from the progress handler inside a long statement: flush once held too long. */
    private void flushOverdue() {
        if (held > 0 && System.nanoTime() - heldSince >= HOLD_NANOS) {
            flushHeld();
        }
    }

    private void stopHolding() {
        if (held > 0) {
            held = 0;
            engine.gate().whileHolding(null);
        }
    }

    /**
     * Runs {@code action} once the work behind {@code future} has run: on the connection's worker
     * right after the work (before the future completes, which takes the completion executor), or
     * at once on the caller's thread if it already ran or never will. The pool uses it to hand a
     * reader to its next request without waiting for the completion hop. The action must be
     * internal (nothing of the user's may run on the worker) and must not throw.
     *
     * @param future a future returned by one of this package's connections
     * @param action what to run
     * @return false, with nothing done, if {@code future} is not one of a connection's tasks
     */
    public static boolean afterRun(CompletableFuture<?> future, Runnable action) {
        if (!(future instanceof Task) || ((Task<?>) future).work == null) {
            return false;
        }
        ((Task<?>) future).afterRun(action);
        return true;
    }

    private void deliver(Task<?> task) {
        if (task.handOff(completed.isEmpty())) {
            if (Thread.currentThread() == thread) {
                // A caller blocks on each result: park rather than spin, so that it runs its
                // next task itself (runHere) instead of handing it over.
                callerBlocks = true;
            }
            return; // the thread waiting in join()/get() completes it
        }
        completed.offer(task);
        int state = completerState.get();
        if (state == IDLE && mayHold && !task.deliverAtOnce && !queue.isEmpty()
                && Thread.currentThread() == thread) {
            long now = task.publishedAt();
            if (held == 0) {
                heldSince = now;
                engine.gate().whileHolding(flushOverdue);
            }
            if (++held < HOLD_MAX && now - heldSince < HOLD_NANOS) {
                return; // more work is queued: deliver this with the next ones
            }
        }
        if (Thread.currentThread() == thread) {
            stopHolding(); // the job about to be scheduled (or under way) takes the held ones too
        }
        if (state == IDLE && completerState.compareAndSet(IDLE, SCHEDULED)) {
            schedule(task.publishedAt());
        } else if (state == SCHEDULED) {
            watchPending(task.publishedAt());
        }
    }

    /** {@return whether {@code executor} says it was shut down (it then runs nothing new)} */
    public static boolean isShutDown(Executor executor) {
        return executor instanceof ExecutorService && ((ExecutorService) executor).isShutdown();
    }

    /**
     * With the state just set to {@link #SCHEDULED}: hands a completion job to the executor, or, if
     * it is shut down or refuses the job, completes on this thread (the worker's) instead.
     */
    private void schedule(long now) {
        handedOffAt = now;
        if (!isShutDown(completion)) {
            try {
                completion.execute(completer);
                return;
            } catch (Throwable rejected) {
                // A shut-down executor must not kill the worker: complete here instead.
                LOG.log(System.Logger.Level.DEBUG, "completion executor rejected a task", rejected);
            }
        }
        completeHere();
    }

    /** Takes the place of a job that has not started, and completes on this thread. */
    private void completeHere() {
        if (completerState.compareAndSet(SCHEDULED, RUNNING)) {
            completeFinished(false);
        }
    }

    /**
     * Worker side, while a completion job handed off earlier may not have started: nothing
     * guarantees that an executor runs what it accepted ({@code shutdownNow()} returns the jobs
     * still queued, a {@code DiscardPolicy} discards them silently). So if the executor is shut
     * down, this thread completes in the job's place; if the job is {@link
     * #COMPLETION_STALL_NANOS} overdue, a new one goes to the JDK's async pool. Either way, the
     * job that lost the race finds the state taken and does nothing if it ever runs.
     *
     * @param now System.nanoTime()
     * @return 0 if no job is pending (any more), -1 if a new one was just handed to the JDK's
     *     pool, else the nanoseconds left until the pending one is overdue
     */
    private long watchPending(long now) {
        if (completerState.get() != SCHEDULED) {
            return 0;
        }
        if (isShutDown(completion)) {
            completeHere();
            return 0;
        }
        long left = handedOffAt + COMPLETION_STALL_NANOS - now;
        if (left > 0) {
            return left;
        }
        if (!lossReported) {
            lossReported = true;
            LOG.log(System.Logger.Level.WARNING, "connection to '" + config.database() + "': the"
                    + " completion executor did not start a job within "
                    + TimeUnit.NANOSECONDS.toMillis(COMPLETION_STALL_NANOS) + " ms (it dropped it,"
                    + " or all its threads are busy); completing on the JDK's async pool instead");
        }
        handedOffAt = now;
        CompletableFuture.runAsync(completer);
        return -1;
    }

    /**
     * After this connection's last completion (its close future, or a failed open) went to the
     * completer, no worker is left to watch the job: so this thread, the worker's last act,
     * waits until it starts (microseconds normally), taking over as {@link #watchPending} would.
     */
    private void watchLastCompletion() {
        startWatcher = Thread.currentThread();
        try {
            long left;
            while ((left = watchPending(System.nanoTime())) > 0) {
                LockSupport.parkNanos(this, left);
            }
        } finally {
            startWatcher = null;
        }
    }

    /** {@return whether the caller is running this connection's completer right now} */
    boolean isCompleterThread() {
        return completerThread == Thread.currentThread();
    }

    /** The completion job handed to an executor: completes unless another thread took its place. */
    private void runScheduled() {
        if (completerState.compareAndSet(SCHEDULED, RUNNING)) {
            Thread watcher = startWatcher;
            if (watcher != null) {
                LockSupport.unpark(watcher);
            }
            completeFinished(true);
        }
    }

    /**
     * Completes finished tasks in the order the worker finished them. Whoever moves the state to
     * {@link #RUNNING} does this: a job handed to the executor (or the JDK's pool), when it starts
     * and finds the state still {@link #SCHEDULED}; the worker, in a job's place, when the
     * executor is shut down or refuses; and the first to find tasks left when a completer stops.
     * So at most one thread completes at a time, and a job that runs late, or never, does no harm.
     *
     * @param job true on an executor thread: after {@link #COMPLETION_BATCH} tasks it yields the
     *     thread to a new job; with nothing left to complete it gives the thread back at once (it
     *     used to spin up to 200 us for the next finished task, which on 2 CPUs slowed the worker
     *     it waited for: benchmarks/README, "The completer no longer lingers")
     */
    private void completeFinished(boolean job) {
        if (job) {
            ACTIVE.incrementAndGet();
            try {
                completeFinished0(job);
            } finally {
                ACTIVE.decrementAndGet();
            }
        } else {
            completeFinished0(job);
        }
    }

    private void completeFinished0(boolean job) {
        Thread me = Thread.currentThread();
        completerThread = me;
        int n = 0;
        while (true) {
            Task<?> t;
            // peek, complete, then remove: until a task is complete it still counts as pending,
            // so deliver() never lets a later task overtake it.
            while ((t = completed.peek()) != null) {
                t.run();
                completed.poll();
                if (job && ++n == COMPLETION_BATCH && !completed.isEmpty()) {
                    n = 0;
                    if (yieldThread()) {
                        return;
                    }
                    completerThread = me;
                }
            }
            completerThread = null;
            completerState.set(IDLE);
            if (completed.isEmpty() || !completerState.compareAndSet(IDLE, RUNNING)) {
                return;
            }
            completerThread = me;
        }
    }

    /**
     * Completer, after a batch: hands the rest to a new job on the executor and gives its thread
     * back. Not once the worker has ended, since nothing would watch the new job then (if it
     * ends meanwhile, the completer takes the job back: either it sees {@code terminated}, or
     * {@link #watchLastCompletion} sees the job).
     *
     * @return true if a new job holds the rest, false to go on here
     */
    private boolean yieldThread() {
        if (terminated || isShutDown(completion)) {
            return false;
        }
        completerThread = null;
        handedOffAt = System.nanoTime();
        completerState.set(SCHEDULED);
        if (parked) {
            wake(); // the idle worker watches the new job
        }
        try {
            completion.execute(completer);
            if (!terminated) {
                return true;
            }
        } catch (Throwable rejected) {
            // take the job back
        }
        return !completerState.compareAndSet(SCHEDULED, RUNNING);
    }

    private void shutdownOnWorker() {
        if (closedByCaller) {
            return; // closeHere did it all
        }
        closeEngine();
        if (ownThread != null) {
            deliverClosed(); // completing it waits for this thread to end
        }
        // else a pooled thread: released() delivers it once the thread is free
    }

    /** Closes the database and fails what is left queued (worker, or {@link #closeHere}). */
    private void closeEngine() {
        try {
            synchronized (nativeLock) {
                nativeOpen = false;
            }
            engine.close();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.INFO, "exception while closing connection to '"
                    + config.database() + "'", e);
        } finally {
            terminated = true;
            closeRequested = true;
            List<Task<?>> leftovers = new ArrayList<>();
            for (Task<?> t; (t = queue.poll()) != null; ) {
                leftovers.add(t);
            }
            for (Task<?> t : leftovers) {
                t.abort(Errors.closed(config.database()));
            }
            OpenConnections.remove(this);
        }
    }

    /** Delivers the close future, behind every earlier completion. */
    private void deliverClosed() {
        if (closed.isDone()) {
            return; // a failed open completed it, or a caller closed the database (closeHere)
        }
        closed.outcome(null, null);
        deliver(closed);
        watchLastCompletion();
    }

    /**
     * Before the close future completes: a thread of the configured factory ends with its
     * connection, so wait for it to end (it is at most waiting for a completion job to start).
     */
    void beforeClosed() {
        Thread own = ownThread;
        if (own != null && Thread.currentThread() != own) {
            try {
                own.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Leaks and JVM shutdown (OpenConnections)

    /**
     * Makes {@code pool} close {@code connection} at JVM shutdown, instead of the shutdown hook: the
     * pool drains the work it holds in its own queues (waiting reads, group-commit writes, writes
     * behind a lease) onto its connections first, which closing them directly would fail. Weak,
     * so that a forgotten pool is still collected (and its connections reported as leaked).
     *
     * @param connection a connection {@link io.github.aiosqlite4j.AioSqlite#connect} opened
     * @param pool the pool that owns it
     */
    public static void ownedBy(AsyncConnection connection, SqlitePool pool) {
        ((DefaultAsyncConnection) connection).worker().owner = new WeakReference<>(pool);
    }

    /** {@return the pool that closes this connection at JVM shutdown, or null} */
    SqlitePool owningPool() {
        WeakReference<SqlitePool> o = owner;
        return o == null ? null : o.get();
    }

    /**
     * Waits until this connection's loop has returned, or the deadline passed.
     *
     * @return true if it has returned
     */
    boolean awaitEnded(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        try {
            return left > 0 ? ended.await(left, TimeUnit.NANOSECONDS) : ended.getCount() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ended.getCount() == 0;
        }
    }

    /** JVM shutdown, after the grace period: queued work is failed, not run; the running statement is interrupted. */
    void abandon() {
        abandoned = true;
        closeAsync(); // a pool's connection its pool has not closed yet
        interruptRunning();
    }
}
