package io.github.aiosqlite4j.internal.pool;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What close waits for of one part of a pool (the readers, the writer, group commit): the part is
 * drained once the pool is closed and the part is idle, by a condition the part gives, and then
 * its last step has ended (closing the readers; nothing for the others). Close calls {@link
 * #start()}; the part calls {@link #check()} after anything that may leave it idle. The last step
 * begins once, outside the pool's lock.
 */
final class CloseDrain {
    private final PoolState state;
    private final BooleanSupplier idle;
    private final Supplier<CompletableFuture<?>> lastStep;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    /** Whether the last step has begun; guarded by the lock. */
    private boolean began;

    /**
     * A part drained as soon as it is idle after close.
     *
     * @param state the pool's shared state (its lock and closed flag)
     * @param idle whether the part is idle; called under the lock
     */
    CloseDrain(PoolState state, BooleanSupplier idle) {
        this(state, idle, () -> CompletableFuture.completedFuture(null));
    }

    /**
     * A part drained once its last step, begun when it is idle after close, has ended.
     *
     * @param state the pool's shared state (its lock and closed flag)
     * @param idle whether the part is idle; called under the lock
     * @param lastStep begins the last step, outside the lock; drained when its future completes,
     *     however
     */
    CloseDrain(PoolState state, BooleanSupplier idle, Supplier<CompletableFuture<?>> lastStep) {
        this.state = state;
        this.idle = idle;
        this.lastStep = lastStep;
    }

    /**
     * At close, with the closed flag set.
     *
     * @return a future completed once the part is drained
     */
    CompletableFuture<Void> start() {
        check();
        return drained;
    }

    /** After close: once the part is idle, begins its last step (once). */
    void check() {
        synchronized (state.lock) {
            if (!state.closed || began || !idle.getAsBoolean()) {
                return;
            }
            began = true;
        }
        lastStep.get().whenComplete((v, e) -> drained.complete(null));
    }
}
