package io.github.aiosqlite4j.benchmarks;

import static io.github.aiosqlite4j.benchmarks.Env.await;
import static io.github.aiosqlite4j.benchmarks.Side.check;
import static io.github.aiosqlite4j.benchmarks.Workloads.POINT;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import io.vertx.core.Context;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * W15: 100 concurrent callers making point selects on a WAL file (issue 14), each caller a chain
 * (its next lookup starts when the previous one completed). Two variants:
 *
 * <ul>
 *   <li>{@code pool_point_select}: aiosqlite4j's {@link SqlitePool} with 2 readers, {@code
 *       executeFetchAll} per lookup; against the single-thread WAL floor (sync column: one
 *       platform thread doing all the lookups in a loop on one sqlite-jdbc connection), against
 *       what a Java 21+ user writes instead (vthreads column: 100 virtual threads, each lookup
 *       borrowing one of 2 plain sqlite-jdbc connections from a {@link BlockingQueue}), and
 *       against the Vert.x {@code JDBCPool} of max size 2 driven from its event loop.
 *   <li>{@code pool_point_select (one connection)}: the same callers on one {@link
 *       AsyncConnection}, against the same sync loop, 100 virtual threads sharing one connection,
 *       and {@code JDBCPool} of max size 1.
 * </ul>
 *
 * <p>Every side reads the same WAL file and makes the same lookups. Virtual threads need Java
 * 21+; on an older JDK the vthreads column is {@code -} and the report says why.
 */
final class PoolPoints {

    private PoolPoints() {}

    static final int ROWS = 10_000;

    /** The table of W10/W11 in a file switched to WAL, shared by every W15 side. */
    static Path walFile(Env env) throws Exception {
        Path file = env.sharedFile("points-wal", Workloads.pointSetup(ROWS));
        try (Connection c = Env.jdbc(file.toString()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("pragma journal_mode = wal")) {
            check(rs.next() && "wal".equals(rs.getString(1)), "journal mode wal");
        }
        return file;
    }

    /**
     * Returns the W15 variant.
     *
     * @param env sizes, files, the Vertx instance
     * @param connections 2: the pool variant (2 readers); 1: one connection
     * @return the W15 variant
     */
    static Workload workload(Env env, int connections) {
        int callers = env.n(100, 10);
        // One batch: 100 callers x 250 lookups, as in W11; a round runs batches for >= 0.3 s, so
        // about 100 x 1,000 lookups at the floor's speed. Batches of 100 x 1,000 made the row take
        // 80 s of a loaded machine (11.5k lookups/s through the pool). Vert.x: 100 x 50.
        int lookups = env.n(250, 20);
        int vertxLookups = env.n(50, 20);
        int[] ids = Workloads.randomIds(ROWS);
        Workload.Factory sync = () -> {
            Connection c = Env.jdbc(walFile(env).toString());
            PreparedStatement ps = c.prepareStatement(POINT);
            return Side.of(() -> Workloads.syncLookups(ps, ids, callers, lookups), c::close);
        };
        Workload.Factory async = connections == 1 ? () -> {
            AsyncConnection db = Env.aio(walFile(env).toString(), List.of());
            return Side.of(() -> Workloads.aioCallers(id -> db.executeFetchAll(POINT, id), ids,
                    callers, lookups), db::close);
        } : () -> {
            SqlitePool pool = SqlitePool.open(
                    Env.config(walFile(env).toString())
                            .journalMode(SqliteConfig.JournalMode.WAL).build(),
                    PoolOptions.builder().name("w15").readers(connections).build()).join();
            return Side.of(() -> Workloads.aioCallers(id -> pool.executeFetchAll(POINT, id), ids,
                    callers, lookups), () -> pool.close());
        };
        Workload.Factory vertx = () -> {
            Pool pool = env.vertxPool(walFile(env).toString(), List.of(), connections);
            Context loop = env.loop();
            return Side.of(() -> Workloads.vertxCallers(loop, pool, ids, callers, vertxLookups),
                    () -> await(pool.close()));
        };
        Workload.Factory vthreads = !Env.VIRTUAL_THREADS ? null
                : () -> virtualThreads(walFile(env), connections, ids, callers, lookups);
        return connections == 1
                ? new Workload("W15", "pool_point_select (one connection)",
                        Workloads.ONE_CONNECTION, false, sync, async, vertx, vthreads, null)
                : new Workload("W15", "pool_point_select", new Workload.Target(
                        "W15 pool of 2 readers vs the single-thread WAL floor (#14)", 1.8),
                        false, sync, async, vertx, vthreads, new Workload.Target(
                        "W15 pool vs virtual threads on 2 sqlite-jdbc connections (#14)", 1.0));
    }

    /**
     * What a Java 21+ user writes instead of an async library: one virtual thread per caller,
     * plain blocking sqlite-jdbc, {@code connections} connections in a {@link BlockingQueue}
     * borrowed for each lookup.
     */
    static Side virtualThreads(Path file, int connections, int[] ids, int callers, int lookups)
            throws Exception {
        ExecutorService executor = Env.virtualThreads();
        List<Connection> open = new ArrayList<>(connections);
        BlockingQueue<PreparedStatement> idle = new ArrayBlockingQueue<>(connections);
        for (int i = 0; i < connections; i++) {
            Connection c = Env.jdbc(file.toString());
            open.add(c);
            idle.add(c.prepareStatement(POINT));
        }
        return Side.of(() -> {
            List<Future<?>> all = new ArrayList<>(callers);
            for (int caller = 0; caller < callers; caller++) {
                int first = caller * lookups;
                all.add(executor.submit(() -> {
                    for (int j = 0; j < lookups; j++) {
                        int id = ids[(first + j) & 0xffff];
                        PreparedStatement ps = idle.take();
                        try {
                            Workloads.syncLookup(ps, id);
                        } finally {
                            idle.put(ps);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            return (long) callers * lookups;
        }, () -> {
            executor.shutdownNow();
            for (Connection c : open) {
                c.close();
            }
        });
    }
}
