package io.github.aiosqlite4j.benchmarks.jmh;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import java.util.List;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one awaited round trip to the connection's worker: a point select on a 10,000-row
 * {@code :memory:} table, with the default completion executor ({@code ForkJoinPool.commonPool()})
 * and with direct completion on the worker ({@code completionExecutor(Runnable::run)}). Compare
 * with {@link SyncJdbc}, the same query without the async layer; run with {@code -prof gc} for
 * the allocation per operation.
 */
public class SingleHop extends PointSelect {

    /** {@code default}: ForkJoinPool.commonPool(); {@code direct}: Runnable::run. */
    @Param({"default", "direct"})
    public String completion;

    private AsyncConnection db;

    @Setup(Level.Trial)
    public void open() {
        SqliteConfig.Builder config = SqliteConfig.builder(":memory:");
        if (completion.equals("direct")) {
            config.completionExecutor(Runnable::run);
        }
        db = AioSqlite.connect(config.build()).join();
        for (String sql : setup()) {
            db.execute(sql).join().closeAsync().join();
        }
        db.commit().join();
    }

    @TearDown(Level.Trial)
    public void close() {
        db.close();
    }

    /** One hop: {@code executeFetchAll} of one row, awaited. */
    @Benchmark
    public List<Row> executeFetchAll() {
        int id = nextId();
        List<Row> rows = db.executeFetchAll(POINT, id).join();
        if (rows.size() != 1 || rows.get(0).getLong(1) != id * 3L) {
            throw new IllegalStateException("wrong row for id " + id);
        }
        return rows;
    }

    /** Three hops, as Python's point_select: {@code execute}, {@code fetchOne}, close. */
    @Benchmark
    public Optional<Row> executeFetchOneClose() {
        int id = nextId();
        AsyncCursor cursor = db.execute(POINT, id).join();
        Optional<Row> row = cursor.fetchOne().join();
        cursor.closeAsync().join();
        if (row.isEmpty() || row.get().getLong(1) != id * 3L) {
            throw new IllegalStateException("wrong row for id " + id);
        }
        return row;
    }
}
