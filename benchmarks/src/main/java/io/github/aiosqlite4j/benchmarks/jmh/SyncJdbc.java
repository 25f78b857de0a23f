package io.github.aiosqlite4j.benchmarks.jmh;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The floor for {@link SingleHop}: the same point select through plain sqlite-jdbc. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SyncJdbc {

    private Connection connection;
    private PreparedStatement point;
    private int next;

    static List<String> setup() {
        return List.of("create table t (id integer primary key, k integer, v text)",
                "insert into t (id, k, v) with recursive n(x) as (select 1 union all select x + 1"
                        + " from n where x < " + SingleHop.ROWS + ") select x, x * 3, 'v' || x from n");
    }

    @Setup(Level.Trial)
    public void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = connection.createStatement()) {
            for (String sql : setup()) {
                s.executeUpdate(sql);
            }
        }
        point = connection.prepareStatement(SingleHop.POINT);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
    }

    /** A prepared statement reused: bind, step, read the row (3 columns), reset. */
    @Benchmark
    public long pointSelect() throws SQLException {
        next = next * 1_103_515_245 + 12_345;
        int id = 1 + (next >>> 1) % SingleHop.ROWS;
        point.setInt(1, id);
        try (ResultSet rs = point.executeQuery()) {
            if (!rs.next() || rs.getLong(2) != id * 3L) {
                throw new IllegalStateException("wrong row for id " + id);
            }
            return rs.getLong(1) + rs.getString(3).length();
        }
    }
}
