package io.github.aiosqlite4j;

import java.util.concurrent.CountDownLatch;

/** Test helper: a query that runs until it is cancelled or interrupted, and a way to see it run. */
final class Endless {
    /**
     * Runs for far longer than any test waits (a recursive CTE that never ends by itself); calls
     * {@code mark()} (see {@link #registerMark}) as it starts.
     */
    static final String QUERY = "with recursive c(x) as (select mark() union all select x + 1 from c) "
            + "select count(*) from c";

    private Endless() {}

    /**
     * Registers {@code mark()} on {@code db}: it returns 1 and counts the returned latch down.
     *
     * @return a latch that reaches zero once {@link #QUERY} runs on {@code db}
     */
    static CountDownLatch registerMark(AsyncConnection db) {
        CountDownLatch running = new CountDownLatch(1);
        db.createFunction("mark", 0, args -> {
            running.countDown();
            return 1;
        }, false).join();
        return running;
    }
}
