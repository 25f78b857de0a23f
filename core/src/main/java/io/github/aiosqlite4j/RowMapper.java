package io.github.aiosqlite4j;

import java.sql.SQLException;

/**
 * Maps one {@link Row} to a value, for {@link AsyncConnection#executeFetchAll(String, RowMapper,
 * Object...)}. It runs on the connection's worker thread, once per row, while the rows are read.
 *
 * @param <T> the type each row maps to
 */
@FunctionalInterface
public interface RowMapper<T> {
    /**
     * Maps a row.
     *
     * @param row the row, immutable and safe to keep
     * @return the mapped value (may be null)
     * @throws SQLException to fail the whole query with this exception
     */
    T map(Row row) throws SQLException;
}
