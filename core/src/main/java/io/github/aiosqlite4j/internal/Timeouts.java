package io.github.aiosqlite4j.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One shared daemon timer for {@code orTimeout} deadlines; created on first use. */
final class Timeouts {
    private Timeouts() {}

    private static final class Holder {
        static final ScheduledExecutorService TIMER = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "aiosqlite4j-timeouts");
                thread.setDaemon(true);
                return thread;
            });
            t.setRemoveOnCancelPolicy(true);
            return Executors.unconfigurableScheduledExecutorService(t);
        }
    }

    static void schedule(Task<?> task, long nanos) {
        var f = Holder.TIMER.schedule(task::expire, nanos, TimeUnit.NANOSECONDS);
        task.whenComplete((v, e) -> f.cancel(false));
    }
}
