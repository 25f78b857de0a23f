package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.SQLDataException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Parameter storage forms, typed getters that read them back, and Row.as(record). */
final class TypesTest extends MemoryDatabaseTest {

    private Row one(String sql, Object... params) {
        return db.executeFetchAll(sql, params).join().get(0);
    }

    @Test
    void storageForms_matchTheDocumentedText() {
        Row r = one("select ?, ?, ?, ?, ?, ?, ?, typeof(?), ?, ?, ?",
                LocalDate.of(2024, 5, 17), LocalTime.of(13, 45), LocalDateTime.of(2024, 5, 17, 13, 45, 0, 120_000_000),
                OffsetDateTime.of(2024, 5, 17, 13, 45, 0, 0, ZoneOffset.ofHours(2)),
                Instant.parse("2024-05-17T11:45:00Z"), UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                new BigDecimal("1.50"), true, ByteBuffer.wrap(new byte[] {1, 2, 3}, 1, 2), 'c',
                BigInteger.valueOf(Long.MIN_VALUE));
        assertThat(r.values().subList(0, 8)).containsExactly("2024-05-17", "13:45:00", "2024-05-17 13:45:00.12",
                "2024-05-17 13:45:00+02:00", "2024-05-17 11:45:00+00:00", "123e4567-e89b-12d3-a456-426614174000",
                "1.50", "integer");
        assertThat(r.getBytes(8)).containsExactly(2, 3);
        assertThat(r.get(9)).isEqualTo("c");
        assertThat(r.get(10)).isEqualTo(Long.MIN_VALUE);
        assertThat(one("select datetime(?, '+1 day')", LocalDateTime.of(2024, 5, 17, 13, 45)).getString(0))
                .as("SQLite's date functions read the form").isEqualTo("2024-05-18 13:45:00");
    }

    @Test
    void typedGetters_readTheFormsBack() {
        db.execute("create table e (d, t, dt, odt, i, u, n)").join();
        OffsetDateTime odt = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6000, ZoneOffset.ofHoursMinutes(-5, -30));
        UUID u = UUID.randomUUID();
        db.execute("insert into e values (?, ?, ?, ?, ?, ?, ?)", LocalDate.of(1999, 12, 31), LocalTime.of(23, 59, 58, 1),
                LocalDateTime.of(2000, 1, 1, 0, 0), odt, Instant.EPOCH, u, new BigDecimal("-12345678901234567890.123")).join();
        Row r = db.executeFetchAll("select * from e").join().get(0);
        assertThat(r.getLocalDate("d")).isEqualTo(LocalDate.of(1999, 12, 31));
        assertThat(r.getLocalTime("t")).isEqualTo(LocalTime.of(23, 59, 58, 1));
        assertThat(r.getLocalDateTime("dt")).isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0));
        assertThat(r.getOffsetDateTime("odt")).isEqualTo(odt);
        assertThat(r.getInstant("i")).isEqualTo(Instant.EPOCH);
        assertThat(r.getUuid("u")).isEqualTo(u);
        assertThat(r.getBigDecimal("n")).isEqualTo(new BigDecimal("-12345678901234567890.123"));
        Row sqliteMade = one("select datetime('2024-05-17 10:00:00'), '2024-05-17T10:00', date('2024-05-17')");
        assertThat(sqliteMade.getLocalDateTime(0)).isEqualTo(LocalDateTime.of(2024, 5, 17, 10, 0));
        assertThat(sqliteMade.getLocalDateTime(1)).isEqualTo(LocalDateTime.of(2024, 5, 17, 10, 0));
        assertThat(sqliteMade.getInstant(0)).isEqualTo(Instant.parse("2024-05-17T10:00:00Z"));
        assertThat(sqliteMade.getLocalDate(2)).isEqualTo(LocalDate.of(2024, 5, 17));
        assertThat(one("select ?", ByteBuffer.allocate(16).putLong(1).putLong(2).array()).getUuid(0))
                .isEqualTo(new UUID(1, 2));
        assertThatThrownBy(() -> one("select 'not a date'").getLocalDate(0)).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("not an ISO-8601 date");
    }

    @Test
    void unsupportedParameters_nameTheTypeAndIndex() {
        assertThat(db.executeFetchAll("select ?, ?", 1, new java.util.Date())).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(SQLDataException.class)
                .withMessageContaining("parameter 2 has unsupported type java.util.Date");
        assertThat(db.executeFetchAll("select ?", BigInteger.ONE.shiftLeft(64))).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(SQLDataException.class)
                .withMessageContaining("does not fit SQLite's 64-bit INTEGER");
        assertThat(db.executeFetchAll("select 1")).succeedsWithin(WAIT);
    }

    private static final java.util.List<String> TEXTS = java.util.List.of("", "plain", "caf\u00e9 \u00fcber",
            "\u65e5\u672c\u8a9e", "emoji \ud83d\ude00 pair", "nul\u0000inside", "x".repeat(5000));

    /** Reads TEXTS back (several rows: the first row of a result and the following ones). */
    private void assertTextsReadBack(AsyncConnection c, String label) {
        java.util.List<Row> rows = c.executeFetchAll("select t, typeof(t), n from txt order by rowid").join();
        assertThat(rows).as(label).hasSize(TEXTS.size() + 1);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(rows.get(i).get(0)).as(label + " row " + i).isEqualTo(TEXTS.get(i));
            assertThat(rows.get(i).get(1)).as(label).isEqualTo("text");
        }
        Row last = rows.get(TEXTS.size());
        assertThat(last.get(0)).as(label + ": an INTEGER among TEXT values stays Long").isEqualTo(42L);
        assertThat(last.get(2)).as(label).isNull();
    }

    private static void fillTexts(AsyncConnection c) {
        c.execute("create table txt (t, n)").join();
        for (String t : TEXTS) {
            c.execute("insert into txt values (?, 'n')", t).join();
        }
        c.execute("insert into txt values (42, null)").join();
        c.commit().join();
    }

    @Test
    void text_readBackExactly_inUtf8AndUtf16Databases() {
        fillTexts(db);
        assertTextsReadBack(db, "UTF-8");
        assertTextsReadBack(db, "UTF-8, again");
        for (String encoding : java.util.List.of("UTF-16le", "UTF-16be")) {
            AsyncConnection c = AioSqlite.connect(":memory:").join();
            try {
                assertThat(c.executeFetchAll("select 'before the encoding is set'").join().get(0).get(0))
                        .isEqualTo("before the encoding is set");
                c.execute("pragma encoding = '" + encoding + "'").join();
                fillTexts(c);
                assertThat(c.executeFetchAll("pragma encoding").join().get(0).get(0)).isEqualTo(encoding);
                assertTextsReadBack(c, encoding);
                assertTextsReadBack(c, encoding + ", again");
                // An image of this database, deserialized into a connection that already read
                // text (from an empty database, whose encoding is not fixed yet).
                byte[] image = c.serialize("main").join();
                AsyncConnection target = AioSqlite.connect(":memory:").join();
                try {
                    assertThat(target.executeFetchAll("select 'x'").join().get(0).get(0)).isEqualTo("x");
                    target.deserialize("main", image).join();
                    assertTextsReadBack(target, encoding + " image deserialized");
                } finally {
                    target.close();
                }
                // Once a database with content is open, SQLite keeps the connection's encoding.
                AsyncConnection utf8 = AioSqlite.connect(":memory:").join();
                try {
                    fillTexts(utf8);
                    assertTextsReadBack(utf8, "UTF-8 before deserialize");
                    utf8.deserialize("main", image).join();
                    assertThat(utf8.executeFetchAll("select t from txt")).failsWithin(WAIT)
                            .withThrowableOfType(ExecutionException.class)
                            .withMessageContaining("must use the same text encoding");
                } finally {
                    utf8.close();
                }
            } finally {
                c.close();
            }
        }
    }

    /** A record rows map to. */
    public record Person(long id, String name, Integer age, boolean active, LocalDate born, Object extra) {}

    @Test
    void rowAsRecord_byNameCaseInsensitively() {
        Row r = one("select 7 as ID, 'Ann' as Name, null as age, 1 as active, '2001-02-03' as born, x'00' as extra");
        Person p = r.as(Person.class);
        assertThat(p.id()).isEqualTo(7);
        assertThat(p.name()).isEqualTo("Ann");
        assertThat(p.age()).isNull();
        assertThat(p.active()).isTrue();
        assertThat(p.born()).isEqualTo(LocalDate.of(2001, 2, 3));
        assertThat((byte[]) p.extra()).containsExactly(0);
        assertThatThrownBy(() -> one("select 1 as id").as(Person.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("component 'name' has no matching column");
        assertThatThrownBy(() -> one("select null as id, 'a' as name, 1 as age, 0 as active, null as born, null as extra")
                .as(Person.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'id' is NULL");
    }
}
