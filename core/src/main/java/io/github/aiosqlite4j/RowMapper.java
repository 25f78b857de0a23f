package io.github.aiosqlite4j;

import java.sql.SQLException;
import java.util.Objects;

/**
 * Maps one {@link Row} to a value: for {@link AsyncConnection#executeFetchAll(String, RowMapper,
 * Object...)}, for the cursors of {@link AsyncConnection#executeMapped(String, RowMapper,
 * Object...)} (the Java twin of Python's {@code row_factory}), and for the pool and session
 * methods that take one. It runs on the connection's worker thread, once per row, while the rows
 * are read.
 *
 * @param <T> the type each row maps to
 */
@FunctionalInterface
public interface RowMapper<T> {
    /**
     * Maps a row.
     *
     * @param row the row, immutable and safe to keep
     * @return the mapped value (may be null in {@code executeFetchAll}; a cursor's rows may not)
     * @throws SQLException to fail the fetch or query with this exception
     */
    T map(Row row) throws SQLException;

    /**
     * A mapper to a record by column name, as {@link Row#as(Class)} maps: each record component
     * takes the column of the same name, case-insensitively.
     *
     * @param recordType a record class whose canonical constructor aiosqlite4j can call (public,
     *     or in a package open to this module)
     * @param <R> the record type
     * @return a mapper that fails a row with {@link IllegalArgumentException} if a component has no
     *     column or its value does not convert
     * @throws NullPointerException if {@code recordType} is null
     */
    static <R extends Record> RowMapper<R> forRecord(Class<R> recordType) {
        Objects.requireNonNull(recordType, "recordType must not be null");
        return row -> row.as(recordType);
    }
}
