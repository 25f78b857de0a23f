package io.github.aiosqlite4j.r2dbc.spring;

import io.r2dbc.spi.ConnectionFactory;
import java.util.Optional;
import org.springframework.data.r2dbc.dialect.DialectResolver;
import org.springframework.data.r2dbc.dialect.R2dbcDialect;

/**
 * Lets Spring Data R2DBC's {@code DialectResolver} find {@link SqliteR2dbcDialect} for a
 * connection factory named {@code SQLite}. Registered in {@code META-INF/spring.factories}.
 */
@SuppressWarnings("exports") // Spring's types: the module reads Spring optionally (requires static)
public final class SqliteDialectProvider implements DialectResolver.R2dbcDialectProvider {

    /** Creates the provider; Spring's factories loader calls this. */
    public SqliteDialectProvider() {
    }

    /**
     * Returns the SQLite dialect for a SQLite connection factory.
     *
     * @param connectionFactory the factory
     * @return the dialect, or empty for another database
     */
    @Override
    public Optional<R2dbcDialect> getDialect(ConnectionFactory connectionFactory) {
        return SqliteBindMarkersProvider.isSqlite(connectionFactory)
                ? Optional.of(SqliteR2dbcDialect.INSTANCE)
                : Optional.empty();
    }
}
