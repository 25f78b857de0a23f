package io.github.aiosqlite4j;

import java.util.concurrent.TimeUnit;

/**
 * Child-JVM program for {@link LifecycleTest}: queues inserts on a connection it never closes and
 * returns from main without waiting for them. The JVM must exit by itself (daemon worker) and the
 * shutdown hook must drain the queue so every insert lands.
 */
public final class LeftOpenMain {
    private LeftOpenMain() {}

    /**
     * @param args database path, number of inserts
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        // No fsync per insert and a long grace period: the drain must not depend on disk speed.
        AsyncConnection db = AioSqlite.connect(SqliteConfig.builder(args[0])
                .isolationLevel(IsolationLevel.AUTOCOMMIT)
                .synchronous(SqliteConfig.SynchronousMode.OFF)
                .shutdownGracePeriod(java.time.Duration.ofSeconds(50))
                .build()).get(30, TimeUnit.SECONDS);
        db.execute("create table t (n integer)").get(30, TimeUnit.SECONDS);
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            db.execute("insert into t (n) values (?)", i);
        }
        System.out.println("main returned");
    }
}
