package io.github.aiosqlite4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Test helper: a subscriber to a live query that records every result and lets a test wait
 * (without sleeping) until the latest one satisfies a condition. Demand is the test's: {@link
 * #request} (the constructor's initial request may be 0).
 */
final class LiveProbe<T> implements Flow.Subscriber<T> {
    private final long initial;
    private final List<T> items = new ArrayList<>();
    private Flow.Subscription subscription;
    private Throwable error;
    private boolean completed;

    LiveProbe(long initialRequest) {
        this.initial = initialRequest;
    }

    static <T> LiveProbe<T> subscribe(Flow.Publisher<T> publisher, long initialRequest) {
        LiveProbe<T> p = new LiveProbe<>(initialRequest);
        publisher.subscribe(p);
        return p;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (initial > 0) {
            s.request(initial);
        }
    }

    @Override
    public synchronized void onNext(T item) {
        items.add(item);
        notifyAll();
    }

    @Override
    public synchronized void onError(Throwable t) {
        error = t;
        notifyAll();
    }

    @Override
    public synchronized void onComplete() {
        completed = true;
        notifyAll();
    }

    void request(long n) {
        Flow.Subscription s;
        synchronized (this) {
            s = subscription;
        }
        s.request(n);
    }

    void cancel() {
        Flow.Subscription s;
        synchronized (this) {
            s = subscription;
        }
        s.cancel();
    }

    synchronized List<T> items() {
        return new ArrayList<>(items);
    }

    synchronized T latest() {
        return items.isEmpty() ? null : items.get(items.size() - 1);
    }

    synchronized Throwable error() {
        return error;
    }

    synchronized boolean completed() {
        return completed;
    }

    /** Waits until the latest result satisfies cond (a 60 s bound against a hang, not a timing). */
    synchronized T awaitLatest(Predicate<? super T> cond) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (items.isEmpty() || !cond.test(items.get(items.size() - 1))) {
            if (error != null) {
                throw new AssertionError("the live query failed", error);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no matching result; items: " + items);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return items.get(items.size() - 1);
    }

    /** Waits for the stream to end (completion or error). */
    synchronized void awaitTermination() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!completed && error == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("not terminated; items: " + items);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until count results arrived. */
    synchronized void awaitCount(int count) throws Exception {
        awaitLatestIndex(count);
    }

    private void awaitLatestIndex(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (items.size() < count) {
            if (error != null) {
                throw new AssertionError("the live query failed", error);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("fewer than " + count + " results: " + items);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
