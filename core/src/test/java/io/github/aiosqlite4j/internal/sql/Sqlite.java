package io.github.aiosqlite4j.internal.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** SQLite itself, to check this package's answers against. */
final class Sqlite {
    private Sqlite() {}

    /** A new in-memory database on a plain JDBC connection. */
    static Connection memory() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite::memory:");
    }

    /** Like {@link #memory()}, with a table {@code t(a, b, c)} for the statements to name. */
    static Connection memoryWithTable() throws SQLException {
        Connection c = memory();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t(a, b, c)");
        }
        return c;
    }
}
