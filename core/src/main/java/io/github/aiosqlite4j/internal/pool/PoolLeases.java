package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@link PoolLease}s of one pool that are granted and not released. A release first rolls
 * back a transaction the holder left open, then gives the connection back the way the side that
 * granted it says ({@link DefaultSqlitePool#leaseReader}, {@link DefaultSqlitePool#leaseWriter}).
 * At close, the leases still held after the shutdown grace period are released by force. With
 * {@link PoolOptions#leakDetectionThreshold()} a lease held longer is
 * reported with the stack of its request ({@link #watch}).
 */
final class PoolLeases {
    private static final System.Logger LOG = System.getLogger(SqlitePool.class.getName());

    private final PoolState state;
    private final Duration grace;
    private final Set<PoolLease> held = ConcurrentHashMap.newKeySet();
    /** Leak detection: how long a lease may be held before a warning; null for off. */
    private final Duration leakThreshold;

    PoolLeases(PoolState state, Duration grace, Duration leakThreshold) {
        this.state = state;
        this.grace = grace;
        this.leakThreshold = leakThreshold;
    }

    /**
     * Leak detection for one lease request, called on the requesting thread: with a threshold,
     * captures this thread's stack now, and once the lease is granted, checks it after the
     * threshold; a lease not released by then is reported once as a WARNING on {@link
     * PoolOptions#LEAK_LOGGER} with that stack. Without a threshold, nothing.
     *
     * @param request the lease request
     * @return {@code request} itself (so cancelling it still withdraws the request)
     */
    CompletableFuture<PoolLease> watch(CompletableFuture<PoolLease> request) {
        Duration threshold = this.leakThreshold;
        if (threshold == null) {
            return request;
        }
        Throwable acquired = new Throwable("the lease was requested here");
        request.thenAccept(lease -> CompletableFuture.delayedExecutor(threshold.toNanos(),
                TimeUnit.NANOSECONDS, Runnable::run).execute(() -> {
                    if (!lease.isReleased()) {
                        System.getLogger(PoolOptions.LEAK_LOGGER).log(System.Logger.Level.WARNING,
                                "Possible connection leak: pool '" + state.name + "' ("
                                + state.database + "): a " + (lease.isWriter() ? "writer" : "reader")
                                + " lease has been held for more than " + threshold
                                + " (leakDetectionThreshold) without release", acquired);
                    }
                }));
        return request;
    }

    /** A lease of {@code c}, counted until released; {@code back} returns the connection. */
    PoolLease lease(AsyncConnection c, boolean isWriter, Runnable back) {
        PoolLease lease = new PoolLease(c, isWriter, self -> giveBack(c).whenComplete((v, e) -> {
            held.remove(self);
            back.run();
        }));
        held.add(lease);
        return lease;
    }

    /** {@return how many leases are granted and not yet released} */
    int held() {
        return held.size();
    }

    /**
     * At close: leases still held once the grace period is over while {@code drained} is not done
     * are released by force (with a warning), so that a holder that never releases (an R2DBC
     * connection nobody closed) cannot keep close waiting forever. Their open transactions are
     * rolled back.
     *
     * @param drained completes once close no longer waits for anything a lease holds
     */
    void reclaimAfterGrace(CompletableFuture<Void> drained) {
        CompletableFuture.delayedExecutor(grace.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (!drained.isDone()) {
                reclaim();
            }
        });
    }

    private void reclaim() {
        List<PoolLease> still = new ArrayList<>(held);
        if (still.isEmpty()) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, () -> "pool '" + state.name + "': " + still.size()
                + " connection lease(s) still held " + grace + " after close began (a"
                + " connection or result never closed?); rolling back and closing anyway");
        for (PoolLease l : still) {
            l.release();
        }
    }

    /** Rolls back what a lease holder left open; never fails. */
    private CompletableFuture<Void> giveBack(AsyncConnection c) {
        if (!c.inTransaction() || c.isClosed()) {
            return CompletableFuture.completedFuture(null);
        }
        return c.rollback().handle((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "pool '" + state.name + "': rolling back a"
                        + " released connection's open transaction failed", Errors.unwrap(e));
            }
            return null;
        });
    }
}
