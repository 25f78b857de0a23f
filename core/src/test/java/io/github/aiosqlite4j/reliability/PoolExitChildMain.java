package io.github.aiosqlite4j.reliability;

import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link LeakTest}: queues write()s on a pool and calls {@code System.exit} at once,
 * without waiting for any. The shutdown hook must drain them all within the grace period. Each
 * write that fails prints {@code FAILED <n> <error>}.
 */
public final class PoolExitChildMain {
    private PoolExitChildMain() {}

    /**
     * @param args the database, the number of writes, the pool's {@code groupCommit}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int writes = Integer.parseInt(args[1]);
        SqlitePool pool = SqlitePool.open(SqliteConfig.builder(args[0])
                        .shutdownGracePeriod(Duration.ofSeconds(60)).build(),
                PoolOptions.builder().groupCommit(Integer.parseInt(args[2])).build())
                .get(30, TimeUnit.SECONDS);
        pool.execute("create table t (n integer primary key)").get(30, TimeUnit.SECONDS);
        for (int i = 0; i < writes; i++) {
            int n = i;
            pool.write(s -> s.execute("insert into t values (?)", n)).whenComplete((v, e) -> {
                if (e != null) {
                    System.out.println("FAILED " + n + " " + e);
                }
            });
        }
        System.out.println("exiting");
        System.exit(0);
    }
}
