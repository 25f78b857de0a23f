package io.github.aiosqlite4j.r2dbc;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqliteConfig;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Test helpers: a temp-file database, blocking shortcuts with a hang guard. */
final class Db {
    static final Duration GUARD = Duration.ofSeconds(30);

    private Db() {}

    static Path tempFile() {
        try {
            Path p = Files.createTempFile("aiosqlite4j-r2dbc", ".db");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SqliteConnectionFactory factory(Path file) {
        return SqliteConnectionFactory.create(SqliteConfig.builder(file).build());
    }

    static Connection open(SqliteConnectionFactory factory) {
        return Mono.from(factory.create()).block(GUARD);
    }

    @SuppressWarnings("unchecked")
    static AsyncConnection core(Connection connection) {
        return ((Wrapped<AsyncConnection>) connection).unwrap();
    }

    /** Runs SQL, returns every result's update count (rows are discarded). */
    static List<Long> update(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute())
                .concatMap(Result::getRowsUpdated)
                .collectList()
                .block(GUARD);
    }

    static <T> List<T> query(Statement statement, Function<Row, T> mapper) {
        return Flux.from(statement.execute())
                .concatMap(r -> r.map((row, md) -> mapper.apply(row)))
                .collectList()
                .block(GUARD);
    }

    static List<List<Object>> rows(Connection c, String sql) {
        return query(c.createStatement(sql), row -> {
            List<Object> values = new ArrayList<>();
            int n = row.getMetadata().getColumnMetadatas().size();
            for (int i = 0; i < n; i++) {
                values.add(row.get(i));
            }
            return values;
        });
    }

    static void close(Connection c) {
        Mono.from(c.close()).block(GUARD);
    }

    /**
     * Begins a transaction on {@code c}, runs {@code kept}, then runs {@code undone} inside
     * savepoint {@code s1}, rolls back to it and releases it; the transaction stays open.
     */
    static void undoInASavepoint(Connection c, String kept, String undone) {
        Mono.from(c.beginTransaction()).block(GUARD);
        update(c, kept);
        Mono.from(c.createSavepoint("s1")).block(GUARD);
        update(c, undone);
        Mono.from(c.rollbackTransactionToSavepoint("s1")).block(GUARD);
        Mono.from(c.releaseSavepoint("s1")).block(GUARD);
    }
}
