package io.github.aiosqlite4j.internal.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** SQLite itself, to check this package's answers against. */
final class Sqlite {
    private Sqlite() {}

    /** A new in-memory database on a plain JDBC connection. */
    static Connection memory() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite::memory:");
    }
}
