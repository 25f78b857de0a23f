package io.github.aiosqlite4j.internal.live;

import io.github.aiosqlite4j.RowMapper;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One subscription to a live query. State, under {@code this}: demand; {@code stale} (a change
 * since the last query started); {@code running} (a query in flight or its result being
 * delivered: at most one at a time, so signals never overlap); the last result emitted.
 *
 * <p>A query runs only when the watcher is stale and has demand, so a slow subscriber costs one
 * flag per commit and nothing is queued for it (the watcher holds only the last result emitted,
 * to compare with): when it asks again, one query reads the latest state.
 * A result equal to the last one emitted is not emitted (a conservative re-query: a savepoint
 * rolled back, an unnamed change, another process's commit).
 */
final class Watcher<T> implements Flow.Subscription {
    private final LiveHub hub;
    private final Flow.Subscriber<? super List<T>> subscriber;
    final String sql;
    private final RowMapper<T> mapper;
    private final Object[] params;
    /** The tables the query reads (null: every change counts); set once before registration. */
    volatile Set<String> tables;

    private long demand;
    private boolean stale;
    private boolean running;
    private boolean done;
    /** Waits for uncommitted changes on the connection to end ({@link #invalidate} ends it). */
    private boolean waiting;
    /** close() came while running: complete when the running query ends. */
    private boolean completing;
    private List<T> last;

    Watcher(LiveHub hub, Flow.Subscriber<? super List<T>> subscriber, String sql, RowMapper<T> mapper,
            Object[] params) {
        this.hub = hub;
        this.subscriber = subscriber;
        this.sql = sql;
        this.mapper = mapper;
        this.params = params;
    }

    boolean reads(Set<String> changed) {
        Set<String> t = tables;
        return t == null || !Collections.disjoint(t, changed);
    }

    synchronized boolean isDone() {
        return done;
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("request(n) needs n > 0, was " + n + " (rule 3.9)"));
            return;
        }
        synchronized (this) {
            if (done) {
                return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
        runIfDue();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            last = null;
        }
        hub.unregister(this);
    }

    /** Worker: the query found uncommitted changes; it runs again when their transaction ends. */
    synchronized void waitForTransactionEnd() {
        waiting = true;
    }

    synchronized boolean isWaiting() {
        return waiting;
    }

    /** A change this watcher reads was committed, or its first result is due. */
    void invalidate() {
        synchronized (this) {
            if (done) {
                return;
            }
            stale = true;
            waiting = false;
        }
        runIfDue();
    }

    private void runIfDue() {
        synchronized (this) {
            if (done || running || waiting || !stale || demand == 0) {
                return;
            }
            running = true;
            stale = false;
        }
        CompletableFuture<List<T>> q;
        try {
            q = hub.querier().query(sql, mapper, params, () -> hub.writerHasUncommittedChanges(this));
        } catch (RuntimeException e) {
            q = CompletableFuture.failedFuture(e);
        }
        q.whenComplete(this::queried);
    }

    private void queried(List<T> result, Throwable e) {
        boolean emit = false;
        boolean end = false;
        synchronized (this) {
            if (done) {
                return;
            }
            if (completing) {
                done = true;
                end = true;
            } else if (e != null) {
                running = false;
            } else if (result == null) {
                // Uncommitted changes on the connection: wait for the commit or rollback that
                // ends them (waitForTransactionEnd ran on the worker, in order with the hooks),
                // unless that came already (invalidate ended the wait).
                running = false;
                stale = true;
                if (waiting) {
                    return;
                }
            } else if (last != null && last.equals(result)) {
                running = false;
            } else {
                demand--;
                last = result;
                emit = true;
            }
        }
        if (end) {
            subscriber.onComplete();
            return;
        }
        if (e != null) {
            fail(Errors.unwrap(e));
            return;
        }
        if (emit) {
            try {
                subscriber.onNext(result);
            } catch (RuntimeException | Error t) {
                // Rule 2.13: the subscriber broke the contract; the subscription is void.
                cancel();
                throw t;
            }
            boolean complete;
            synchronized (this) {
                running = false;
                complete = completing && !done;
                done |= complete;
            }
            if (complete) {
                subscriber.onComplete();
                return;
            }
        }
        runIfDue();
    }

    /** The hub closes: onComplete now, or when the running query ends. */
    void complete() {
        synchronized (this) {
            if (done || completing) {
                return;
            }
            if (running) {
                completing = true;
                return;
            }
            done = true;
        }
        subscriber.onComplete();
    }

    /** Ends the watcher with an error (the query failed: no such table, the connection closed). */
    void fail(Throwable e) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            last = null;
        }
        hub.unregister(this);
        subscriber.onError(e);
    }
}
