package io.github.aiosqlite4j.r2dbc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.annotation.Id;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.mapping.Table;
import reactor.core.publisher.Mono;

/**
 * A Spring Data R2DBC entity with a field of every type the driver binds reads back what it
 * saved, without user converters, whatever the columns' declared types: the names schemas use
 * (TIMESTAMP, DATE, DECIMAL...), SQLite's affinity names (dates as TEXT, booleans as INTEGER), all
 * TEXT, or none at all.
 */
final class SpringDataTypesTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    private Path database;
    private SqliteConnectionFactory factory;
    private R2dbcEntityTemplate template;

    /** The entity: every field a type the driver accepts. */
    @Table("event")
    public static class Event {
        @Id
        public Long id;
        public Instant instant;
        public OffsetDateTime offsetDateTime;
        public ZonedDateTime zonedDateTime;
        public LocalDateTime localDateTime;
        public LocalDate localDate;
        public LocalTime localTime;
        public UUID uuid;
        public BigDecimal amount;
        public BigInteger big;
        public Boolean flag;
        public DayOfWeek day;
        public byte[] bytes;
        public Double ratio;
        public Integer count;
        public String name;
    }

    @BeforeEach
    void setUp() throws Exception {
        database = Files.createTempFile("aiosqlite4j-spring-types", ".db");
        factory = SqliteConnectionFactory.create(SqliteConfig.builder(database).build());
        template = new R2dbcEntityTemplate(factory);
    }

    @AfterEach
    void tearDown() throws Exception {
        Mono.from(factory.close()).block(GUARD);
        Files.deleteIfExists(database);
    }

    @ParameterizedTest
    @ValueSource(strings = {"declared", "affinity", "text", "untyped"})
    void anEntityReadsBackWhatItSaved(String schema) {
        // Each column: its name, a declared type as schemas name it, and SQLite's affinity name.
        String[][] columns = {
            {"instant", "TIMESTAMP", "TEXT"}, {"offset_date_time", "TIMESTAMP", "TEXT"},
            {"zoned_date_time", "TIMESTAMP WITH TIME ZONE", "TEXT"},
            {"local_date_time", "DATETIME", "TEXT"}, {"local_date", "DATE", "TEXT"},
            {"local_time", "TIME", "TEXT"}, {"uuid", "UUID", "TEXT"},
            {"amount", "DECIMAL(20,2)", "NUMERIC"}, {"big", "BIGINT", "INTEGER"},
            {"flag", "BOOLEAN", "INTEGER"}, {"day", "VARCHAR(9)", "TEXT"}, {"bytes", "BLOB", "BLOB"},
            {"ratio", "DOUBLE", "REAL"}, {"count", "INTEGER", "INTEGER"}, {"name", "TEXT", "TEXT"},
        };
        StringBuilder ddl = new StringBuilder("CREATE TABLE event (id INTEGER PRIMARY KEY");
        for (String[] column : columns) {
            ddl.append(", ").append(column[0]).append(switch (schema) {
                case "declared" -> " " + column[1];
                case "affinity" -> " " + column[2];
                case "text" -> " TEXT";
                default -> "";
            });
        }
        template.getDatabaseClient().sql(ddl.append(")").toString()).then().block(GUARD);

        Event e = new Event();
        e.instant = Instant.parse("2026-12-04T07:44:15.020748Z");
        e.offsetDateTime = OffsetDateTime.of(2024, 5, 17, 13, 45, 30, 0, ZoneOffset.ofHours(2));
        e.zonedDateTime = ZonedDateTime.of(2024, 5, 17, 13, 45, 30, 0, ZoneOffset.ofHours(-5));
        e.localDateTime = LocalDateTime.of(2024, 5, 17, 13, 45, 30, 250_000_000);
        e.localDate = LocalDate.of(2024, 5, 17);
        e.localTime = LocalTime.of(13, 45, 30);
        e.uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        e.amount = new BigDecimal("1234.5");
        e.big = BigInteger.valueOf(12345678901234L);
        e.flag = true;
        e.day = DayOfWeek.FRIDAY;
        e.bytes = new byte[] {1, 2, 3};
        e.ratio = 0.25;
        e.count = 7;
        e.name = "Ada";
        Event saved = template.insert(e).block(GUARD);

        Event read = template.select(Event.class).first().block(GUARD);
        assertThat(read.id).isEqualTo(saved.id);
        assertThat(read).usingRecursiveComparison().isEqualTo(saved);
    }

    /** The entity for text without an offset: what SQLite's CURRENT_TIMESTAMP writes. */
    @Table("stamp")
    public static class Stamp {
        @Id
        public Long id;
        public Instant instant;
        public OffsetDateTime offsetDateTime;
        public ZonedDateTime zonedDateTime;
    }

    @Test
    void textWithoutAnOffset_readsAsUtc_whateverTheJvmZone() {
        // A TIMESTAMP column gives a LocalDateTime for it; Spring would place that in the JVM's zone.
        template.getDatabaseClient().sql("CREATE TABLE stamp (id INTEGER PRIMARY KEY, instant TIMESTAMP,"
                + " offset_date_time DATETIME, zoned_date_time TIMESTAMP WITH TIME ZONE)").then().block(GUARD);
        template.getDatabaseClient().sql("INSERT INTO stamp VALUES (1, datetime('2024-05-17 11:45:00'),"
                + " datetime('2024-05-17 11:45:00'), datetime('2024-05-17 11:45:00'))").then().block(GUARD);
        TimeZone jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        try {
            Stamp read = template.select(Stamp.class).first().block(GUARD);
            OffsetDateTime utc = OffsetDateTime.of(2024, 5, 17, 11, 45, 0, 0, ZoneOffset.UTC);
            assertThat(read.instant).isEqualTo(utc.toInstant());
            assertThat(read.offsetDateTime).isEqualTo(utc);
            assertThat(read.zonedDateTime).isEqualTo(utc.toZonedDateTime());
        } finally {
            TimeZone.setDefault(jvmZone);
        }
    }
}
