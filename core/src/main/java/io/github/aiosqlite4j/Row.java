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
    /** @return the number of columns */
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

    /** @return the column names in order (unmodifiable) */
    List<String> columnNames();

    /** @return the values in column order (unmodifiable; may contain nulls; arrays are copies) */
    List<Object> values();
}
