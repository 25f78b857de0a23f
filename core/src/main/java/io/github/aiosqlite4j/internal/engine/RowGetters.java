package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The Java types a {@link Row} reads back through its own typed getters (the storage forms of
 * {@link Values}), for code that converts by a requested class: record mapping here, and the
 * R2DBC driver's codecs; and the name of a value's storage class, for their messages.
 */
public final class RowGetters {
    /** Returned by {@link #get} when the type has no getter of its own. */
    public static final Object NONE = new Object();

    private RowGetters() {}

    /**
     * Reads a column as one of BigDecimal, LocalDate, LocalTime, LocalDateTime, OffsetDateTime,
     * Instant or UUID.
     *
     * @param row the row
     * @param index the column index
     * @param type the requested type
     * @return the value (null for NULL), or {@link #NONE} if {@code type} is none of those
     */
    public static Object get(Row row, int index, Class<?> type) {
        if (type == BigDecimal.class) {
            return row.getBigDecimal(index);
        }
        if (type == LocalDate.class) {
            return row.getLocalDate(index);
        }
        if (type == LocalTime.class) {
            return row.getLocalTime(index);
        }
        if (type == LocalDateTime.class) {
            return row.getLocalDateTime(index);
        }
        if (type == OffsetDateTime.class) {
            return row.getOffsetDateTime(index);
        }
        if (type == Instant.class) {
            return row.getInstant(index);
        }
        if (type == UUID.class) {
            return row.getUuid(index);
        }
        return NONE;
    }

    /**
     * Names a value's SQLite storage class, as the messages of a failed read name it.
     *
     * @param v a value as a row holds it (null, Long, Double, String or byte[])
     * @return NULL, INTEGER, REAL, TEXT or BLOB
     */
    public static String storageClass(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Long) {
            return "INTEGER";
        }
        if (v instanceof Double) {
            return "REAL";
        }
        if (v instanceof String) {
            return "TEXT";
        }
        return "BLOB";
    }

    /**
     * Parses text as {@link Row}'s getters parse a TEXT value: a date, time or date-time as
     * stored (a space or {@code T} between date and time; no offset read as UTC).
     *
     * @param text the text
     * @param type LocalDate, LocalTime, LocalDateTime, OffsetDateTime or Instant
     * @return the value, or {@link #NONE} if {@code type} is none of those
     * @throws RuntimeException if the text is not of that form
     */
    public static Object parse(String text, Class<?> type) {
        if (type == LocalDate.class) {
            return Values.localDate(text);
        }
        if (type == LocalTime.class) {
            return Values.localTime(text);
        }
        if (type == LocalDateTime.class) {
            return Values.localDateTime(text);
        }
        if (type == OffsetDateTime.class) {
            return Values.offsetDateTime(text);
        }
        if (type == Instant.class) {
            return Values.offsetDateTime(text).toInstant();
        }
        return NONE;
    }
}
