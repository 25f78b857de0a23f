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

    /**
     * SQLite's bind markers for Spring: {@code $1, $2, ...}. Defined here, not in {@link
     * SqliteR2dbcDialect}, so that {@code DatabaseClient} works with spring-r2dbc alone (without
     * Spring Data R2DBC, whose classes the dialect extends).
     */
    public static final BindMarkersFactory BIND_MARKERS = BindMarkersFactory.indexed("$", 1);

    /** Creates the provider; Spring's factories loader calls this. */
    public SqliteBindMarkersProvider() {
    }

    /**
     * Returns the SQLite bind markers for a SQLite connection factory.
     *
     * @param connectionFactory the factory
     * @return {@link #BIND_MARKERS}, or null for another database
     */
    @Override
    public BindMarkersFactory getBindMarkers(ConnectionFactory connectionFactory) {
        return isSqlite(connectionFactory) ? BIND_MARKERS : null;
    }

    static boolean isSqlite(ConnectionFactory connectionFactory) {
        return "SQLite".equals(connectionFactory.getMetadata().getName());
    }
}
