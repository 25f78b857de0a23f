package io.github.aiosqlite4j.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link SingleHop} and {@link SyncJdbc} share, so that they measure the same thing: the JMH
 * settings (inherited), the {@code :memory:} table, the point select and the sequence of ids it
 * looks up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class PointSelect {

    static final String POINT = "select * from t where id = ?";
    static final int ROWS = 10_000;

    private int next;

    /** The statements that create and fill the table. */
    static List<String> setup() {
        return List.of("create table t (id integer primary key, k integer, v text)",
                "insert into t (id, k, v) with recursive n(x) as (select 1 union all select x + 1"
                        + " from n where x < " + ROWS + ") select x, x * 3, 'v' || x from n");
    }

    /** The next id to look up: a pseudo-random walk over 1 to {@link #ROWS}, the same in each benchmark. */
    int nextId() {
        next = next * 1_103_515_245 + 12_345;
        return 1 + (next >>> 1) % ROWS;
    }
}
