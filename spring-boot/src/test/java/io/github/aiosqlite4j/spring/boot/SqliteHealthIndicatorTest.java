package io.github.aiosqlite4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.r2dbc.spi.ConnectionFactories;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/** The health indicator on real factories: UP with a database, DOWN without one or once closed. */
final class SqliteHealthIndicatorTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Health health(SqliteConnectionFactory factory) {
        return new SqliteHealthIndicator(factory).health().block(GUARD);
    }

    @Test
    void aConnectionOfItsOwn_isUpWithoutPoolDetails() {
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + dir.resolve("plain.db"));
        Health health = health(cf);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("database", dir.resolve("plain.db").toString())
                .doesNotContainKey("readers");
    }

    @Test
    void aDatabaseThatCannotBeOpened_isDown() {
        // A directory that does not exist: neither a pool nor a connection can open the file.
        for (String options : new String[] {"?pool=true", ""}) {
            SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get(
                    "r2dbc:sqlite:///" + dir.resolve("missing").resolve("x.db") + options);
            try {
                assertThat(health(cf).getStatus()).as(options).isEqualTo(Status.DOWN);
            } finally {
                Mono.from(cf.close()).block(GUARD);
            }
        }
    }

    @Test
    void aPoolAfterItsFactoryClosed_isDown() {
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + dir.resolve("pooled.db") + "?pool=true&poolReaders=1");
        assertThat(health(cf).getStatus()).isEqualTo(Status.UP);
        assertThat(health(cf).getDetails()).containsEntry("readers", 1);
        Mono.from(cf.close()).block(GUARD);
        assertThat(health(cf).getStatus()).isEqualTo(Status.DOWN);
    }
}
