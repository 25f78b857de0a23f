package io.github.aiosqlite4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class CloseDrainTest {
    private final PoolState state = new PoolState("test", "test.db", Runnable::run);
    private final AtomicBoolean idle = new AtomicBoolean();

    @Test
    void drained_onlyAfterClose_andOnceIdle() {
        CloseDrain drain = new CloseDrain(state, idle::get);
        idle.set(true);
        drain.check();
        CompletableFuture<Void> drained = drain.start();
        assertThat(drained).as("the pool is not closed").isNotDone();

        idle.set(false);
        state.closed = true;
        assertThat(drain.start()).as("the part is busy").isSameAs(drained).isNotDone();
        idle.set(true);
        drain.check();
        assertThat(drained).isCompleted();
    }

    @Test
    void theLastStep_beginsOnce_andEndsTheDrain() {
        AtomicInteger began = new AtomicInteger();
        CompletableFuture<Void> step = new CompletableFuture<>();
        CloseDrain drain = new CloseDrain(state, idle::get, () -> {
            began.incrementAndGet();
            return step;
        });
        state.closed = true;
        idle.set(true);
        CompletableFuture<Void> drained = drain.start();
        drain.check();
        drain.check();
        assertThat(began).hasValue(1);
        assertThat(drained).as("the last step has not ended").isNotDone();
        step.completeExceptionally(new IllegalStateException("a reader failed to close"));
        assertThat(drained).isCompleted();
    }
}
