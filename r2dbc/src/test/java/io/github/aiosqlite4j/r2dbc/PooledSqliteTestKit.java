package io.github.aiosqlite4j.r2dbc;

import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole R2DBC TCK again, with every connection routed through one {@code SqlitePool} (the
 * factory's pool mode: statements leased per statement from the readers or the writer,
 * transactions holding the writer).
 */
final class PooledSqliteTestKit extends TckFixture {

    private static final Path DATABASE = createDatabase("aiosqlite4j-tck-pool");
    private static final SqliteConnectionFactory FACTORY = SqliteConnectionFactory
            .builder(SqliteConfig.builder(DATABASE).build())
            .pool(PoolOptions.builder().readers(2).name("tck").build())
            .build();
    private static final JdbcTemplate JDBC = jdbc(DATABASE);

    @AfterAll
    static void deleteDatabase() throws IOException {
        FACTORY.close().block();
        delete(DATABASE);
    }

    PooledSqliteTestKit() {
        super(FACTORY, JDBC);
    }
}
