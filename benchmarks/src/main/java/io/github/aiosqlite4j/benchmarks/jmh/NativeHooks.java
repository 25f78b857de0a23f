package io.github.aiosqlite4j.benchmarks.jmh;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue #13: the cost per statement of SQLite's hooks through the native library. One invocation
 * runs {@value #BATCH} point selects in one task on the worker ({@code run}), so the hop to the
 * worker is spread over them and the figure is per statement. {@code hooks}: {@code none} (no
 * callback set; run once more with {@code -jvmArgsAppend -Daiosqlite4j.native=false} for the path
 * without the library), {@code authorizer} (allows everything: SQLite asks it on every prepare,
 * and aiosqlite4j's statement cache means a cached statement is not prepared again),
 * {@code trace} ({@code sqlite3_trace_v2} with the expanded SQL), {@code profile}, {@code
 * stmtstatus} (the statement status callback), {@code all}.
 */
@OperationsPerInvocation(NativeHooks.BATCH)
public class NativeHooks extends PointSelect {
    static final int BATCH = 100;

    @Param({"none", "authorizer", "trace", "profile", "stmtstatus"})
    public String hooks;

    private AsyncConnection db;
    private long seen;

    @Setup(Level.Trial)
    public void open() {
        db = AioSqlite.connect(SqliteConfig.builder(":memory:").completionExecutor(Runnable::run).build()).join();
        for (String sql : setup()) {
            db.execute(sql).join().closeAsync().join();
        }
        db.commit().join();
        switch (hooks) {
            case "authorizer":
                db.setAuthorizer((action, a, b, schema, source) -> {
                    seen++;
                    return Authorizer.SQLITE_OK;
                }).join();
                break;
            case "trace":
                db.setTraceCallback(sql -> seen += sql.length()).join();
                break;
            case "profile":
                db.setProfileCallback((sql, nanos) -> seen += nanos).join();
                break;
            case "stmtstatus":
                db.setStatementStatusCallback(s -> seen += s.vmSteps()).join();
                break;
            default:
                break;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        db.close();
    }

    /** {@value #BATCH} point selects in one task: the figure is per statement. */
    @Benchmark
    public long pointSelect() {
        return db.run(session -> {
            long sum = 0;
            for (int i = 0; i < BATCH; i++) {
                int id = nextId();
                List<Row> rows = session.query(POINT, id);
                if (rows.size() != 1 || rows.get(0).getLong(1) != id * 3L) {
                    throw new IllegalStateException("wrong row for id " + id);
                }
                sum += rows.get(0).getLong(0);
            }
            return sum + seen;
        }).join();
    }
}
