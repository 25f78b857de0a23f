package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.r2dbc.spi.TransactionDefinition;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** SQLite result codes arrive as the R2DBC exception categories, each a {@link SqliteError}. */
final class ErrorMappingTest extends FileConnectionTest {

    @BeforeEach
    void createTable() {
        Db.update(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
        Db.update(c, "INSERT INTO t(name) VALUES ('a')");
    }

    @Test
    void constraintViolation_isDataIntegrityViolation() {
        Throwable e = catchThrowable(() -> Db.update(c, "INSERT INTO t(name) VALUES ('a')"));
        assertThat(e).isInstanceOf(R2dbcDataIntegrityViolationException.class)
                .hasMessageContaining("UNIQUE");
        SqliteError details = (SqliteError) e;
        assertThat(details.resultCode()).isEqualTo(19);
        assertThat(details.extendedResultCode()).isEqualTo(2067);
        assertThat(details.errorName()).isEqualTo("SQLITE_CONSTRAINT_UNIQUE");
        assertThat(details.sql()).contains("INSERT INTO t");
        assertThat(catchThrowable(() -> Db.update(c, "INSERT INTO t(name) VALUES (NULL)")))
                .isInstanceOf(R2dbcDataIntegrityViolationException.class);
    }

    @Test
    void syntaxErrorsAndUnknownNames_areBadGrammar() {
        assertThat(catchThrowable(() -> Db.update(c, "SELEC 1")))
                .isInstanceOf(R2dbcBadGrammarException.class).isInstanceOf(SqliteError.class);
        assertThat(catchThrowable(() -> Db.update(c, "SELECT * FROM missing")))
                .isInstanceOf(R2dbcBadGrammarException.class).hasMessageContaining("missing");
    }

    @Test
    void writeInReadOnlyTransaction_isPermissionDenied() {
        TransactionDefinition readOnly = new TransactionDefinition() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T getAttribute(io.r2dbc.spi.Option<T> option) {
                return option.equals(TransactionDefinition.READ_ONLY) ? (T) Boolean.TRUE : null;
            }
        };
        Mono.from(c.beginTransaction(readOnly)).block(Db.GUARD);
        assertThat(catchThrowable(() -> Db.update(c, "INSERT INTO t(name) VALUES ('b')")))
                .isInstanceOf(R2dbcPermissionDeniedException.class);
        Mono.from(c.rollbackTransaction()).block(Db.GUARD);
        assertThat(Db.update(c, "INSERT INTO t(name) VALUES ('b')")).containsExactly(1L);
    }

    @Test
    void lockHeldByAnotherConnection_isTransientResource() {
        SqliteConnectionFactory impatient = SqliteConnectionFactory.create(
                SqliteConfig.builder(file).busyTimeout(Duration.ZERO).build());
        Connection other = Db.open(impatient);
        try {
            Db.update(c, "BEGIN IMMEDIATE");
            Throwable e = catchThrowable(() -> Db.update(other, "INSERT INTO t(name) VALUES ('x')"));
            assertThat(e).isInstanceOf(R2dbcTransientResourceException.class);
            assertThat(((SqliteError) e).resultCode()).isEqualTo(5); // SQLITE_BUSY
            Db.update(c, "COMMIT");
            assertThat(Db.update(other, "INSERT INTO t(name) VALUES ('x')")).containsExactly(1L);
        } finally {
            Db.close(other);
        }
    }

    @Test
    void closedConnection_isNonTransientResource() {
        Connection closed = Db.open(Db.factory(file));
        Db.close(closed);
        assertThat(catchThrowable(() -> Db.update(closed, "SELECT 1")))
                .isInstanceOf(R2dbcNonTransientResourceException.class)
                .isInstanceOf(SqliteError.class);
        Db.close(closed); // idempotent
    }
}
