package io.github.aiosqlite4j.r2dbc.spring;

import io.github.aiosqlite4j.internal.engine.RowGetters;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.data.convert.ReadingConverter;

/**
 * Reads booleans stored as numbers (SQLite has no boolean: {@code true} is stored as 1, and a
 * column declared INTEGER, or with no type, gives a number), and dates and times stored as text, as the driver stores them ({@code 2024-05-17
 * 13:45:00.25+02:00}: a space between date and time, which Spring's own ISO-8601 converters
 * refuse) and as SQLite's date functions write them ({@code CURRENT_TIMESTAMP}: UTC, no offset),
 * as Instant, OffsetDateTime, ZonedDateTime (at the stored offset), LocalDateTime, LocalDate and
 * LocalTime. A column declared DATE, DATETIME, TIMESTAMP or TIME gives a date or time object
 * already; this serves entity fields mapped to TEXT columns, columns with no declared type and
 * expressions. Text without an offset is UTC, as the driver's {@code row.get(i, Instant.class)}
 * reads it: a LocalDateTime (what a DATE, DATETIME or TIMESTAMP column gives for it) read as an
 * Instant, OffsetDateTime or ZonedDateTime is placed at UTC, not in the JVM's zone as Spring's
 * default converters would. {@link SqliteR2dbcDialect#getConverters()} registers it.
 */
@ReadingConverter
final class SqliteConverters implements GenericConverter {

    static final SqliteConverters INSTANCE = new SqliteConverters();

    private static final Set<ConvertiblePair> PAIRS = Set.of(
            new ConvertiblePair(String.class, Instant.class),
            new ConvertiblePair(String.class, OffsetDateTime.class),
            new ConvertiblePair(String.class, ZonedDateTime.class),
            new ConvertiblePair(String.class, LocalDateTime.class),
            new ConvertiblePair(String.class, LocalDate.class),
            new ConvertiblePair(String.class, LocalTime.class),
            new ConvertiblePair(LocalDateTime.class, Instant.class),
            new ConvertiblePair(LocalDateTime.class, OffsetDateTime.class),
            new ConvertiblePair(LocalDateTime.class, ZonedDateTime.class),
            new ConvertiblePair(Number.class, Boolean.class));

    private SqliteConverters() {}

    /** {@return the converters the dialect registers} */
    static List<Object> all() {
        return List.of(INSTANCE);
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return PAIRS;
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        Class<?> type = targetType.getType();
        if (source instanceof Number) {
            return ((Number) source).doubleValue() != 0;
        }
        if (source instanceof LocalDateTime) {
            OffsetDateTime utc = ((LocalDateTime) source).atOffset(ZoneOffset.UTC);
            return type == Instant.class ? utc.toInstant()
                    : type == ZonedDateTime.class ? utc.toZonedDateTime() : utc;
        }
        if (type == ZonedDateTime.class) {
            return ((OffsetDateTime) RowGetters.parse((String) source, OffsetDateTime.class)).toZonedDateTime();
        }
        return RowGetters.parse((String) source, type);
    }
}
