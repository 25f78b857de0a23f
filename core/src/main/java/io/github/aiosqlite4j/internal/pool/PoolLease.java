package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.AsyncConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One connection of a {@link DefaultSqlitePool} held by one user across several calls, until
 * {@link #release()}: a reader, or the writer (then every other write of the pool waits). Used by
 * the R2DBC driver, whose transactions span calls ({@code beginTransaction}, statements, {@code
 * commitTransaction}), which the pool's body-based API cannot express.
 *
 * <p>The holder must not close the connection or change its per-connection settings. Release it
 * exactly once it is done; {@link #release()} rolls back a transaction left open, so the next
 * user starts clean. Thread-safe.
 */
public final class PoolLease {
    private final AsyncConnection connection;
    private final boolean writer;
    private final Function<PoolLease, CompletableFuture<Void>> giveBack;
    private final AtomicBoolean released = new AtomicBoolean();
    private final CompletableFuture<Void> releasedFuture = new CompletableFuture<>();

    PoolLease(AsyncConnection connection, boolean writer,
            Function<PoolLease, CompletableFuture<Void>> giveBack) {
        this.connection = connection;
        this.writer = writer;
        this.giveBack = giveBack;
    }

    /** {@return the leased connection; valid until {@link #release()}} */
    public AsyncConnection connection() {
        return connection;
    }

    /** {@return whether this lease holds the pool's writer (else a reader)} */
    public boolean isWriter() {
        return writer;
    }

    /** {@return whether {@link #release()} has been called} */
    public boolean isReleased() {
        return released.get();
    }

    /**
     * Gives the connection back to the pool: first {@code ROLLBACK} if a transaction is still
     * open on it, then the next waiter gets it. Idempotent.
     *
     * @return a future completed once the connection is back in the pool (never failed: a failing
     *     rollback is logged by the pool)
     */
    public CompletableFuture<Void> release() {
        if (released.compareAndSet(false, true)) {
            giveBack.apply(this).whenComplete((v, e) -> releasedFuture.complete(null));
        }
        return releasedFuture;
    }

    @Override
    public String toString() {
        return "PoolLease{" + (writer ? "writer" : "reader") + ", released=" + released.get() + "}";
    }
}
