package io.github.aiosqlite4j.benchmarks.jmh;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** The floor for {@link SingleHop}: the same point select through plain sqlite-jdbc. */
public class SyncJdbc extends PointSelect {

    private Connection connection;
    private PreparedStatement point;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = connection.createStatement()) {
            for (String sql : setup()) {
                s.executeUpdate(sql);
            }
        }
        point = connection.prepareStatement(POINT);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
    }

    /** A prepared statement reused: bind, step, read the row (3 columns), reset. */
    @Benchmark
    public long pointSelect() throws SQLException {
        int id = nextId();
        point.setInt(1, id);
        try (ResultSet rs = point.executeQuery()) {
            if (!rs.next() || rs.getLong(2) != id * 3L) {
                throw new IllegalStateException("wrong row for id " + id);
            }
            return rs.getLong(1) + rs.getString(3).length();
        }
    }
}
