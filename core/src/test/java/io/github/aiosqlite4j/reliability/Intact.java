package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Test helper: the check that ends a reliability run, that the database file is intact. */
final class Intact {
    private Intact() {}

    /**
     * Asserts that {@code pragma integrity_check} finds the database {@code s} works on intact.
     *
     * @param context what the database is, for the failure message
     */
    static void assertIntact(Statement s, String context) throws SQLException {
        try (ResultSet rs = s.executeQuery("pragma integrity_check")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as(context).isEqualTo("ok");
        }
    }
}
