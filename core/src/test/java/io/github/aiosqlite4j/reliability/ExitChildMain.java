package io.github.aiosqlite4j.reliability;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.SqliteConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link LeakTest}: returns from main with one connection in the middle of an
 * uncommitted transaction and another running an endless query with an insert queued behind it.
 * The JVM must still exit by itself.
 */
public final class ExitChildMain {
    private ExitChildMain() {}

    /**
     * @param args the database with the open transaction, the database with the endless query
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        AsyncConnection open = AioSqlite.connect(args[0]).get(30, TimeUnit.SECONDS);
        open.execute("create table t (v text)").get(30, TimeUnit.SECONDS);
        open.commit().get(30, TimeUnit.SECONDS);
        open.execute("insert into t values ('uncommitted')").get(30, TimeUnit.SECONDS);

        AsyncConnection busy = AioSqlite.connect(SqliteConfig.builder(args[1])
                .isolationLevel(IsolationLevel.AUTOCOMMIT)
                .shutdownGracePeriod(Duration.ofMillis(300)).build()).get(30, TimeUnit.SECONDS);
        busy.execute("create table t (v text)").get(30, TimeUnit.SECONDS);
        busy.executeFetchAll("with recursive c(x) as (select 1 union all select x + 1 from c)"
                + " select count(*) from c");
        busy.execute("insert into t values ('queued behind the endless query')");
        System.out.println("main returned");
    }
}
