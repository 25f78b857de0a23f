package io.github.aiosqlite4j;

import java.util.List;

/**
 * One result row: immutable, fully read on the worker thread, safe to keep and to share between
 * threads.
 *
 * <p>Values come back by SQLite storage class, as in Python: {@link Long} for INTEGER, {@link
 * Double} for REAL, {@link String} for TEXT, {@code byte[]} for BLOB (a copy you own), {@code null}
 * for NULL. Columns are found by 0-based index or by name; names compare case-insensitively and
 * the first column with a matching name wins, like Python's {@code sqlite3.Row}.
 *
 * <p>Two rows are equal when they have the same column names and equal values (arrays by
 * content).
 */
public interface Row {
    /** {@return the number of columns} */
    int size();

    /**
     * The value of a column.
     *
     * @param index 0-based column index
     * @return the value (Long, Double, String, byte[] or null)
     * @throws IndexOutOfBoundsException if there is no such column
     */
    Object get(int index);

    /**
     * The value of a column found by name, case-insensitively.
     *
     * @param column the column name or alias
     * @return the value (Long, Double, String, byte[] or null)
     * @throws IllegalArgumentException if no column has that name; the message lists the names
     */
    Object get(String column);

    /**
     * An INTEGER value (a REAL with an exact integral value is accepted too).
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column holds TEXT, a BLOB or a fractional REAL
     */
    Long getLong(int index);

    /**
     * An INTEGER value by column name.
     *
     * @param column the column name
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column holds TEXT, a BLOB or a fractional REAL
     */
    Long getLong(String column);

    /**
     * An INTEGER value that fits in an int.
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column does not hold an integer, or it does not fit
     */
    Integer getInt(int index);

    /**
     * An INTEGER value that fits in an int, by column name.
     *
     * @param column the column name
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column does not hold an integer, or it does not fit
     */
    Integer getInt(String column);

    /**
     * A REAL value (an INTEGER is widened).
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column holds TEXT or a BLOB
     */
    Double getDouble(int index);

    /**
     * A REAL value by column name.
     *
     * @param column the column name
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column holds TEXT or a BLOB
     */
    Double getDouble(String column);

    /**
     * A TEXT value.
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column holds a number or a BLOB
     */
    String getString(int index);

    /**
     * A TEXT value by column name.
     *
     * @param column the column name
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column holds a number or a BLOB
     */
    String getString(String column);

    /**
     * A BLOB value, as a copy.
     *
     * @param index 0-based column index
     * @return a new array, or null for SQL NULL
     * @throws ClassCastException if the column does not hold a BLOB
     */
    byte[] getBytes(int index);

    /**
     * A BLOB value by column name, as a copy.
     *
     * @param column the column name
     * @return a new array, or null for SQL NULL
     * @throws ClassCastException if the column does not hold a BLOB
     */
    byte[] getBytes(String column);

    /** {@return the column names in order (unmodifiable)} */
    List<String> columnNames();

    /** {@return the values in column order (unmodifiable; may contain nulls; arrays are copies)} */
    List<Object> values();

    /**
     * The index of the first column with this name, compared case-insensitively.
     *
     * @param column the column name
     * @return the 0-based index
     * @throws IllegalArgumentException if no column has that name; the message lists the names
     */
    int columnIndex(String column);

    /**
     * A BigDecimal from an INTEGER, a REAL (its shortest decimal form) or TEXT.
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column holds a BLOB or text that is not a number
     */
    java.math.BigDecimal getBigDecimal(int index);

    /**
     * A date stored as ISO-8601 TEXT ({@code 2024-05-17}; a date-time's date part is accepted).
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column does not hold such text
     */
    java.time.LocalDate getLocalDate(int index);

    /**
     * A time stored as TEXT ({@code 13:45}, {@code 13:45:00}, {@code 13:45:00.123}).
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column does not hold such text
     */
    java.time.LocalTime getLocalTime(int index);

    /**
     * A date-time stored as TEXT with a space or {@code T} between date and time, as aiosqlite4j
     * stores {@code LocalDateTime} and SQLite's {@code datetime()} produces.
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column does not hold such text
     */
    java.time.LocalDateTime getLocalDateTime(int index);

    /**
     * A date-time with offset stored as TEXT; text without an offset is read as UTC (SQLite's own
     * convention).
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column does not hold such text
     */
    java.time.OffsetDateTime getOffsetDateTime(int index);

    /**
     * An instant, read as {@link #getOffsetDateTime(int)}.
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column does not hold such text
     */
    java.time.Instant getInstant(int index);

    /**
     * A UUID stored as TEXT (canonical form) or as a 16-byte BLOB.
     *
     * @param index 0-based column index
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the column holds neither
     */
    java.util.UUID getUuid(int index);

    /**
     * {@link #getBigDecimal(int)} by column name.
     *
     * @param column the column name
     * @return the value, or null
     */
    default java.math.BigDecimal getBigDecimal(String column) {
        return getBigDecimal(columnIndex(column));
    }

    /**
     * {@link #getLocalDate(int)} by column name.
     *
     * @param column the column name
     * @return the value, or null
     */
    default java.time.LocalDate getLocalDate(String column) {
        return getLocalDate(columnIndex(column));
    }

    /**
     * {@link #getLocalTime(int)} by column name.
     *
     * @param column the column name
     * @return the value, or null
     */
    default java.time.LocalTime getLocalTime(String column) {
        return getLocalTime(columnIndex(column));
    }

    /**
     * {@link #getLocalDateTime(int)} by column name.
     *
     * @param column the column name
     * @return the value, or null
     */
    default java.time.LocalDateTime getLocalDateTime(String column) {
        return getLocalDateTime(columnIndex(column));
    }

    /**
     * {@link #getOffsetDateTime(int)} by column name.
     *
     * @param column the column name
     * @return the value, or null
     */
    default java.time.OffsetDateTime getOffsetDateTime(String column) {
        return getOffsetDateTime(columnIndex(column));
    }

    /**
     * {@link #getInstant(int)} by column name.
     *
     * @param column the column name
     * @return the value, or null
     */
    default java.time.Instant getInstant(String column) {
        return getInstant(columnIndex(column));
    }

    /**
     * {@link #getUuid(int)} by column name.
     *
     * @param column the column name
     * @return the value, or null
     */
    default java.util.UUID getUuid(String column) {
        return getUuid(columnIndex(column));
    }

    /**
     * Maps this row to a record: each record component takes the column of the same name
     * (case-insensitively), converted to the component's type with the typed getters above
     * (primitives and their boxes, String, byte[], Boolean from 0/1, BigDecimal, java.time types,
     * UUID, or Object for the raw value).
     *
     * @param recordType a record class whose canonical constructor aiosqlite4j can call (public,
     *     or in a package open to this module)
     * @param <T> the record type
     * @return a new record
     * @throws IllegalArgumentException if a component has no column, a NULL meets a primitive, a
     *     component type is not supported, or the constructor cannot be called
     */
    <T extends Record> T as(Class<T> recordType);
}
