package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.internal.ConnectionWorker;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The reader side of a pool: hands out its readers, one whole reader per request for as long as
 * the request's work runs (a {@code read} body, one statement, a lease). Under the pool's lock
 * it keeps the idle readers (a stack: the most recently used one has the warmest cache) and a
 * FIFO queue of waiters. A request takes an idle reader only if nobody waits, so a newcomer never
 * overtakes the queue; otherwise it queues (or is refused at once when {@code maxWaiters} wait).
 * When a reader's work has run, the reader goes to the head of the queue, or back to the idle
 * stack: its worker thread does this the moment the work has run ({@link
 * ConnectionWorker#afterRun}), so the next request starts without waiting for the previous result
 * to travel through the completion executor. Whoever flips a waiter's {@code done} flag under the
 * lock first (hand-over, timeout, cancellation, close) owns it, so a reader is never handed to a
 * waiter that has already failed. Work is started outside the lock.
 *
 * <p>Timeouts cost nothing per request: the waiters are in arrival order and share one timeout, so
 * their deadlines are in order too, and one timer at a time watches the first of them ({@link
 * #sweep}).
 */
final class ReaderQueue {
    private static final System.Logger LOG = System.getLogger(SqlitePool.class.getName());

    private final PoolState state;
    private final Object lock;
    private final List<AsyncConnection> readers;
    private final PoolLeases leases;
    private final int maxWaiters;
    private final long acquireTimeoutNanos;
    private final String acquireTimeoutText;
    private final ArrayDeque<AsyncConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final CloseDrain closeDrain;
    /** Whether a timer watches the first waiter's deadline; guarded by the lock. */
    private boolean sweepScheduled;

    ReaderQueue(PoolState state, List<AsyncConnection> readers, PoolOptions options, PoolLeases leases) {
        this.state = state;
        this.lock = state.lock;
        this.readers = List.copyOf(readers);
        this.leases = leases;
        this.maxWaiters = options.maxWaiters();
        this.acquireTimeoutNanos = options.acquireTimeout().toNanos();
        this.acquireTimeoutText = options.acquireTimeout().toString();
        this.idle.addAll(readers);
        this.closeDrain = new CloseDrain(state,
                () -> waiters.isEmpty() && idle.size() >= this.readers.size(), this::closeReaders);
    }

    /**
     * Gives {@code work} a reader, now or after waiting in line, for as long as the future it
     * returns runs.
     *
     * @return a future completed as {@code work}'s, on the thread that completes that; failed at
     *     once if the pool is closed or {@code maxWaiters} requests wait, on the completion executor
     *     if no reader became free within {@code acquireTimeout}; cancelling it withdraws the
     *     request or cancels the work
     */
    <T> CompletableFuture<T> submit(Function<AsyncConnection, CompletableFuture<T>> work) {
        CompletableFuture<T> result = new PoolFuture<>();
        AsyncConnection reader = null;
        Waiter waiter = null;
        boolean startTimer = false;
        synchronized (lock) {
            if (state.closed) {
                return CompletableFuture.failedFuture(state.closedError());
            }
            if (waiters.isEmpty() && !idle.isEmpty()) {
                reader = idle.pop();
            } else if (waiters.size() >= maxWaiters) {
                state.rejections++;
                return CompletableFuture.failedFuture(tooManyWaiters(waiters.size()));
            } else {
                long now = System.nanoTime();
                waiter = new Waiter((r, w) -> dispatch(r, work, result, w), result, now,
                        now + acquireTimeoutNanos);
                waiters.addLast(waiter);
                state.waits++;
                startTimer = !sweepScheduled;
                sweepScheduled = true;
            }
        }
        if (reader != null) {
            dispatch(reader, work, result, null);
            return result;
        }
        Waiter w = waiter;
        if (startTimer) {
            scheduleSweep(acquireTimeoutNanos);
        }
        result.whenComplete((v, e) -> {
            if (result.isCompletedExceptionally()) { // cancelled, or failed by the caller (orTimeout)
                synchronized (lock) {
                    if (!w.done) {
                        w.done = true;
                        waiters.remove(w);
                    }
                }
                closeDrain.check();
            }
        });
        return result;
    }

    /**
     * Starts {@code work} on {@code reader}.
     *
     * @param waited the request's place in line if it waited for the reader (then this mostly
     *     runs on the reader's worker, which just finished the previous request), null if it took
     *     an idle reader
     */
    private <T> void dispatch(AsyncConnection reader, Function<AsyncConnection, CompletableFuture<T>> work,
            CompletableFuture<T> result, Waiter waited) {
        if (result.isDone()) { // cancelled while the reader was on its way
            release(reader, false);
            return;
        }
        CompletableFuture<T> inner;
        try {
            inner = work.apply(reader);
            if (waited != null) {
                ConnectionWorker.readRequested(inner, waited.since, waited.moreBehind);
            }
            ConnectionWorker.completesInAnyOrder(inner);
            PoolFuture.runsAs(result, inner);
        } catch (RuntimeException e) {
            release(reader, true);
            state.complete(() -> result.completeExceptionally(e));
            return;
        }
        // The reader is free once its work has run: the worker hands it to the next request
        // itself, without waiting for this result's trip through the completion executor.
        boolean releasedByWorker = ConnectionWorker.afterRun(inner, () -> release(reader, true));
        inner.whenComplete((v, e) -> {
            if (!releasedByWorker) {
                release(reader, true);
            }
            if (e != null) {
                state.failed(e);
                result.completeExceptionally(Errors.unwrap(e));
            } else {
                result.complete(v);
            }
        });
        result.whenComplete((v, e) -> {
            if (result.isCompletedExceptionally()) { // cancelled, or failed by the caller (orTimeout)
                inner.cancel(true);
            }
        });
    }

    /** Returns a reader: to the first waiter in line, or to the idle stack. */
    private void release(AsyncConnection reader, boolean counted) {
        Waiter next;
        synchronized (lock) {
            if (counted) {
                state.reads++;
            }
            next = waiters.pollFirst();
            if (next != null) {
                next.done = true;
                next.moreBehind = !waiters.isEmpty();
            } else {
                idle.push(reader);
            }
        }
        if (next != null) {
            next.start.accept(reader, next);
        } else {
            closeDrain.check();
        }
    }

    private void scheduleSweep(long nanos) {
        CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(this::sweep);
    }

    /**
     * The timer: fails the waiters whose {@code acquireTimeout} has passed (they are at the head
     * of the line), then watches the new head, or stops when nobody waits.
     */
    private void sweep() {
        List<Waiter> expired = new ArrayList<>();
        long next = 0;
        int waiting;
        synchronized (lock) {
            long now = System.nanoTime();
            waiting = waiters.size();
            for (Waiter w; (w = waiters.peekFirst()) != null && w.deadline - now <= 0; ) {
                waiters.pollFirst();
                w.done = true;
                expired.add(w);
                state.timeouts++;
            }
            Waiter head = waiters.peekFirst();
            if (head == null) {
                sweepScheduled = false;
            } else {
                next = Math.max(1, head.deadline - now);
            }
        }
        if (next > 0) {
            scheduleSweep(next);
        }
        for (Waiter w : expired) {
            SQLException error = Errors.overloaded("pool '" + state.name + "' on '" + state.database
                    + "': no reader became free within the acquisition timeout of "
                    + acquireTimeoutText + " (" + (waiting == 1 ? "1 request was" : waiting
                    + " requests were") + " waiting, "
                    + readers.size() + " readers); raise PoolOptions.readers or acquireTimeout,"
                    + " or make read bodies shorter");
            state.complete(() -> w.result.completeExceptionally(error));
        }
        if (!expired.isEmpty()) {
            closeDrain.check();
        }
    }

    /**
     * At close, with the closed flag set: the readers close once every one is idle and nobody
     * waits.
     *
     * @return a future completed once they are closed (a failure to close one is logged)
     */
    CompletableFuture<Void> drain() {
        return closeDrain.start();
    }

    /** Close's last step for the readers, once every one is idle and nobody waits. */
    private CompletableFuture<Void> closeReaders() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (AsyncConnection r : readers) {
            closing.add(r.closeAsync().exceptionally(e -> {
                LOG.log(System.Logger.Level.WARNING, "pool '" + state.name + "': closing a reader failed", e);
                return null;
            }));
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
    }

    /** See {@link DefaultSqlitePool#leaseReader}: a request whose work lasts until the release. */
    CompletableFuture<PoolLease> lease() {
        CompletableFuture<PoolLease> leased = new CompletableFuture<>();
        CompletableFuture<Void> held = submit(r -> {
            CompletableFuture<Void> released = new CompletableFuture<>();
            PoolLease lease = leases.lease(r, false, () -> released.complete(null));
            Runnable handOver = () -> {
                if (!leased.complete(lease)) {
                    lease.release();
                }
            };
            if (ConnectionWorker.isWorkerThreadOf(r)) {
                state.complete(handOver); // the reader's worker passed it on: the caller's code must not run there
            } else {
                handOver.run();
            }
            return released;
        });
        held.whenComplete((v, e) -> {
            if (e != null) {
                leased.completeExceptionally(Errors.unwrap(e));
            }
        });
        leased.whenComplete((v, e) -> {
            if (leased.isCompletedExceptionally()) {
                held.cancel(true);
            }
        });
        return leased;
    }

    /** {@return how many readers the pool has} */
    int size() {
        return readers.size();
    }

    /** {@return how many readers are handed out; called under the lock} */
    int busy() {
        return readers.size() - idle.size();
    }

    /** {@return how many requests wait for a reader; called under the lock} */
    int waiting() {
        return waiters.size();
    }

    private SQLException tooManyWaiters(int waiting) {
        return Errors.overloaded("pool '" + state.name + "' on '" + state.database + "': " + waiting
                + " requests are already waiting for a reader (maxWaiters=" + maxWaiters
                + "); retry later, or raise PoolOptions.maxWaiters or readers");
    }

    /** A read request in line for a reader. Its fields other than the final ones are guarded by the lock. */
    private static final class Waiter {
        final BiConsumer<AsyncConnection, Waiter> start;
        final CompletableFuture<?> result;
        /** System.nanoTime() when the request was made. */
        final long since;
        /** System.nanoTime() when its acquireTimeout is over. */
        final long deadline;
        boolean done;
        /** Set as it is handed a reader: whether more requests wait behind it. */
        boolean moreBehind;

        Waiter(BiConsumer<AsyncConnection, Waiter> start, CompletableFuture<?> result, long since, long deadline) {
            this.start = start;
            this.result = result;
            this.since = since;
            this.deadline = deadline;
        }
    }
}
