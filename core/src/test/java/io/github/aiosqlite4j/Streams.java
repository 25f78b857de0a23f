package io.github.aiosqlite4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** Test helper: drains a publisher into a future list, requesting a few items at a time. */
public final class Streams {
    private Streams() {}

    /**
     * Collects everything {@code publisher} emits, three items a request.
     *
     * @param publisher the publisher
     * @return a future completing with the items in order, or failing with the stream's error
     */
    public static <T> CompletableFuture<List<T>> collect(Flow.Publisher<T> publisher) {
        return collect(publisher, 3);
    }

    /**
     * Collects everything {@code publisher} emits, requesting {@code batch} items again each time
     * the previous request is delivered.
     *
     * @param publisher the publisher
     * @param batch how many items a request asks for ({@link Long#MAX_VALUE}: all at once)
     * @return a future completing with the items in order, or failing with the stream's error
     */
    public static <T> CompletableFuture<List<T>> collect(Flow.Publisher<T> publisher, long batch) {
        CompletableFuture<List<T>> out = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<T>() {
            private final List<T> items = new ArrayList<>();
            private Flow.Subscription subscription;
            private long outstanding;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                outstanding = batch;
                s.request(batch);
            }

            @Override
            public void onNext(T item) {
                items.add(item);
                if (--outstanding == 0) {
                    outstanding = batch;
                    subscription.request(batch);
                }
            }

            @Override
            public void onError(Throwable t) {
                out.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                out.complete(items);
            }
        });
        return out;
    }
}
