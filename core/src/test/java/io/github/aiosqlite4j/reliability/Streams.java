package io.github.aiosqlite4j.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** Test helper: drains a publisher into a future list, requesting a few items at a time. */
final class Streams {
    private Streams() {}

    static <T> CompletableFuture<List<T>> collect(Flow.Publisher<T> publisher) {
        return collect(publisher, 3);
    }

    static <T> CompletableFuture<List<T>> collect(Flow.Publisher<T> publisher, int batch) {
        CompletableFuture<List<T>> out = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<T>() {
            private final List<T> items = new ArrayList<>();
            private Flow.Subscription subscription;
            private int outstanding;

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
