package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.internal.engine.Errors;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A {@link Flow.Publisher} over a source that yields items in chunks, one asynchronous fetch
 * (one worker round trip) per chunk, or per few chunks when the subscriber asked for that many
 * ({@link #MAX_CHUNKS_PER_FETCH}). It fetches only while the subscriber's demand exceeds what
 * is buffered or already asked for, with up to {@link #MAX_IN_FLIGHT} fetches queued at once, and
 * it asks for more as soon as a chunk arrives, before emitting it: the worker finds the next fetch
 * already queued when it finishes one (it never waits for the subscriber's round trip while
 * demand is left), and at most three fetches are held. Chunks are taken in the order they were
 * asked for. Signals are serialised by a work-in-progress counter (the usual drain loop), so
 * {@code request} from inside {@code onNext} does not recurse.
 *
 * @param <T> the item type
 */
final class ChunkedPublisher<T> implements Flow.Publisher<T> {

    /**
     * Fetches queued at once. One left the worker idle for a hand-off each way per chunk (W13:
     * the completer spinning 68% of its samples for the next chunk, the worker polling its empty
     * queue); two keep it reading.
     */
    static final int MAX_IN_FLIGHT = 2;

    /**
     * A fetch reads up to this many chunks when the subscriber has asked for that many items:
     * fewer round trips (W13, a subscriber requesting 256 rows at a time with the default chunk of
     * 64: 0.70 of the plain JDBC loop with one chunk per fetch), while an unbounded request still
     * holds a bounded number of items (three fetches).
     */
    static final int MAX_CHUNKS_PER_FETCH = 4;

    /** Where chunks come from; one instance per subscription. */
    interface Source<T> {
        /** Fetch up to n items; fewer than n means the end. */
        CompletableFuture<List<T>> fetch(int n);

        /**
         * The subscription ended: release resources.
         *
         * @param cancelled true if the subscriber cancelled (rather than the source ending)
         */
        void release(boolean cancelled);
    }

    private final Supplier<? extends Source<T>> sources;
    private final java.util.function.IntSupplier chunkSize;

    ChunkedPublisher(Supplier<? extends Source<T>> sources, java.util.function.IntSupplier chunkSize) {
        this.sources = sources;
        this.chunkSize = chunkSize;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber must not be null");
        ChunkSubscription<T> s = new ChunkSubscription<>(subscriber, sources.get(), chunkSize);
        subscriber.onSubscribe(s);
    }

    private static final class ChunkSubscription<T> implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        private final Source<T> source;
        private final java.util.function.IntSupplier chunkSize;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();
        private final ArrayDeque<T> buffer = new ArrayDeque<>();
        /** Fetches asked for and not taken yet, in order, with their sizes (drain loop only). */
        private final ArrayDeque<CompletableFuture<List<T>>> inFlight = new ArrayDeque<>();
        private final ArrayDeque<Integer> inFlightSizes = new ArrayDeque<>();
        private int inFlightItems;
        private volatile boolean cancelled;
        private Throwable failed;
        private volatile Throwable badRequest;
        private boolean sourceDone;
        private boolean terminated;

        ChunkSubscription(Flow.Subscriber<? super T> subscriber, Source<T> source,
                java.util.function.IntSupplier chunkSize) {
            this.subscriber = subscriber;
            this.source = source;
            this.chunkSize = chunkSize;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException(
                        "request(n) needs n > 0 (Reactive Streams rule 3.9), was " + n);
            } else {
                demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            // Release now, not at the next drain pass: whatever the subscriber does after
            // cancel() returns must already see the source released (a closed cursor).
            release(true);
            drain();
        }

        private void release(boolean byCancel) {
            if (released.compareAndSet(false, true)) {
                try {
                    source.release(byCancel);
                } catch (Throwable ignored) {
                    // releasing is best effort
                }
            }
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                if (!terminated) {
                    step();
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void step() {
            if (cancelled) {
                finish(true);
                return;
            }
            if (badRequest != null) {
                finish(false);
                subscriber.onError(badRequest);
                return;
            }
            takeArrived();
            fetchIfWanted(); // before emitting: overlap the next round trip with onNext calls
            while (demand.get() > 0 && !buffer.isEmpty()) {
                if (cancelled) {
                    finish(true);
                    return;
                }
                T item = buffer.poll();
                demand.decrementAndGet();
                subscriber.onNext(item);
            }
            if (cancelled) {
                finish(true);
                return;
            }
            if (buffer.isEmpty() && sourceDone) {
                finish(false);
                subscriber.onComplete();
                return;
            }
            Throwable error = failed;
            if (error != null && buffer.isEmpty()) {
                // Items that arrived before the failing fetch have been delivered first.
                finish(false);
                subscriber.onError(error);
                return;
            }
            fetchIfWanted();
        }

        /** Moves the chunks that have arrived, in the order they were asked for, to the buffer. */
        private void takeArrived() {
            while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
                CompletableFuture<List<T>> f = inFlight.pollFirst();
                int asked = inFlightSizes.pollFirst();
                inFlightItems -= asked;
                List<T> chunk;
                try {
                    chunk = f.join();
                } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                    if (failed == null) {
                        failed = Errors.unwrap(e);
                    }
                    continue;
                }
                if (sourceDone || failed != null) {
                    continue; // asked for before the end (or the failure) was known
                }
                buffer.addAll(chunk);
                if (chunk.size() < asked) {
                    sourceDone = true;
                }
            }
        }

        private void fetchIfWanted() {
            long wanted;
            while (inFlight.size() < MAX_IN_FLIGHT && !sourceDone && failed == null
                    && (wanted = demand.get() - buffer.size() - inFlightItems) > 0) {
                // A chunk, or the demand not covered yet shared among the free fetch slots (at
                // most MAX_CHUNKS_PER_FETCH chunks): never more than requested plus one chunk.
                int chunk = Math.max(1, chunkSize.getAsInt());
                long share = wanted / (MAX_IN_FLIGHT - inFlight.size());
                int n = (int) Math.max(chunk, Math.min(share, (long) MAX_CHUNKS_PER_FETCH * chunk));
                CompletableFuture<List<T>> f;
                try {
                    f = source.fetch(n);
                } catch (Throwable t) {
                    f = CompletableFuture.failedFuture(t);
                }
                inFlight.addLast(f);
                inFlightSizes.addLast(n);
                inFlightItems += n;
                f.whenComplete((list, err) -> drain()); // re-enters the loop, never recurses
                takeArrived(); // a fetch the buffer answered at once
            }
        }

        private void finish(boolean byCancel) {
            if (!terminated) {
                terminated = true;
                buffer.clear();
                release(byCancel);
            }
        }
    }
}
