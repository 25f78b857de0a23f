package io.github.aiosqlite4j.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue #14, the decision behind shared read transactions: what one read transaction costs
 * SQLite. Plain sqlite-jdbc on a WAL file (a second connection open, as beside a pool's writer),
 * {@value #READS} point selects per invocation, in transactions of {@code perTransaction} reads:
 * 1 is autocommit (each select opens and ends its own), more wraps that many in {@code BEGIN} /
 * {@code COMMIT}. The figure is per select.
 */
@OperationsPerInvocation(ReadTransactions.READS)
public class ReadTransactions extends PointSelect {
    static final int READS = 100;

    @Param({"1", "2", "4", "10", "50"})
    public int perTransaction;

    private Path dir;
    private Connection other;
    private Connection connection;
    private Statement control;
    private PreparedStatement point;

    @Setup(Level.Trial)
    public void open() throws SQLException, IOException {
        dir = Files.createTempDirectory("read-transactions");
        String url = "jdbc:sqlite:" + dir.resolve("r.db");
        other = DriverManager.getConnection(url);
        try (Statement s = other.createStatement()) {
            s.execute("pragma journal_mode = wal");
            for (String sql : setup()) {
                s.executeUpdate(sql);
            }
        }
        connection = DriverManager.getConnection(url);
        control = connection.createStatement();
        point = connection.prepareStatement(POINT);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException, IOException {
        connection.close();
        other.close();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** {@value #READS} point selects, {@code perTransaction} to a read transaction. */
    @Benchmark
    public long pointSelects() throws SQLException {
        long sum = 0;
        for (int i = 0; i < READS; i += perTransaction) {
            if (perTransaction > 1) {
                control.execute("begin");
            }
            for (int j = 0; j < perTransaction; j++) {
                int id = nextId();
                point.setInt(1, id);
                try (ResultSet rs = point.executeQuery()) {
                    if (!rs.next() || rs.getLong(2) != id * 3L) {
                        throw new IllegalStateException("wrong row for id " + id);
                    }
                    sum += rs.getLong(1);
                }
            }
            if (perTransaction > 1) {
                control.execute("commit");
            }
        }
        return sum;
    }
}
