package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit: with {@code PoolOptions.groupCommit > 1}, {@code write} bodies wait in a queue
 * of their own instead of going to the writer one by one; the first one queues a group task on
 * the writer ({@link WriterQueue#enqueue}, so behind a writer lease like any submission). When
 * the group starts it takes up to {@code groupCommit} queued bodies (and queues the next group if
 * more are left), runs each in a SAVEPOINT of one {@code BEGIN IMMEDIATE} transaction, and the
 * futures complete only after the COMMIT. If SQLite ends the transaction under a body, the bodies
 * that ran fail (none is acknowledged) and the ones not yet run go back to the head of the queue.
 * The queue and {@link #drainScheduled} are guarded by the pool's lock.
 */
final class GroupCommit {
    private final PoolState state;
    private final Object lock;
    private final AsyncConnection writer; // null in read-only mode
    private final WriterQueue writerQueue;
    /** {@code PoolOptions.groupCommit}: the most write bodies one group takes. */
    private final int limit;
    private final ArrayDeque<GroupedWrite<?>> grouped = new ArrayDeque<>();
    /** Whether a group task is queued on the writer and has not taken its writes yet. */
    private boolean drainScheduled;
    private final CloseDrain closeDrain;

    GroupCommit(PoolState state, AsyncConnection writer, WriterQueue writerQueue, int limit) {
        this.state = state;
        this.lock = state.lock;
        this.writer = writer;
        this.writerQueue = writerQueue;
        this.limit = limit;
        this.closeDrain = new CloseDrain(state, () -> grouped.isEmpty() && !drainScheduled);
    }

    /** {@return whether {@code write} bodies are grouped ({@code PoolOptions.groupCommit > 1})} */
    boolean isOn() {
        return limit > 1;
    }

    /**
     * Queues a {@code write} body for a group.
     *
     * @return a future completed with the body's result once its group committed, failed with
     *     the body's own error, or with the group's if the group failed; failed at once if the
     *     pool is closed or read-only; cancelling it while it is queued withdraws it
     */
    <T> CompletableFuture<T> submit(SqlFunction<SqliteSession, T> body) {
        GroupedWrite<T> write = new GroupedWrite<>(body);
        synchronized (lock) {
            SQLException refused = writerQueue.refusal();
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            grouped.addLast(write);
            state.writesPending++;
            if (!drainScheduled) {
                scheduleDrain();
            }
        }
        write.result.whenComplete((v, e) -> {
            if (write.result.isCompletedExceptionally() && state.withdrawWrite(grouped, write)) {
                closeDrain.check();
            }
        });
        return write.result;
    }

    /**
     * Queues one group on the writer. Called under the lock, so it is ordered with close. The
     * group takes the writes queued when it starts, up to {@code groupCommit}.
     */
    private void scheduleDrain() {
        drainScheduled = true;
        Runnable after = writerQueue.enqueue(this::submitGroup);
        if (after != null) {
            after.run(); // registers callbacks only; the group runs on the writer
        }
    }

    /** Queues one group on the writer (under the lock); see {@link #scheduleDrain}. */
    private Runnable submitGroup() {
        List<GroupedWrite<?>> batch = new ArrayList<>();
        AtomicBoolean started = new AtomicBoolean();
        CompletableFuture<Void> group = writer.transaction(IsolationLevel.IMMEDIATE, s -> {
            started.set(true);
            synchronized (lock) {
                while (batch.size() < limit && !grouped.isEmpty()) {
                    batch.add(grouped.pollFirst());
                }
                if (grouped.isEmpty()) {
                    drainScheduled = false;
                } else {
                    scheduleDrain(); // the rest go in the next group, queued behind this one
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                GroupedWrite<?> w = batch.get(i);
                if (w.result.isDone()) {
                    continue; // cancelled while queued
                }
                w.run(s);
                if (!s.inTransaction()) {
                    int size = batch.size();
                    // SQLite rolled the whole group back (or the body ended it): what ran before is
                    // gone or unknown, so nobody in this group may be acknowledged.
                    requeue(batch.subList(i + 1, batch.size()));
                    batch.subList(i + 1, batch.size()).clear();
                    throw Errors.library("pool '" + state.name + "': write body " + (i + 1) + " of"
                            + " a group of " + size + " ended the group transaction"
                            + " (SQLite rolled it back after an error, or the body ran COMMIT or"
                            + " ROLLBACK itself); the writes of this group were not acknowledged"
                            + " and must be retried", null);
                }
            }
            return null;
        });
        group.whenComplete((v, e) -> {
            Throwable groupError = e == null ? null : Errors.unwrap(e);
            if (groupError != null && !started.get()) {
                // The group never started (the writer's queue was full, BEGIN IMMEDIATE failed):
                // fail what is queued now rather than leave it waiting for a group never to come.
                List<GroupedWrite<?>> stranded;
                synchronized (lock) {
                    stranded = new ArrayList<>(grouped);
                    grouped.clear();
                    drainScheduled = false;
                }
                batch.addAll(stranded);
            }
            int succeeded = 0;
            for (GroupedWrite<?> w : batch) {
                if (groupError == null && w.error == null) {
                    succeeded++;
                }
            }
            synchronized (lock) {
                state.writesPending -= batch.size();
                state.writes += batch.size();
                if (succeeded > 0) {
                    state.commits++;
                }
            }
            for (GroupedWrite<?> w : batch) {
                state.failed(groupError != null ? groupError : w.error);
                w.complete(groupError);
            }
            closeDrain.check();
        });
        return null;
    }

    /**
     * At close, with the closed flag set: group commit is drained once no write body is queued
     * or about to be taken by a group.
     *
     * @return a future completed once it is
     */
    CompletableFuture<Void> drain() {
        return closeDrain.start();
    }

    /** Puts writes a failed group did not run back at the head of the queue. */
    private void requeue(List<GroupedWrite<?>> notRun) {
        synchronized (lock) {
            for (int i = notRun.size() - 1; i >= 0; i--) {
                grouped.addFirst(notRun.get(i));
            }
            if (!grouped.isEmpty() && !drainScheduled) {
                scheduleDrain();
            }
        }
    }

    /** A write() body waiting for, or running in, a group; run and error are used on the writer. */
    private static final class GroupedWrite<T> {
        final SqlFunction<SqliteSession, T> body;
        final CompletableFuture<T> result = new PoolFuture<>();
        T value;
        Throwable error;

        GroupedWrite(SqlFunction<SqliteSession, T> body) {
            this.body = body;
        }

        /** Runs the body in a SAVEPOINT of the group's transaction; remembers the outcome. */
        void run(SqliteSession s) {
            try {
                value = s.transaction(body);
            } catch (Throwable e) {
                error = e;
            }
        }

        /** Completes the future once the group's fate is known (null: committed). */
        void complete(Throwable groupError) {
            if (error != null) {
                result.completeExceptionally(error);
            } else if (groupError != null) {
                result.completeExceptionally(groupError);
            } else {
                result.complete(value);
            }
        }
    }
}
