package io.github.aiosqlite4j.portability;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import reactor.core.publisher.Mono;

/**
 * The portability suite on PostgreSQL through r2dbc-postgresql, at {@code
 * PORTABILITY_POSTGRES_URL}. Runs under {@code -Pportability} only; there, a missing URL or an
 * unreachable server fails the suite and says so ({@code portability/with-postgres.sh} starts a
 * private server and sets the URL).
 */
final class PostgresPortabilityTest extends PortabilityContract {

    static final String URL_VARIABLE = "PORTABILITY_POSTGRES_URL";

    @Override
    String url() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(URL_VARIABLE + " is not set: the PostgreSQL half of the portability"
                    + " suite needs a server (r2dbc:postgresql://user@host:port/database). Run the build through"
                    + " portability/with-postgres.sh, which starts a private PostgreSQL and sets it.");
        }
        try {
            Mono.usingWhen(ConnectionFactories.get(url).create(),
                    c -> Mono.from(c.createStatement("SELECT 1").execute()).flatMap(r -> Mono.from(r.map(row -> row.get(0)))),
                    Connection::close).block(Target.GUARD);
        } catch (RuntimeException e) {
            throw new IllegalStateException("no PostgreSQL reachable at " + URL_VARIABLE + "=" + url + ": " + e, e);
        }
        return url;
    }
}
