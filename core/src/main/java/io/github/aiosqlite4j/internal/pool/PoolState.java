package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.SqliteError;
import io.github.aiosqlite4j.internal.ConnectionWorker;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.sql.SQLException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the parts of one pool share: its name and database (for messages), the one {@link #lock}
 * that orders them, the closed flag, the counters behind {@link DefaultSqlitePool#metrics()}, and
 * how a part completes a caller's future ({@link #complete}). The fields that are not final are
 * guarded by the lock.
 */
final class PoolState {
    /** SQLite's primary result code {@code SQLITE_BUSY}. */
    private static final int SQLITE_BUSY = 5;

    final String name;
    final String database;
    /**
     * Guards every queue of the pool, the closed flag and the counters, so that a request and close
     * are ordered, and a metrics snapshot is consistent. Held only to take or give back a
     * connection, or to enqueue; bodies and callbacks run outside it.
     */
    final Object lock = new Object();
    private final Executor completion;

    boolean closed;
    int writesPending;
    long reads;
    long writes;
    long commits;
    long waits;
    long timeouts;
    long rejections;
    long busy;

    PoolState(String name, String database, Executor completion) {
        this.name = name;
        this.database = database;
        this.completion = completion;
    }

    /** The counters with the readers' state and the leases held; called under the lock. */
    PoolMetrics metrics(int readers, int readersBusy, int readersWaiting, int leasesHeld) {
        return new PoolMetrics(readers, readersBusy, readersWaiting, writesPending, reads, writes,
                commits, waits, timeouts, rejections, busy, leasesHeld);
    }

    /**
     * Counts a request that failed with {@code SQLITE_BUSY} in {@link #busy}; takes the lock only
     * then, so a request that did not fail costs nothing. Not called under the lock.
     *
     * @param e the request's failure, perhaps wrapped, or null
     */
    void failed(Throwable e) {
        if (e != null && Errors.unwrap(e) instanceof SqliteError s && s.resultCode() == SQLITE_BUSY) {
            synchronized (lock) {
                busy++;
            }
        }
    }

    SQLException closedError() {
        return Errors.poolClosed(name, database);
    }

    /** Removes a cancelled write from the queue it waits in; false if it has left it already. */
    boolean withdrawWrite(Collection<?> queue, Object write) {
        synchronized (lock) {
            if (!queue.remove(write)) {
                return false;
            }
            writesPending--;
            writes++;
            return true;
        }
    }

    /**
     * Runs a completion on the completion executor; here if it is shut down or refuses it; on the
     * JDK's async pool if it has not started it within {@link
     * ConnectionWorker#COMPLETION_STALL_NANOS} (dropped silently, or starved). Whichever comes
     * first runs it, once.
     */
    void complete(Runnable action) {
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                action.run();
            }
        };
        if (!ConnectionWorker.isShutDown(completion)) {
            try {
                completion.execute(once);
                if (!ran.get()) {
                    CompletableFuture.delayedExecutor(ConnectionWorker.COMPLETION_STALL_NANOS,
                            TimeUnit.NANOSECONDS, late -> {
                                if (!ran.get()) {
                                    CompletableFuture.runAsync(late);
                                }
                            }).execute(once);
                }
                return;
            } catch (RejectedExecutionException e) {
                // shut down: run it here
            }
        }
        once.run();
    }
}
