package io.github.aiosqlite4j.r2dbc.internal;

import io.r2dbc.spi.Type;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Locale;

/**
 * The R2DBC type of a result column, derived from its SQLite declared type with SQLite's own
 * affinity rules (section 3.1 of the datatype page) plus a few names every schema uses.
 *
 * <table>
 *   <caption>declared type to Java type</caption>
 *   <tr><th>declared type</th><th>Java type</th></tr>
 *   <tr><td>BOOLEAN, BOOL</td><td>Boolean</td></tr>
 *   <tr><td>BIGINT, INT8, UNSIGNED BIG INT</td><td>Long</td></tr>
 *   <tr><td>any other containing INT</td><td>Integer (Long when the value does not fit)</td></tr>
 *   <tr><td>containing CHAR, CLOB or TEXT</td><td>String</td></tr>
 *   <tr><td>containing BLOB</td><td>ByteBuffer</td></tr>
 *   <tr><td>containing REAL, FLOA or DOUB</td><td>Double</td></tr>
 *   <tr><td>DATE</td><td>LocalDate</td></tr>
 *   <tr><td>DATETIME, TIMESTAMP</td><td>LocalDateTime; OffsetDateTime for a value with an
 *       offset (an Instant, OffsetDateTime or ZonedDateTime as the driver stores it)</td></tr>
 *   <tr><td>TIME</td><td>LocalTime</td></tr>
 *   <tr><td>NUMERIC, DECIMAL and the rest</td><td>BigDecimal</td></tr>
 *   <tr><td>none (an expression)</td><td>Object: decided by the value's storage class</td></tr>
 * </table>
 *
 * <p>In the three date and time columns, {@code get(i)} reads text by its shape, so a value reads
 * back as the type it was bound as: a date alone is a LocalDate (in DATETIME and TIMESTAMP, the
 * start of that day), a date-time a LocalDateTime, or an OffsetDateTime with an offset, a time a
 * LocalTime. Other text, and numbers, are given as stored.
 *
 * @param declaredType the declared type as written, {@code ""} for an expression
 * @param kind the mapping chosen
 */
record SqliteType(String declaredType, Kind kind) implements Type {

    /** The Java shapes a column maps to. */
    public enum Kind {
        /** Boolean. */
        BOOLEAN(Boolean.class),
        /** Integer, or Long when out of range. */
        INTEGER(Integer.class),
        /** Long. */
        BIGINT(Long.class),
        /** String. */
        TEXT(String.class),
        /** ByteBuffer. */
        BLOB(ByteBuffer.class),
        /** Double. */
        REAL(Double.class),
        /** LocalDate. */
        DATE(LocalDate.class),
        /** LocalDateTime. */
        DATETIME(LocalDateTime.class),
        /** LocalTime. */
        TIME(LocalTime.class),
        /** BigDecimal. */
        NUMERIC(BigDecimal.class),
        /** By storage class. */
        NONE(Object.class);

        private final Class<?> javaType;

        Kind(Class<?> javaType) {
            this.javaType = javaType;
        }
    }

    /**
     * Classifies a declared type.
     *
     * @param declaredType the declared type, {@code ""} or {@code null} for an expression
     * @return the type
     */
    public static SqliteType of(String declaredType) {
        String d = declaredType == null ? "" : declaredType;
        String u = d.trim().toUpperCase(Locale.ROOT);
        int paren = u.indexOf('(');
        String base = (paren < 0 ? u : u.substring(0, paren)).trim();
        Kind kind;
        if (u.isEmpty()) {
            kind = Kind.NONE;
        } else if (base.equals("BOOLEAN") || base.equals("BOOL")) {
            kind = Kind.BOOLEAN;
        } else if (base.equals("BIGINT") || base.equals("INT8") || base.equals("UNSIGNED BIG INT")) {
            kind = Kind.BIGINT;
        } else if (u.contains("INT")) {
            kind = Kind.INTEGER;
        } else if (u.contains("CHAR") || u.contains("CLOB") || u.contains("TEXT")) {
            kind = Kind.TEXT;
        } else if (u.contains("BLOB")) {
            kind = Kind.BLOB;
        } else if (u.contains("REAL") || u.contains("FLOA") || u.contains("DOUB")) {
            kind = Kind.REAL;
        } else if (base.equals("DATE")) {
            kind = Kind.DATE;
        } else if (base.equals("DATETIME") || base.startsWith("TIMESTAMP")) {
            kind = Kind.DATETIME;
        } else if (base.equals("TIME")) {
            kind = Kind.TIME;
        } else {
            kind = Kind.NUMERIC;
        }
        return new SqliteType(d, kind);
    }

    @Override
    public Class<?> getJavaType() {
        return kind.javaType;
    }

    @Override
    public String getName() {
        return declaredType.isEmpty() ? kind.name() : declaredType;
    }
}
