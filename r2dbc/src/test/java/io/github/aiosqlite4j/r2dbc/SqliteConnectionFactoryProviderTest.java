package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.SqliteConfig;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

final class SqliteConnectionFactoryProviderTest {

    @TempDir
    Path dir;

    @Test
    void url_absolutePath_opensThatFile() {
        Path file = dir.resolve("abs.db");
        ConnectionFactory cf = ConnectionFactories.get("r2dbc:sqlite:///" + file);
        assertThat(cf).isInstanceOf(SqliteConnectionFactory.class);
        assertThat(cf.getMetadata().getName()).isEqualTo("SQLite");
        Connection c = Mono.from(cf.create()).block(Db.GUARD);
        try {
            Db.update(c, "CREATE TABLE t(a)");
        } finally {
            Db.close(c);
        }
        assertThat(file).exists();
        assertThat(((SqliteConnectionFactory) cf).config().database()).isEqualTo(file.toString());
    }

    @Test
    void url_threeSlashes_isRelativeToTheWorkingDirectory() throws Exception {
        String name = "target/r2dbc-relative-" + UUID.randomUUID() + ".db";
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite:///" + name);
        assertThat(cf.config().database()).isEqualTo(name);
        Connection c = Db.open(cf);
        try {
            Db.update(c, "CREATE TABLE t(a)");
        } finally {
            Db.close(c);
        }
        Path file = Path.of(name);
        assertThat(file).exists();
        Files.delete(file);
    }

    @Test
    void url_mem_isSharedBetweenConnectionsWhileTheFactoryIsOpen() {
        String name = "shared" + UUID.randomUUID().toString().replace("-", "");
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite:mem:///" + name);
        assertThat(cf.config().database()).isEqualTo("file:" + name + "?mode=memory&cache=shared");
        Connection first = Db.open(cf);
        Db.update(first, "CREATE TABLE t(a); INSERT INTO t VALUES (42)");
        Db.close(first);
        Connection second = Db.open(cf);
        try {
            assertThat(Db.rows(second, "SELECT a FROM t")).containsExactly(List.of(42));
        } finally {
            Db.close(second);
            Mono.from(cf.close()).block(Db.GUARD);
        }
        assertThatThrownBy(() -> Db.open(cf)).hasMessageContaining("closed");
    }

    @Test
    void urlOptions_reachTheConnection() {
        Path file = dir.resolve("opts.db");
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite:///" + file
                + "?busyTimeout=1234&foreignKeys=true&journalMode=wal&synchronous=NORMAL"
                + "&transactionMode=IMMEDIATE&fetchSize=7&statementTimeout=PT10S");
        SqliteConfig config = cf.config();
        assertThat(config.busyTimeout()).isEqualTo(Duration.ofMillis(1234));
        assertThat(config.foreignKeys()).isTrue();
        assertThat(config.journalMode()).isEqualTo(SqliteConfig.JournalMode.WAL);
        assertThat(config.synchronous()).isEqualTo(SqliteConfig.SynchronousMode.NORMAL);
        assertThat(config.iterChunkSize()).isEqualTo(7);
        assertThat(config.isolationLevel()).isEqualTo(IsolationLevel.AUTOCOMMIT);
        assertThat(cf.toString()).contains("transactionMode=IMMEDIATE");
        Connection c = Db.open(cf);
        try {
            assertThat(Db.rows(c, "PRAGMA busy_timeout")).containsExactly(List.of(1234));
            assertThat(Db.rows(c, "PRAGMA foreign_keys")).containsExactly(List.of(1));
            assertThat(Db.rows(c, "PRAGMA journal_mode")).containsExactly(List.of("wal"));
        } finally {
            Db.close(c);
        }
    }

    @Test
    void readOnlyOption_writesFailWithPermissionDenied() {
        Path file = dir.resolve("ro.db");
        Connection rw = Db.open(Db.factory(file));
        Db.update(rw, "CREATE TABLE t(a)");
        Db.close(rw);
        ConnectionFactory cf = ConnectionFactories.get(ConnectionFactoryOptions.builder()
                .option(ConnectionFactoryOptions.DRIVER, "sqlite")
                .option(ConnectionFactoryOptions.DATABASE, file.toString())
                .option(SqliteConnectionFactoryProvider.READ_ONLY, true)
                .option(ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT, Duration.ofSeconds(2))
                .build());
        Connection ro = Mono.from(cf.create()).block(Db.GUARD);
        try {
            assertThat(Db.rows(ro, "SELECT count(*) FROM t")).containsExactly(List.of(0));
            assertThatThrownBy(() -> Db.update(ro, "INSERT INTO t VALUES (1)"))
                    .isInstanceOf(R2dbcPermissionDeniedException.class);
        } finally {
            Db.close(ro);
        }
    }

    @Test
    void supports_onlyTheSqliteDriverWithADatabase() {
        SqliteConnectionFactoryProvider p = new SqliteConnectionFactoryProvider();
        assertThat(p.getDriver()).isEqualTo("sqlite");
        assertThat(p.supports(ConnectionFactoryOptions.parse("r2dbc:sqlite:///x.db"))).isTrue();
        assertThat(p.supports(ConnectionFactoryOptions.parse("r2dbc:sqlite:mem:///x"))).isTrue();
        assertThat(p.supports(ConnectionFactoryOptions.parse("r2dbc:sqlite:file:///x.db"))).isTrue();
        assertThat(p.supports(ConnectionFactoryOptions.parse("r2dbc:h2:mem:///x"))).isFalse();
        assertThat(p.supports(ConnectionFactoryOptions.parse("r2dbc:sqlite:tcp://host/x"))).isFalse();
        assertThatThrownBy(() -> p.create(ConnectionFactoryOptions.parse("r2dbc:sqlite:///x.db?busyTimeout=soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyTimeout");
        assertThatThrownBy(() -> p.create(ConnectionFactoryOptions.parse("r2dbc:sqlite:///x.db?transactionMode=LAZY")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transactionMode");
    }

    @Test
    void connectionMetadata_namesSqliteAndItsVersion() {
        Connection c = Db.open(Db.factory(dir.resolve("md.db")));
        try {
            assertThat(c.getMetadata().getDatabaseProductName()).isEqualTo("SQLite");
            assertThat(c.getMetadata().getDatabaseVersion()).matches("3\\.\\d+\\.\\d+");
            assertThat(Flux.from(c.validate(io.r2dbc.spi.ValidationDepth.REMOTE)).blockLast(Db.GUARD)).isTrue();
        } finally {
            Db.close(c);
        }
    }
}
