package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.internal.engine.RowGetters;
import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Parameter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Value conversions between R2DBC and the core: which bind values are accepted and how they are
 * stored, and how a stored value (Long, Double, String, byte[] or null) is read as a requested
 * Java type.
 */
final class Codecs {

    private Codecs() {}

    /**
     * Checks a bind value at {@code bind} time, so that unsupported types fail at once.
     *
     * @param value the value; a {@link Parameter} is checked by its value
     * @throws IllegalArgumentException if null or of an unsupported type
     */
    static void checkBindable(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; use bindNull(...) for NULL");
        }
        Object v = value instanceof Parameter ? ((Parameter) value).getValue() : value;
        if (v == null) {
            return; // Parameters.in(Integer.class): a typed NULL
        }
        if (v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Short
                || v instanceof Byte || v instanceof Double || v instanceof Float
                || v instanceof Boolean || v instanceof Character || v instanceof BigInteger
                || v instanceof BigDecimal || v instanceof byte[] || v instanceof ByteBuffer
                || v instanceof LocalDate || v instanceof LocalTime || v instanceof LocalDateTime
                || v instanceof OffsetDateTime || v instanceof ZonedDateTime
                || v instanceof Instant || v instanceof UUID || v instanceof Blob
                || v instanceof Clob || v instanceof Enum) {
            return;
        }
        throw new IllegalArgumentException("Cannot bind a value of type " + v.getClass().getName()
                + "; supported: String, Long, Integer, Short, Byte, Double, Float, Boolean,"
                + " Character, BigInteger, BigDecimal, byte[], ByteBuffer, Blob, Clob, LocalDate,"
                + " LocalTime, LocalDateTime, OffsetDateTime, ZonedDateTime, Instant, UUID, enums");
    }

    /**
     * Turns a checked bind value into what the core binds; a Blob or Clob is read to the end
     * (consuming its stream releases it).
     *
     * @param value a value that passed {@link #checkBindable} (or {@link Nulls#NULL})
     * @return a Mono of the storable value, empty for NULL
     */
    static Mono<Object> toStorable(Object value) {
        Object v = value instanceof Parameter ? ((Parameter) value).getValue() : value;
        if (v == null || v == Nulls.NULL) {
            return Mono.empty();
        }
        if (v instanceof Blob) {
            Blob blob = (Blob) v;
            return Flux.from(blob.stream())
                    .collectList()
                    .map(buffers -> {
                        int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
                        byte[] out = new byte[size];
                        int at = 0;
                        for (ByteBuffer b : buffers) {
                            int n = b.remaining();
                            b.duplicate().get(out, at, n);
                            at += n;
                        }
                        return (Object) out;
                    });
        }
        if (v instanceof Clob) {
            Clob clob = (Clob) v;
            return Flux.from(clob.stream())
                    .collect(StringBuilder::new, StringBuilder::append)
                    .map(sb -> (Object) sb.toString());
        }
        if (v instanceof ZonedDateTime) {
            return Mono.just(((ZonedDateTime) v).toOffsetDateTime());
        }
        if (v instanceof Enum) {
            return Mono.just(((Enum<?>) v).name());
        }
        return Mono.just(v);
    }

    /** Marker for a NULL binding, since bindings are kept in an array where null means unset. */
    enum Nulls {
        /** A bound NULL. */
        NULL
    }

    /**
     * Reads column {@code index} of a core row as {@code type}.
     *
     * @param row the core row
     * @param index the 0-based column
     * @param sqlType the column's type
     * @param type the requested type; {@code Object.class} selects the column's default
     * @return the converted value, or null for NULL
     * @throws IllegalArgumentException if the value cannot be converted
     */
    @SuppressWarnings("unchecked")
    static <T> T decode(Row row, int index, SqliteType sqlType, Class<T> type) {
        Object v = row.get(index);
        if (v == null) {
            return null;
        }
        Class<?> t = boxed(type);
        if (t == Object.class) {
            return (T) decodeDefault(row, index, sqlType, v);
        }
        try {
            Object out = convert(row, index, v, t);
            if (out != null) {
                return (T) out;
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot read column " + index + " ("
                    + RowGetters.storageClass(v) + " value) as " + type.getName() + ": "
                    + e.getMessage(), e);
        }
        throw new IllegalArgumentException("Cannot read column " + index + " ("
                + RowGetters.storageClass(v) + " value) as " + type.getName());
    }

    private static Object decodeDefault(Row row, int index, SqliteType sqlType, Object v) {
        try {
            switch (sqlType.kind()) {
                case BOOLEAN:
                    return v instanceof Long ? (Object) ((Long) v != 0) : v;
                case BIGINT:
                    return v;
                case INTEGER:
                case NONE:
                    if (v instanceof Long) {
                        long l = (Long) v;
                        return l == (int) l ? (Object) (int) l : v;
                    }
                    return v instanceof byte[] ? ByteBuffer.wrap((byte[]) v) : v;
                case TEXT:
                    return v instanceof byte[] ? ByteBuffer.wrap((byte[]) v) : v;
                case BLOB:
                    return v instanceof byte[] ? ByteBuffer.wrap((byte[]) v) : v;
                case REAL:
                    return v instanceof Long ? (Object) ((Long) v).doubleValue() : v;
                case DATE:
                case DATETIME:
                case TIME:
                    return v instanceof String ? temporal(row, index, (String) v, sqlType.kind()) : v;
                case NUMERIC:
                default:
                    if (v instanceof byte[]) {
                        return ByteBuffer.wrap((byte[]) v);
                    }
                    return v instanceof String ? v : row.getBigDecimal(index);
            }
        } catch (RuntimeException e) {
            // a value that does not fit the declared type (SQLite allows that): give it as stored
            return v instanceof byte[] ? ByteBuffer.wrap((byte[]) v) : v;
        }
    }

    /**
     * A date or time column's text as the type its shape shows, so that each type bound reads
     * back as itself: {@code 2024-05-17} a LocalDate (a LocalDateTime at the start of the day in
     * a DATETIME or TIMESTAMP column), {@code 2024-05-17 13:45:00[.f]} a LocalDateTime, the same
     * with an offset ({@code +02:00}, {@code Z}: how an Instant or OffsetDateTime is stored) an
     * OffsetDateTime, {@code 13:45:00[.f]} a LocalTime.
     *
     * @throws RuntimeException if the text has none of those forms
     */
    private static Object temporal(Row row, int index, String s, SqliteType.Kind kind) {
        boolean date = s.length() >= 10 && s.charAt(4) == '-' && s.charAt(7) == '-';
        if (!date) {
            return row.getLocalTime(index);
        }
        if (s.length() == 10) {
            return kind == SqliteType.Kind.DATETIME ? row.getLocalDateTime(index) : row.getLocalDate(index);
        }
        int zone = Math.max(s.lastIndexOf('+'), Math.max(s.lastIndexOf('-'), s.lastIndexOf('Z')));
        return zone > 10 ? row.getOffsetDateTime(index) : row.getLocalDateTime(index);
    }

    private static Object convert(Row row, int index, Object v, Class<?> t) {
        if (t == String.class || t == CharSequence.class) {
            return v instanceof byte[] ? null : v.toString();
        }
        if (t == Character.class && !(v instanceof byte[])) {
            // A digit stored in a column of numeric affinity became a number.
            String text = v instanceof Double && (Double) v == Math.rint((Double) v)
                    ? Long.toString(((Double) v).longValue()) : v.toString();
            return text.length() == 1 ? text.charAt(0) : null;
        }
        if (v instanceof Long) {
            long l = (Long) v;
            if (t == Long.class) {
                return l;
            }
            if (t == Integer.class) {
                return Math.toIntExact(l);
            }
            if (t == Short.class) {
                if (l != (short) l) {
                    throw new ArithmeticException("short overflow");
                }
                return (short) l;
            }
            if (t == Byte.class) {
                if (l != (byte) l) {
                    throw new ArithmeticException("byte overflow");
                }
                return (byte) l;
            }
            if (t == Boolean.class) {
                return l != 0;
            }
            if (t == Double.class) {
                return (double) l;
            }
            if (t == Float.class) {
                return (float) l;
            }
            if (t == BigDecimal.class) {
                return BigDecimal.valueOf(l);
            }
            if (t == BigInteger.class) {
                return BigInteger.valueOf(l);
            }
            if (t == Number.class) {
                return l;
            }
        } else if (v instanceof Double) {
            double d = (Double) v;
            if (t == Double.class || t == Number.class) {
                return d;
            }
            if (t == Float.class) {
                return (float) d;
            }
            if (t == Boolean.class) {
                return d != 0; // a Boolean stored in a REAL column reads 1.0 or 0.0
            }
            if (t == BigDecimal.class) {
                return BigDecimal.valueOf(d);
            }
            if (t == Long.class || t == Integer.class || t == Short.class || t == Byte.class
                    || t == BigInteger.class) {
                BigDecimal exact = BigDecimal.valueOf(d);
                return convert(row, index, exact.longValueExact(), t);
            }
        } else if (v instanceof String) {
            String s = (String) v;
            if (t == Clob.class) {
                return Clob.from(Mono.just(s));
            }
            if (t == Long.class || t == Integer.class || t == Short.class || t == Byte.class
                    || t == BigInteger.class || t == Number.class) {
                return convert(row, index, Long.parseLong(s.trim()), t);
            }
            if (t == Double.class) {
                return Double.parseDouble(s.trim());
            }
            if (t == Float.class) {
                return Float.parseFloat(s.trim());
            }
            if (t == Boolean.class) {
                String b = s.trim();
                if (b.equalsIgnoreCase("true") || b.equals("1")) {
                    return true;
                }
                if (b.equalsIgnoreCase("false") || b.equals("0")) {
                    return false;
                }
                return null;
            }
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            if (t == ByteBuffer.class) {
                return ByteBuffer.wrap(b);
            }
            if (t == byte[].class) {
                return b.clone();
            }
            if (t == Blob.class) {
                return Blob.from(Mono.just(ByteBuffer.wrap(b)));
            }
        }
        Object typed = RowGetters.get(row, index, t);
        if (typed != RowGetters.NONE) {
            return typed;
        }
        if (t == ZonedDateTime.class) {
            OffsetDateTime o = row.getOffsetDateTime(index);
            return o == null ? null : o.toZonedDateTime();
        }
        if (t.isEnum() && v instanceof String) {
            return enumValue(t, (String) v);
        }
        if (t.isInstance(v)) {
            return v;
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> t, String name) {
        return Enum.valueOf((Class) t, name);
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        if (type == char.class) {
            return Character.class;
        }
        return type;
    }
}
