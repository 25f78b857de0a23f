package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The writer side of a pool: the order in which work reaches the writer, and writer leases.
 * Submissions ({@link #submit} work, {@link GroupCommit} groups, lease requests) are {@link Entry
 * entries} handed to the writer's own FIFO task queue under the pool's lock (a submission only
 * enqueues), so none can slip in after close has begun. The writer runs with {@link
 * io.github.aiosqlite4j.IsolationLevel#AUTOCOMMIT}; bodies get {@code BEGIN IMMEDIATE}.
 *
 * <p>{@link #lease} gives one caller the writer across several calls (the R2DBC driver's
 * transactions). While a lease holds it, every submission waits in the {@link #backlog}, in
 * order; the release submits the backlog up to the next lease request. Submissions that find no
 * lease and no backlog go straight to the writer's queue. A release rolls back a transaction the
 * holder left open ({@link PoolLeases}).
 */
final class WriterQueue {
    private final PoolState state;
    private final Object lock;
    private final AsyncConnection writer; // null in read-only mode
    private final PoolLeases leases;
    /** Whether a {@link PoolLease} holds the writer; guarded by the lock. */
    private boolean leaseHeld;
    /** Submissions to the writer waiting for a lease to end, in arrival order; guarded by the lock. */
    private final ArrayDeque<Entry> backlog = new ArrayDeque<>();
    private final CloseDrain closeDrain;

    WriterQueue(PoolState state, AsyncConnection writer, PoolLeases leases) {
        this.state = state;
        this.lock = state.lock;
        this.writer = writer;
        this.leases = leases;
        this.closeDrain = new CloseDrain(state, () -> !leaseHeld && backlog.isEmpty());
    }

    /**
     * Something to submit to the writer's task queue. {@link #submit()} runs under the lock, in
     * the order the entries arrived, and only enqueues; it returns what to do afterwards outside
     * the lock (register callbacks, complete futures), or null.
     */
    @FunctionalInterface
    interface Entry {
        Runnable submit();
    }

    /**
     * Submits {@code entry} now, or queues it behind a lease of the writer (or behind entries
     * already waiting for one). Called under the lock.
     *
     * @return what to run outside the lock, or null
     */
    Runnable enqueue(Entry entry) {
        if (leaseHeld || !backlog.isEmpty()) {
            backlog.addLast(entry);
            return null;
        }
        return entry.submit();
    }

    /** Why the writer takes no new work (closed, read-only), or null; called under the lock. */
    SQLException refusal() {
        return state.closed ? state.closedError() : writer == null ? readOnlyError() : null;
    }

    /**
     * Queues {@code work} for the writer, behind every submission before it (and behind a lease
     * that holds the writer).
     *
     * @return a future completed as {@code work}'s, on the thread that completes that (each
     *     completion counts as a write, and as a commit if it succeeded); failed at once if the
     *     pool is closed or read-only; cancelling it withdraws the work if it still waits behind
     *     a lease, or else cancels it
     */
    <T> CompletableFuture<T> submit(Function<AsyncConnection, CompletableFuture<T>> work) {
        CompletableFuture<T> result = new PoolFuture<>();
        AtomicReference<CompletableFuture<T>> running = new AtomicReference<>();
        Entry entry = () -> {
            CompletableFuture<T> inner = work.apply(writer);
            running.set(inner);
            PoolFuture.runsAs(result, inner);
            return () -> inner.whenComplete((v, e) -> {
                synchronized (lock) {
                    state.writesPending--;
                    state.writes++;
                    if (e == null) {
                        state.commits++;
                    }
                }
                if (e != null) {
                    state.failed(e);
                    result.completeExceptionally(Errors.unwrap(e));
                } else {
                    result.complete(v);
                }
            });
        };
        Runnable after;
        synchronized (lock) {
            SQLException refused = refusal();
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            state.writesPending++;
            after = enqueue(entry);
        }
        if (after != null) {
            after.run();
        }
        result.whenComplete((v, e) -> {
            if (!result.isCompletedExceptionally()) {
                return;
            }
            if (state.withdrawWrite(backlog, entry)) {
                closeDrain.check();
            } else {
                CompletableFuture<T> inner = running.get();
                if (inner != null) {
                    inner.cancel(true);
                }
            }
        });
        return result;
    }

    /** See {@link DefaultSqlitePool#leaseWriter}. */
    CompletableFuture<PoolLease> lease(long timeoutNanos) {
        CompletableFuture<PoolLease> leased = new CompletableFuture<>();
        LeaseRequest request = new LeaseRequest(leased);
        Runnable after;
        synchronized (lock) {
            SQLException refused = refusal();
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            if (timeoutNanos <= 0 && (leaseHeld || !backlog.isEmpty())) {
                state.timeouts++;
                state.busy++; // writerBusy: the pool's own SQLITE_BUSY
                return CompletableFuture.failedFuture(writerBusy(Duration.ZERO));
            }
            after = enqueue(request);
        }
        if (after != null) {
            after.run();
            return leased;
        }
        CompletableFuture<Void> timer = new CompletableFuture<>();
        timer.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).whenComplete((v, e) -> {
            if (e instanceof TimeoutException && withdraw(request)) {
                synchronized (lock) {
                    state.timeouts++;
                    state.busy++;
                }
                state.complete(() -> leased.completeExceptionally(writerBusy(Duration.ofNanos(timeoutNanos))));
            }
        });
        leased.whenComplete((v, e) -> {
            timer.complete(null);
            if (leased.isCompletedExceptionally()) {
                withdraw(request);
            }
        });
        return leased;
    }

    /** Removes a lease request that has not been granted; false if it was granted already. */
    private boolean withdraw(LeaseRequest request) {
        synchronized (lock) {
            if (request.granted) {
                return false;
            }
            request.granted = true; // never to be granted now
            backlog.remove(request);
        }
        closeDrain.check();
        return true;
    }

    /** A lease request in the writer's backlog. */
    private final class LeaseRequest implements Entry {
        final CompletableFuture<PoolLease> leased;
        boolean granted; // or withdrawn; guarded by the lock

        LeaseRequest(CompletableFuture<PoolLease> leased) {
            this.leased = leased;
        }

        @Override
        public Runnable submit() {
            if (granted) {
                return null;
            }
            granted = true;
            leaseHeld = true;
            PoolLease lease = leases.lease(writer, true, WriterQueue.this::release);
            return () -> state.complete(() -> {
                if (!leased.complete(lease)) {
                    lease.release(); // cancelled or timed out as it was granted
                }
            });
        }
    }

    /** After a writer lease: submits the backlog, up to the next lease request. */
    private void release() {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            leaseHeld = false;
            Entry next;
            while (!leaseHeld && (next = backlog.pollFirst()) != null) {
                Runnable a = next.submit();
                if (a != null) {
                    after.add(a);
                }
            }
        }
        for (Runnable a : after) {
            a.run();
        }
        closeDrain.check();
    }

    /**
     * At close, with the closed flag set: the writer is drained once no lease holds it and
     * nothing waits for one to end (what is queued on the writer's own task queue runs before
     * close's checkpoint anyway).
     *
     * @return a future completed once it is
     */
    CompletableFuture<Void> drain() {
        return closeDrain.start();
    }

    private SQLException writerBusy(Duration waited) {
        return Errors.busy("pool '" + state.name + "' on '" + state.database + "': the writer was not"
                + " free within " + waited + " (another connection holds it for a transaction);"
                + " raise the lock wait timeout, or keep transactions short");
    }

    private SQLException readOnlyError() {
        return Errors.readOnly("pool '" + state.name + "' on '" + state.database + "' is read-only"
                + " (SqliteConfig.readOnly(true)); it has no writer", null);
    }
}
