package io.github.aiosqlite4j;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * Child JVM of {@link LiveQueryTest}: another process writing the watched file with plain
 * sqlite-jdbc. Inserts the values {@code 1..n} into {@code a(x)}, one autocommit insert each,
 * then exits.
 */
public final class LiveWriterChildMain {
    private LiveWriterChildMain() {}

    /**
     * @param args the database file, n
     * @throws Exception on failure (the child then exits non-zero)
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
                PreparedStatement ps = c.prepareStatement("insert into a values (?)")) {
            for (int i = 1; i <= n; i++) {
                ps.setInt(1, i);
                ps.executeUpdate();
            }
        }
    }
}
