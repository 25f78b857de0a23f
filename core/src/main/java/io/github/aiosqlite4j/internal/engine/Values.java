package io.github.aiosqlite4j.internal.engine;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.UUID;

/**
 * The storage forms of Java types that SQLite has no type for, in one place: what a parameter of
 * such a type is bound as, and how a {@link io.github.aiosqlite4j.Row} reads it back.
 *
 * <ul>
 *   <li>{@code LocalDate}: TEXT {@code 2024-05-17} (Python's {@code date} adapter).
 *   <li>{@code LocalTime}: TEXT {@code 13:45:00[.fraction]}.
 *   <li>{@code LocalDateTime}: TEXT {@code 2024-05-17 13:45:00[.fraction]} (Python's {@code
 *       datetime} adapter: {@code isoformat(" ")}; SQLite's date functions read it).
 *   <li>{@code OffsetDateTime}: TEXT {@code 2024-05-17 13:45:00[.fraction]+02:00}.
 *   <li>{@code Instant}: as an {@code OffsetDateTime} in UTC ({@code ...+00:00}).
 *   <li>{@code UUID}: TEXT, canonical lower-case form (read back from TEXT or a 16-byte BLOB).
 *   <li>{@code BigDecimal}: TEXT, {@code toPlainString()} (exact; a column with NUMERIC affinity
 *       may convert it to a number).
 *   <li>{@code BigInteger}: INTEGER if it fits 64 bits, else an error.
 *   <li>{@code ByteBuffer}: BLOB of its remaining bytes (the buffer's position is not moved).
 *   <li>{@code Boolean}: INTEGER 1 or 0; {@code Character}: TEXT.
 * </ul>
 *
 * Reading accepts a {@code T} as well as a space between date and time.
 */
final class Values {
    private Values() {}

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(TIME).toFormatter();
    private static final DateTimeFormatter OFFSET_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DATE_TIME).appendOffset("+HH:MM", "+00:00").toFormatter();
    private static final DateTimeFormatter READ_TIME = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd().toFormatter();
    private static final DateTimeFormatter READ_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd().append(READ_TIME).toFormatter();
    private static final DateTimeFormatter READ_OFFSET_DATE_TIME = new DateTimeFormatterBuilder()
            .append(READ_DATE_TIME).optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd().toFormatter();

    /**
     * Converts a parameter to what sqlite-jdbc binds (Long, Double, String, byte[] or null), or
     * returns {@code this} sentinel type {@link Unsupported} if the type has no storage form.
     */
    static Object toStorage(Object v) {
        if (v == null || v instanceof String || v instanceof Long || v instanceof Double
                || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float) {
            return ((Float) v).doubleValue();
        }
        if (v instanceof Boolean) {
            return ((Boolean) v) ? 1L : 0L;
        }
        if (v instanceof Character) {
            return v.toString();
        }
        if (v instanceof java.math.BigInteger) {
            java.math.BigInteger b = (java.math.BigInteger) v;
            return b.bitLength() <= 63 ? (Object) b.longValue() : Unsupported.TOO_BIG;
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).toPlainString();
        }
        if (v instanceof ByteBuffer) {
            ByteBuffer b = ((ByteBuffer) v).duplicate();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
        if (v instanceof LocalDate) {
            return v.toString();
        }
        if (v instanceof LocalTime) {
            return TIME.format((LocalTime) v);
        }
        if (v instanceof LocalDateTime) {
            return DATE_TIME.format((LocalDateTime) v);
        }
        if (v instanceof OffsetDateTime) {
            return OFFSET_DATE_TIME.format((OffsetDateTime) v);
        }
        if (v instanceof Instant) {
            return OFFSET_DATE_TIME.format(((Instant) v).atOffset(ZoneOffset.UTC));
        }
        if (v instanceof UUID) {
            return v.toString();
        }
        return Unsupported.TYPE;
    }

    /**
     * The index of the first char of {@code s} that has no UTF-8 form (a lone surrogate), or -1.
     * sqlite-jdbc encodes with {@code String.getBytes(UTF_8)}, which silently replaces such a char
     * with {@code '?'}: the value stored would not be the value given.
     */
    static int loneSurrogateAt(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Fails a text parameter that would not be stored as given. */
    static void checkText(String s, int index, String sql) throws java.sql.SQLException {
        int at = loneSurrogateAt(s);
        if (at >= 0) {
            throw Errors.badParameter("parameter " + index + " is not valid UTF-16: lone surrogate U+"
                    + Integer.toHexString(s.charAt(at)).toUpperCase(java.util.Locale.ROOT) + " at index "
                    + at + "; it cannot be stored as text (bind a byte[] for arbitrary bytes)", sql);
        }
    }

    /**
     * Fails SQL text that SQLite would not see as written: a NUL character (SQLite stops reading
     * there, so whatever follows would be silently dropped) or a lone surrogate (replaced by '?').
     */
    static void checkSqlText(String sql) throws java.sql.SQLException {
        int nul = sql.indexOf('\0');
        if (nul >= 0) {
            throw Errors.badParameter("the SQL text contains a NUL character at index " + nul
                    + "; SQLite would ignore everything after it", sql.replace('\0', ' '));
        }
        int at = loneSurrogateAt(sql);
        if (at >= 0) {
            throw Errors.badParameter("the SQL text is not valid UTF-16: lone surrogate U+"
                    + Integer.toHexString(sql.charAt(at)).toUpperCase(java.util.Locale.ROOT)
                    + " at index " + at, sql);
        }
    }

    /** Why a value cannot be bound. */
    enum Unsupported {
        TYPE,
        TOO_BIG
    }

    static final String SUPPORTED = "null, Boolean, Byte, Short, Integer, Long, Float, Double,"
            + " BigInteger (64-bit), BigDecimal, Character, String, byte[], ByteBuffer, LocalDate,"
            + " LocalTime, LocalDateTime, OffsetDateTime, Instant, UUID";

    static LocalDate localDate(String s) {
        return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
    }

    static LocalTime localTime(String s) {
        return LocalTime.parse(s, READ_TIME);
    }

    static LocalDateTime localDateTime(String s) {
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay();
        }
        return LocalDateTime.parse(s, READ_DATE_TIME);
    }

    static OffsetDateTime offsetDateTime(String s) {
        try {
            return OffsetDateTime.parse(s, READ_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            // No offset in the text: it is UTC, as SQLite's own datetime() output is.
            return localDateTime(s).atOffset(ZoneOffset.UTC);
        }
    }

    static UUID uuid(Object v) {
        if (v instanceof byte[] && ((byte[]) v).length == 16) {
            ByteBuffer b = ByteBuffer.wrap((byte[]) v);
            return new UUID(b.getLong(), b.getLong());
        }
        return UUID.fromString((String) v);
    }
}
