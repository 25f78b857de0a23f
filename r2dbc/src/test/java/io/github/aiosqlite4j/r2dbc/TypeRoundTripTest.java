package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Parameters;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Every type the driver accepts as a parameter comes back as that type, whatever the column's
 * declared type, through {@code row.get(i, Type.class)}; and {@code row.get(i)} gives a date or
 * time column's value as the Java type it was bound as.
 */
final class TypeRoundTripTest {

    /** Declared types a schema uses, covering every affinity and the date/time names. */
    private static final List<String> DECLARED = List.of("", "TEXT", "VARCHAR(255)", "CLOB",
            "NUMERIC", "DECIMAL(10,2)", "INTEGER", "INT", "BIGINT", "REAL", "DOUBLE", "FLOAT",
            "BLOB", "BOOLEAN", "DATE", "DATETIME", "TIMESTAMP", "TIME", "UUID");

    private SqliteConnectionFactory factory;
    private Connection c;

    @BeforeEach
    void setUp() {
        factory = SqliteConnectionFactory.create(io.github.aiosqlite4j.SqliteConfig.builder(":memory:").build());
        c = Db.open(factory);
    }

    @AfterEach
    void tearDown() {
        Db.close(c);
    }

    /** A bindable value, how it is compared when read back, and the columns SQLite changes it in. */
    private record Case(Object value, Class<?> type, BiPredicate<Object, Object> same, String why) {
        boolean keptIn(String declared) {
            if (this.why.isEmpty()) {
                return true;
            }
            // SQLite itself changes these in columns of numeric affinity (the datatype page,
            // section 3): a REAL column holds an integer as a double, a NUMERIC one a decimal.
            String d = declared.toUpperCase(java.util.Locale.ROOT);
            boolean real = !d.contains("INT") && (d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB"));
            boolean textual = d.isEmpty() || d.contains("CHAR") || d.contains("CLOB")
                    || d.contains("TEXT") || d.contains("BLOB");
            return this.value instanceof Long ? !real : textual;
        }
    }

    private static Case exact(Object value) {
        return new Case(value, value.getClass(), Objects::equals, "");
    }

    private static Case of(Object value, Class<?> type, BiPredicate<Object, Object> same) {
        return new Case(value, type, same, "");
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Object v : List.of("hello", "", "Ünïcødé 😀", 0L, 42L, -7L, 42, (short) -3, (byte) 9,
                1.5, -0.25, 2.0, 1.5f, true, false, 'x', '7', BigInteger.valueOf(12345678901234L),
                LocalDate.of(2024, 5, 17), LocalTime.of(13, 45, 30, 123456789),
                LocalDateTime.of(2024, 5, 17, 13, 45, 30, 500_000_000),
                LocalDateTime.of(2024, 5, 17, 0, 0),
                OffsetDateTime.of(2024, 5, 17, 13, 45, 30, 0, ZoneOffset.ofHours(2)),
                ZonedDateTime.of(2024, 5, 17, 13, 45, 30, 0, ZoneOffset.ofHours(-5)),
                Instant.parse("2026-12-04T07:44:15.020748Z"), Instant.EPOCH,
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), DayOfWeek.MONDAY)) {
            cases.add(exact(v));
        }
        cases.add(new Case(Long.MAX_VALUE, Long.class, Objects::equals, "beyond a double"));
        cases.add(new Case(new BigDecimal("12345678901234567890.123"), BigDecimal.class,
                TypeRoundTripTest::sameNumber, "beyond a double"));
        // A column of numeric affinity stores a decimal as a number: the value is kept, not its
        // scale (so 12.50 reads 12.5); a textual column keeps the text.
        for (String d : List.of("12.5", "0.1", "10", "12.50", "-3.75")) {
            cases.add(of(new BigDecimal(d), BigDecimal.class, TypeRoundTripTest::sameNumber));
        }
        cases.add(of(new byte[] {1, 2, 3, 0, -1}, byte[].class,
                (a, b) -> Arrays.equals((byte[]) a, (byte[]) b)));
        cases.add(of(ByteBuffer.wrap(new byte[] {4, 5, 6}), ByteBuffer.class, Objects::equals));
        // A ZonedDateTime is stored at its offset: its zone ID is not kept.
        ZonedDateTime paris = ZonedDateTime.of(2024, 7, 1, 9, 0, 0, 0, ZoneId.of("Europe/Paris"));
        cases.add(of(paris, ZonedDateTime.class, (a, b) -> ((ZonedDateTime) b).equals(
                ((ZonedDateTime) a).toOffsetDateTime().toZonedDateTime())));
        return cases;
    }

    private static boolean sameNumber(Object a, Object b) {
        return ((BigDecimal) a).compareTo((BigDecimal) b) == 0;
    }

    @Test
    void everyBindableTypeReadsBackAsItselfInEveryColumnType() {
        List<String> failures = new ArrayList<>();
        for (String declared : DECLARED) {
            Db.update(c, "DROP TABLE IF EXISTS t");
            Db.update(c, "CREATE TABLE t(c " + declared + ")");
            for (Case k : cases()) {
                if (!k.keptIn(declared)) {
                    continue;
                }
                Db.update(c, "DELETE FROM t");
                Flux.from(c.createStatement("INSERT INTO t VALUES ($1)").bind(0, k.value()).execute())
                        .concatMap(r -> r.getRowsUpdated()).blockLast(Db.GUARD);
                try {
                    Object back = Db.query(c.createStatement("SELECT c FROM t"), row -> row.get(0, k.type())).get(0);
                    if (!k.same().test(k.value(), back)) {
                        failures.add(declared + " / " + k.type().getSimpleName() + " " + k.value() + ": read " + back);
                    }
                } catch (RuntimeException e) {
                    failures.add(declared + " / " + k.type().getSimpleName() + " " + k.value() + ": " + e);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void blobsAndClobsReadBackInEveryColumnType() {
        for (String declared : DECLARED) {
            Db.update(c, "DROP TABLE IF EXISTS t");
            Db.update(c, "CREATE TABLE t(b " + declared + ", c " + declared + ")");
            Flux.from(c.createStatement("INSERT INTO t VALUES ($1, $2)")
                            .bind(0, Blob.from(Flux.just(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3}))))
                            .bind(1, Clob.from(Flux.just("ab", "c")))
                            .execute())
                    .concatMap(r -> r.getRowsUpdated()).blockLast(Db.GUARD);
            List<Object[]> read = Db.query(c.createStatement("SELECT b, c FROM t"),
                    row -> new Object[] {row.get(0, Blob.class), row.get(1, Clob.class)});
            ByteBuffer bytes = Flux.from(((Blob) read.get(0)[0]).stream()).blockLast(Db.GUARD);
            String text = Flux.from(((Clob) read.get(0)[1]).stream())
                    .collect(StringBuilder::new, StringBuilder::append).block(Db.GUARD).toString();
            assertThat(bytes).as(declared).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertThat(text).as(declared).isEqualTo("abc");
            // A typed NULL and a Parameter read back too.
            Db.update(c, "DELETE FROM t");
            Flux.from(c.createStatement("INSERT INTO t VALUES ($1, $2)")
                            .bind(0, Parameters.in(Instant.EPOCH)).bindNull(1, Instant.class).execute())
                    .concatMap(r -> r.getRowsUpdated()).blockLast(Db.GUARD);
            assertThat(Db.query(c.createStatement("SELECT b, c FROM t"),
                    row -> Arrays.asList(row.get(0, Instant.class), row.get(1, Instant.class))).get(0))
                    .as(declared).containsExactly(Instant.EPOCH, null);
        }
    }

    @Test
    void aDateOrTimeColumnGivesItsValueAsTheTypeItWasBoundAs() {
        Db.update(c, "CREATE TABLE t(d DATE, dt DATETIME, ts TIMESTAMP, tm TIME)");
        Instant instant = Instant.parse("2026-12-04T07:44:15.020748Z");
        OffsetDateTime offset = OffsetDateTime.of(2024, 5, 17, 13, 45, 30, 0, ZoneOffset.ofHours(2));
        LocalDateTime local = LocalDateTime.of(2024, 5, 17, 13, 45, 30);
        LocalDate date = LocalDate.of(2024, 5, 17);
        LocalTime time = LocalTime.of(13, 45, 30);
        for (Object[] bound : List.of(
                new Object[] {date, local, instant, time},
                new Object[] {date, offset, offset, time},
                new Object[] {local, date, local, time})) {
            Db.update(c, "DELETE FROM t");
            Flux.from(c.createStatement("INSERT INTO t VALUES ($1, $2, $3, $4)").bind(0, bound[0])
                            .bind(1, bound[1]).bind(2, bound[2]).bind(3, bound[3]).execute())
                    .concatMap(r -> r.getRowsUpdated()).blockLast(Db.GUARD);
            List<Object> row = Db.rows(c, "SELECT d, dt, ts, tm FROM t").get(0);
            // An Instant is stored in UTC: it comes back as that OffsetDateTime; a date alone in
            // a DATETIME column as the start of that day.
            assertThat(row).containsExactly(bound[0],
                    bound[1] instanceof LocalDate ? date.atStartOfDay() : bound[1],
                    bound[2] instanceof Instant ? instant.atOffset(ZoneOffset.UTC) : bound[2],
                    bound[3]);
        }
        // What SQLite's own functions write reads back too: CURRENT_TIMESTAMP is UTC, no offset.
        // (an expression has no declared type: its text stays text)
        assertThat(Db.rows(c, "SELECT CURRENT_TIMESTAMP").get(0).get(0)).isInstanceOf(String.class);
        Db.update(c, "DELETE FROM t");
        Db.update(c, "INSERT INTO t VALUES (CURRENT_DATE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIME)");
        List<Object> stored = Db.rows(c, "SELECT d, dt, ts, tm FROM t").get(0);
        assertThat(stored).<Class<?>>extracting(Object::getClass).containsExactly(LocalDate.class,
                LocalDateTime.class, LocalDateTime.class, LocalTime.class);
        assertThat(Db.query(c.createStatement("SELECT ts FROM t"), r -> r.get(0, Instant.class)).get(0))
                .isEqualTo(((LocalDateTime) stored.get(2)).toInstant(ZoneOffset.UTC));
        // A value that is no date stays as stored.
        Db.update(c, "DELETE FROM t");
        Db.update(c, "INSERT INTO t VALUES ('soon', 'later', 1700000000, 'noon')");
        assertThat(Db.rows(c, "SELECT d, dt, ts, tm FROM t").get(0))
                .containsExactly("soon", "later", 1700000000L, "noon");
    }

    @Test
    void aValueThatCannotBeReadAsTheTypeAskedNamesItsStorageClass() {
        assertCannotRead(0, Long.class, "Cannot read column 0 (TEXT value) as java.lang.Long");
        assertCannotRead(1, LocalDate.class, "Cannot read column 1 (BLOB value) as java.time.LocalDate");
        assertCannotRead(2, UUID.class, "Cannot read column 2 (REAL value) as java.util.UUID");
        assertCannotRead(3, LocalTime.class, "Cannot read column 3 (INTEGER value) as java.time.LocalTime");
    }

    /** Asserts that reading {@code column} of a row of four storage classes as {@code type} fails with {@code message}. */
    private void assertCannotRead(int column, Class<?> type, String message) {
        assertThatThrownBy(() -> Db.query(c.createStatement("SELECT 'abc', x'0102', 2.5, 7"), r -> r.get(column, type)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
