package io.github.aiosqlite4j.r2dbc.spring;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;
import org.springframework.r2dbc.core.binding.BindMarkersFactoryResolver;

/**
 * Lets Spring's {@code DatabaseClient.create(connectionFactory)} find bind markers ({@code $1, $2,
 * ...}) for a connection factory named {@code SQLite}. Registered in {@code
 * META-INF/spring.factories}.
 */
@SuppressWarnings("exports") // Spring's types: the module reads Spring optionally (requires static)
public final class SqliteBindMarkersProvider
        implements BindMarkersFactoryResolver.BindMarkerFactoryProvider {

    /** Creates the provider; Spring's factories loader calls this. */
    public SqliteBindMarkersProvider() {
    }

    /**
     * Returns the SQLite bind markers for a SQLite connection factory.
     *
     * @param connectionFactory the factory
     * @return {@link SqliteR2dbcDialect#BIND_MARKERS}, or null for another database
     */
    @Override
    public BindMarkersFactory getBindMarkers(ConnectionFactory connectionFactory) {
        return isSqlite(connectionFactory) ? SqliteR2dbcDialect.BIND_MARKERS : null;
    }

    static boolean isSqlite(ConnectionFactory connectionFactory) {
        return "SQLite".equals(connectionFactory.getMetadata().getName());
    }
}
