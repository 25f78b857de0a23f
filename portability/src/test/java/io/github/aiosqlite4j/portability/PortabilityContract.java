package io.github.aiosqlite4j.portability;

import static io.github.aiosqlite4j.portability.Target.GUARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The same Spring Data R2DBC repository, DatabaseClient and jOOQ code against each database, which
 * a subclass names by URL only. Each test asserts the same results on every database; where the
 * databases differ, {@link Target#either} names what each gives, and the test shows the way of
 * writing it that gives the same on both (the README's "Moving to PostgreSQL").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PortabilityContract {

    private static final Table<Record> ITEM = table(name("item"));
    private static final Field<Long> ID = field(name("id"), SQLDataType.BIGINT);
    private static final Field<String> NAME = field(name("name"), SQLDataType.VARCHAR);
    private static final Field<Boolean> ACTIVE = field(name("active"), SQLDataType.BOOLEAN);
    private static final Field<Integer> POSITION = field(name("position"), SQLDataType.INTEGER);
    private static final Table<Record> COUNTER = table(name("counter"));
    private static final Field<String> COUNTER_NAME = field(name("counter", "name"), SQLDataType.VARCHAR);
    private static final Field<Long> HITS = field(name("counter", "hits"), SQLDataType.BIGINT);

    private static final Instant T0 = Instant.parse("2024-05-17T11:45:00.123456Z");

    Target db;
    ItemRepository items;
    DatabaseClient client;

    /** @return the R2DBC URL of the database under test */
    abstract String url();

    @BeforeAll
    void open() {
        db = new Target(url());
        items = db.items;
        client = db.client;
    }

    @AfterAll
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
        afterClose();
    }

    /** Runs after the database has been closed. */
    void afterClose() throws Exception {
    }

    @BeforeEach
    void resetSchema() {
        db.resetSchema();
    }

    private List<Item> save(Item... toSave) {
        return items.saveAll(List.of(toSave)).collectList().block(GUARD);
    }

    private static Item item(String name) {
        return new Item(name, false, T0);
    }

    private List<String> names(DatabaseClient.GenericExecuteSpec query) {
        return query.map(row -> row.get("name", String.class)).all().collectList().block(GUARD);
    }

    @Test
    void byUrlAlone_springDataAndJooqFindTheirDialects() {
        assertThat(db.platform).isEqualTo(db.either("sqlite", "postgresql"));
        assertThat(db.template.getDataAccessStrategy().getDialect().getClass().getSimpleName())
                .isEqualTo(db.either("SqliteR2dbcDialect", "PostgresDialect"));
        assertThat(db.jooq.dialect()).isEqualTo(db.either(SQLDialect.SQLITE, SQLDialect.POSTGRES));
    }

    // ---- ids --------------------------------------------------------------------------------

    @Test
    void ids_saveAssignsIncreasingIds_neverReusedAfterDelete() {
        assertThat(save(item("a"), item("b"), item("c"))).extracting(i -> i.id).containsExactly(1L, 2L, 3L);
        items.deleteById(3L).block(GUARD);
        // SQLite without AUTOINCREMENT would give 3 again; a sequence never does.
        assertThat(items.save(item("d")).block(GUARD).id).isEqualTo(4L);
        Item found = items.findById(2L).block(GUARD);
        assertThat(found.name).isEqualTo("b");
    }

    @Test
    void ids_generatedValues_throughDatabaseClient_returningClause_andJooq() {
        Long first = client.sql("INSERT INTO item (name) VALUES (:name)")
                .bind("name", "a")
                .filter(s -> s.returnGeneratedValues("id"))
                .map(row -> row.get("id", Long.class))
                .one().block(GUARD);
        assertThat(first).isEqualTo(1L);

        String returned = client.sql("INSERT INTO item (name, active) VALUES (:name, TRUE) RETURNING id, name, active")
                .bind("name", "b")
                .map(row -> row.get("id", Long.class) + " " + row.get("name", String.class)
                        + " " + row.get("active", Boolean.class))
                .one().block(GUARD);
        assertThat(returned).isEqualTo("2 b true");

        Record third = Mono.from(db.jooq.insertInto(ITEM, NAME, ACTIVE).values("c", true).returning(ID))
                .block(GUARD);
        assertThat(third.get(ID)).isEqualTo(3L);

        List<String> deleted = client.sql("DELETE FROM item WHERE id >= :id RETURNING name")
                .bind("id", 2L)
                .map(row -> row.get("name", String.class)).all().sort().collectList().block(GUARD);
        assertThat(deleted).containsExactly("b", "c");
    }

    @Test
    void ids_explicitIdThenGenerated_aSequenceDoesNotSkipPastIt() {
        client.sql("INSERT INTO item (id, name) VALUES (:id, :name)").bind("id", 1L).bind("name", "explicit")
                .then().block(GUARD);
        Throwable next = catchThrowable(() -> items.save(item("generated")).block(GUARD));
        // SQLite takes the largest id + 1; PostgreSQL's identity sequence still starts at 1.
        if (db.isPostgres()) {
            assertThat(next).hasStackTraceContaining("duplicate key value violates unique constraint");
        } else {
            assertThat(next).isNull();
            assertThat(items.findById(2L).block(GUARD).name).isEqualTo("generated");
        }
    }

    // ---- timestamps -------------------------------------------------------------------------

    @Test
    void timestamps_instantRoundTrips_atMicrosecondPrecision() {
        Item saved = items.save(new Item("a", false, T0)).block(GUARD);
        assertThat(items.findById(saved.id).block(GUARD).createdAt).isEqualTo(T0);

        // PostgreSQL keeps microseconds (rounding), SQLite's text keeps nanoseconds.
        Instant nanos = T0.plusNanos(789);
        Item precise = items.save(new Item("b", false, nanos)).block(GUARD);
        assertThat(items.findById(precise.id).block(GUARD).createdAt)
                .isEqualTo(db.either(nanos, T0.plusNanos(1000)));
        // The portable way: truncate before writing.
        Item truncated = items.save(new Item("c", false, nanos.truncatedTo(ChronoUnit.MICROS))).block(GUARD);
        assertThat(items.findById(truncated.id).block(GUARD).createdAt).isEqualTo(T0);
    }

    @Test
    void timestamps_rangeAndOrder_onBoundInstants() {
        save(new Item("late", false, T0.plus(2, ChronoUnit.HOURS)),
                new Item("early", false, T0.minusMillis(500)),
                new Item("exact", false, T0),
                new Item("next-day", false, T0.plus(1, ChronoUnit.DAYS)));
        assertThat(names(client.sql("SELECT name FROM item WHERE created_at >= :from AND created_at < :to"
                        + " ORDER BY created_at")
                .bind("from", T0).bind("to", T0.plus(1, ChronoUnit.DAYS))))
                .containsExactly("exact", "late");
        assertThat(items.findAll(Sort.by("createdAt")).map(i -> i.name).collectList().block(GUARD))
                .containsExactly("early", "exact", "late", "next-day");
    }

    @Test
    void timestamps_offsetsAreNotKept_andSqliteComparesTheirText() {
        // 10:00 UTC written at +02:00, then 11:00 UTC written at UTC.
        OffsetDateTime ten = OffsetDateTime.parse("2024-05-17T12:00:00+02:00");
        OffsetDateTime eleven = OffsetDateTime.parse("2024-05-17T11:00:00Z");
        for (Object[] row : new Object[][] {{"ten", ten}, {"eleven", eleven}}) {
            client.sql("INSERT INTO item (name, created_at) VALUES (:name, :at)").bind("name", row[0]).bind("at", row[1])
                    .then().block(GUARD);
        }
        // PostgreSQL keeps the instant and orders by it; SQLite keeps the text and orders by it.
        assertThat(names(client.sql("SELECT name FROM item ORDER BY created_at")))
                .containsExactly(db.either(new String[] {"eleven", "ten"}, new String[] {"ten", "eleven"}));
        assertThat(client.sql("SELECT created_at FROM item WHERE name = 'ten'")
                .map(row -> row.get("created_at", OffsetDateTime.class).getOffset()).one().block(GUARD))
                // PostgreSQL: the session's TimeZone, which r2dbc-postgresql sets to the JVM's zone.
                .isEqualTo(db.either(ZoneOffset.ofHours(2), ten.atZoneSameInstant(ZoneId.systemDefault()).getOffset()));
        // The portable way: write Instants (the driver stores them at UTC); both order them alike.
        client.sql("UPDATE item SET created_at = :at WHERE name = 'ten'").bind("at", ten.toInstant()).then().block(GUARD);
        assertThat(names(client.sql("SELECT name FROM item ORDER BY created_at"))).containsExactly("ten", "eleven");
        assertThat(client.sql("SELECT created_at FROM item WHERE name = 'ten'")
                .map(row -> row.get("created_at", Instant.class)).one().block(GUARD)).isEqualTo(ten.toInstant());
    }

    @Test
    void timestamps_defaultCurrentTimestamp_readsAsTheCurrentInstant() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        client.sql("INSERT INTO item (name) VALUES ('defaulted')").then().block(GUARD);
        Instant after = Instant.now();
        Item read = items.findAll().blockFirst(GUARD);
        // SQLite's CURRENT_TIMESTAMP is UTC text to the second; PostgreSQL's has microseconds.
        assertThat(read.createdAt).isBetween(before, after);
        Instant viaClient = client.sql("SELECT created_at FROM item")
                .map(row -> row.get("created_at", Instant.class)).one().block(GUARD);
        assertThat(viaClient).isEqualTo(read.createdAt);
    }

    // ---- booleans ---------------------------------------------------------------------------

    @Test
    void booleans_boundAndLiteral_TRUE_FALSE() {
        save(new Item("a", true, T0), new Item("b", false, T0), new Item("c", true, T0));
        assertThat(items.findByActiveTrue(Sort.by("name")).map(i -> i.name).collectList().block(GUARD))
                .containsExactly("a", "c");
        assertThat(names(client.sql("SELECT name FROM item WHERE active = :active ORDER BY name")
                .bind("active", false))).containsExactly("b");
        assertThat(names(client.sql("SELECT name FROM item WHERE active = TRUE ORDER BY name")))
                .containsExactly("a", "c");
        assertThat(names(client.sql("SELECT name FROM item WHERE NOT active ORDER BY name")))
                .containsExactly("b");
        assertThat(client.sql("SELECT active FROM item WHERE name = 'a'").map(row -> row.get("active"))
                .one().block(GUARD)).isEqualTo(Boolean.TRUE);
        assertThat(Flux.from(db.jooq.select(NAME).from(ITEM).where(ACTIVE.isFalse())).map(r -> r.get(NAME))
                .collectList().block(GUARD)).containsExactly("b");

        // A boolean compared with 1: SQLite's TRUE is 1, PostgreSQL has no boolean = integer.
        Throwable one = catchThrowable(() -> names(client.sql("SELECT name FROM item WHERE active = 1")));
        if (db.isPostgres()) {
            assertThat(one).hasStackTraceContaining("operator does not exist: boolean = integer");
        } else {
            assertThat(one).isNull();
        }
    }

    // ---- paging -----------------------------------------------------------------------------

    @Test
    void paging_limitOffset_repositoryClientAndJooq() {
        for (String n : List.of("g", "c", "a", "e", "b", "f", "d")) {
            save(item(n));
        }
        assertThat(items.findAllBy(PageRequest.of(1, 3, Sort.by("name"))).map(i -> i.name).collectList()
                .block(GUARD)).containsExactly("d", "e", "f");
        assertThat(names(client.sql("SELECT name FROM item ORDER BY name LIMIT :limit OFFSET :offset")
                .bind("limit", 3).bind("offset", 6))).containsExactly("g");
        assertThat(Flux.from(db.jooq.select(NAME).from(ITEM).orderBy(NAME).limit(2).offset(1))
                .map(r -> r.get(NAME)).collectList().block(GUARD)).containsExactly("b", "c");

        // OFFSET without LIMIT: PostgreSQL takes it, SQLite's grammar needs a LIMIT first.
        Throwable offsetOnly = catchThrowable(() -> names(client.sql("SELECT name FROM item ORDER BY name OFFSET 5")));
        if (db.isPostgres()) {
            assertThat(offsetOnly).isNull();
        } else {
            assertThat(offsetOnly).hasStackTraceContaining("near \"OFFSET\": syntax error");
        }
    }

    @Test
    void paging_nullsSortLastInPostgres_firstInSqlite_unlessSaid() {
        Item a = item("a");
        a.position = 2;
        Item b = item("b");
        Item c = item("c");
        c.position = 1;
        save(a, b, c);
        assertThat(names(client.sql("SELECT name FROM item ORDER BY position")))
                .containsExactly(db.either(new String[] {"b", "c", "a"}, new String[] {"c", "a", "b"}));
        assertThat(names(client.sql("SELECT name FROM item ORDER BY position NULLS LAST")))
                .containsExactly("c", "a", "b");
        assertThat(items.findAll(Sort.by(Sort.Order.asc("position").nullsFirst())).map(i -> i.name)
                .collectList().block(GUARD)).containsExactly("b", "c", "a");
        assertThat(Flux.from(db.jooq.select(NAME).from(ITEM).orderBy(POSITION.desc().nullsLast()))
                .map(r -> r.get(NAME)).collectList().block(GUARD)).containsExactly("a", "c", "b");
    }

    // ---- upsert -----------------------------------------------------------------------------

    @Test
    void upsert_onConflictDoUpdate_qualifiedColumns() {
        String upsert = "INSERT INTO counter (name, hits) VALUES (:name, :hits)"
                + " ON CONFLICT (name) DO UPDATE SET hits = counter.hits + excluded.hits";
        List<Long> counts = Flux.just("x", "y", "x", "x")
                .concatMap(n -> client.sql(upsert).bind("name", n).bind("hits", 1L).fetch().rowsUpdated())
                .collectList().block(GUARD);
        assertThat(counts).containsExactly(1L, 1L, 1L, 1L);
        Integer jooqCount = Mono.from(db.jooq.insertInto(COUNTER, COUNTER_NAME, HITS).values("y", 10L)
                .onConflict(COUNTER_NAME).doUpdate().set(HITS, HITS.plus(excluded(HITS)))).block(GUARD);
        assertThat(jooqCount).isEqualTo(1);
        Long ignored = client.sql("INSERT INTO counter (name, hits) VALUES ('x', 100) ON CONFLICT (name) DO NOTHING")
                .fetch().rowsUpdated().block(GUARD);
        assertThat(ignored).isZero();
        assertThat(client.sql("SELECT name, hits FROM counter ORDER BY name")
                .map(row -> row.get("name", String.class) + "=" + row.get("hits", Long.class))
                .all().collectList().block(GUARD)).containsExactly("x=3", "y=11");

        // Unqualified, "hits" is ambiguous to PostgreSQL (the row or EXCLUDED); SQLite takes the row.
        Throwable unqualified = catchThrowable(() -> client.sql("INSERT INTO counter (name, hits) VALUES ('x', 1)"
                + " ON CONFLICT (name) DO UPDATE SET hits = hits + 1").then().block(GUARD));
        if (db.isPostgres()) {
            assertThat(unqualified).hasStackTraceContaining("column reference \"hits\" is ambiguous");
        } else {
            assertThat(unqualified).isNull();
        }
    }

    // ---- what else a moved application meets -----------------------------------------------

    @Test
    void like_isCaseInsensitiveInSqliteOnly_lowerOnBothSides_isPortable() {
        save(item("Apple"), item("apricot"), item("banana"));
        assertThat(names(client.sql("SELECT name FROM item WHERE name LIKE :p ORDER BY name").bind("p", "a%")))
                .containsExactly(db.either(new String[] {"Apple", "apricot"}, new String[] {"apricot"}));
        assertThat(names(client.sql("SELECT name FROM item WHERE LOWER(name) LIKE LOWER(:p) ORDER BY name")
                .bind("p", "a%"))).containsExactly("Apple", "apricot");
        assertThat(items.findByNameContainingIgnoreCase("AP", Sort.by("name")).map(i -> i.name).collectList()
                .block(GUARD)).containsExactly("Apple", "apricot");
    }

    @Test
    void aggregates_askForTheJavaType_sumOfBigintIsNumericInPostgres() {
        client.sql("INSERT INTO counter (name, hits) VALUES ('x', 3), ('y', 4)").then().block(GUARD);
        Map<String, Object> raw = client.sql("SELECT COUNT(*) AS n, SUM(hits) AS total FROM counter")
                .fetch().one().block(GUARD);
        // An expression column has no declared type in SQLite: a number that fits comes back an Integer.
        assertThat(raw.get("n")).isEqualTo(db.either(2, 2L));
        assertThat(raw.get("total")).isEqualTo(db.either(7, new BigDecimal("7")));
        assertThat(client.sql("SELECT SUM(hits) AS total FROM counter").map(row -> row.get("total", Long.class))
                .one().block(GUARD)).isEqualTo(7L);
    }

    @Test
    void numeric_keepsItsScaleInPostgresOnly_compareByValue() {
        Item a = item("a");
        a.price = new BigDecimal("10.50");
        Item saved = items.save(a).block(GUARD);
        BigDecimal read = items.findById(saved.id).block(GUARD).price;
        assertThat(read).isEqualByComparingTo("10.5");
        assertThat(read.scale()).isEqualTo(db.either(1, 2));
    }

    @Test
    void transactions_rollBackOnError_commitOtherwise() {
        Throwable failed = catchThrowable(() -> items.save(item("rolled back"))
                .then(Mono.error(new IllegalStateException("boom")))
                .as(db.tx::transactional).block(GUARD));
        assertThat(failed).hasMessage("boom");
        items.save(item("kept")).as(db.tx::transactional).block(GUARD);
        assertThat(items.findAll().map(i -> i.name).collectList().block(GUARD)).containsExactly("kept");
    }
}
