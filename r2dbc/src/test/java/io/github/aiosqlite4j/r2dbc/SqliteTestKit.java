package io.github.aiosqlite4j.r2dbc;

import io.github.aiosqlite4j.SqliteConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The R2DBC TCK ({@code io.r2dbc:r2dbc-spi-test}) against a temporary SQLite file, one core
 * connection per R2DBC connection (fixtures: {@link TckFixture}).
 */
final class SqliteTestKit extends TckFixture {

    private static final Path DATABASE = createDatabase("aiosqlite4j-tck");
    private static final SqliteConnectionFactory FACTORY =
            SqliteConnectionFactory.create(SqliteConfig.builder(DATABASE).build());
    private static final JdbcTemplate JDBC = jdbc(DATABASE);

    @AfterAll
    static void deleteDatabase() throws IOException {
        FACTORY.close().block();
        delete(DATABASE);
    }

    SqliteTestKit() {
        super(FACTORY, JDBC);
    }
}
