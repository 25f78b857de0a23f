package io.github.aiosqlite4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The startup warning about an sqlite-jdbc older than the one aiosqlite4j is built with. */
final class SqliteJdbcVersionTest {

    @Test
    void bootsOlderSqliteJdbc_getsAWarningThatSaysHowToPinIt() {
        assertThat(SqliteJdbcVersion.warning("3.50.3.0", "3.54.1.0")).hasValueSatisfying(w ->
                assertThat(w).contains("sqlite-jdbc 3.50.3.0", "older than 3.54.1.0",
                        "<sqlite-jdbc.version>3.54.1.0</sqlite-jdbc.version>"));
        assertThat(SqliteJdbcVersion.warning("3.54.1", "3.54.1.1")).isPresent();
    }

    @Test
    void theSameOrANewerVersion_orOneThatCannotBeRead_getsNone() {
        assertThat(SqliteJdbcVersion.warning("3.54.1.0", "3.54.1.0")).isEmpty();
        assertThat(SqliteJdbcVersion.warning("3.55.0.0", "3.54.1.0")).isEmpty();
        assertThat(SqliteJdbcVersion.warning("3.54.1.0", "3.54.1")).isEmpty();
        assertThat(SqliteJdbcVersion.warning("3.54.1.0-SNAPSHOT", "3.54.1.0")).isEmpty();
        assertThat(SqliteJdbcVersion.warning("3.50.3.0", null)).isEmpty();
    }

    @Test
    void theBuildsVersion_isTheOneOnTheTestClassPath() {
        assertThat(SqliteJdbcVersion.builtWith()).isEqualTo(org.sqlite.SQLiteJDBCLoader.getVersion())
                .matches("\\d+(\\.\\d+)+");
    }
}
