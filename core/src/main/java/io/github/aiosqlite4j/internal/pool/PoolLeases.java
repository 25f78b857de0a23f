package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.AsyncConnection;
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
 * At close, the leases still held after the shutdown grace period are released by force.
 */
final class PoolLeases {
    private static final System.Logger LOG = System.getLogger(SqlitePool.class.getName());

    private final PoolState state;
    private final Duration grace;
    private final Set<PoolLease> held = ConcurrentHashMap.newKeySet();

    PoolLeases(PoolState state, Duration grace) {
        this.state = state;
        this.grace = grace;
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

    /** @return how many leases are granted and not yet released */
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
