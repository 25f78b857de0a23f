package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Placeholders, binding, batches, compound statements, generated values and type mapping. */
final class StatementTest {

    private Connection c;

    @BeforeEach
    void setUp() {
        c = Db.open(Db.factory(Db.tempFile()));
    }

    @AfterEach
    void tearDown() {
        Db.close(c);
    }

    private static List<Object> values(Row row) {
        int n = row.getMetadata().getColumnMetadatas().size();
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = row.get(i);
        }
        return List.of(out);
    }

    @Test
    void questionMarks_bindByIndex() {
        Statement s = c.createStatement("SELECT ?, ?").bind(0, 1).bind(1, "a");
        assertThat(Db.query(s, StatementTest::values)).containsExactly(List.of(1, "a"));
    }

    @Test
    void numberedQuestionMarks_bindTheirNumberMinusOne() {
        Statement s = c.createStatement("SELECT ?2, ?1, ?2").bind(0, "a").bind(1, "b");
        assertThat(Db.query(s, StatementTest::values)).containsExactly(List.of("b", "a", "b"));
    }

    @Test
    void dollarNumbers_bindByTheirNumber_inAnyOrder() {
        Statement s = c.createStatement("SELECT $2, $1, $2").bind(0, "a").bind(1, "b");
        assertThat(Db.query(s, StatementTest::values)).containsExactly(List.of("b", "a", "b"));
        Statement byName = c.createStatement("SELECT $2, $1").bind("$1", "a").bind("2", "b");
        assertThat(Db.query(byName, StatementTest::values)).containsExactly(List.of("b", "a"));
        assertThatThrownBy(() -> c.createStatement("SELECT $2, $1").bind(2, "x"))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void namedParameters_bindByNameWithOrWithoutPrefix_andRepeatsShareAValue() {
        Statement colon = c.createStatement("SELECT :a, :b, :a").bind("a", 1).bind(":b", 2);
        assertThat(Db.query(colon, StatementTest::values)).containsExactly(List.of(1, 2, 1));
        Statement at = c.createStatement("SELECT @x || @y").bind("x", "p").bind("@y", "q");
        assertThat(Db.query(at, StatementTest::values)).containsExactly(List.of("pq"));
        Statement dollar = c.createStatement("SELECT $name").bind("name", "n");
        assertThat(Db.query(dollar, StatementTest::values)).containsExactly(List.of("n"));
        Statement byIndex = c.createStatement("SELECT :a, :b").bind(1, "second").bind(0, "first");
        assertThat(Db.query(byIndex, StatementTest::values)).containsExactly(List.of("first", "second"));
        assertThatThrownBy(() -> c.createStatement("SELECT :a").bind("b", 1))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("b");
    }

    @Test
    void add_runsTheStatementOncePerBindingSet() {
        Db.update(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)");
        Statement s = c.createStatement("INSERT INTO t(name) VALUES ($1)");
        s.bind(0, "a").add().bind(0, "b").add().bind(0, "c");
        List<Long> counts = Flux.from(s.execute()).concatMap(Result::getRowsUpdated).collectList().block(Db.GUARD);
        assertThat(counts).containsExactly(1L, 1L, 1L);
        assertThat(Db.rows(c, "SELECT name FROM t ORDER BY id"))
                .containsExactly(List.of("a"), List.of("b"), List.of("c"));
    }

    @Test
    void compoundStatement_givesOneResultPerStatement_respectingQuotesCommentsAndTriggers() {
        List<Long> counts = Db.update(c, "CREATE TABLE t(a TEXT); CREATE TABLE log(a TEXT);\n"
                + "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.a || ';'); END;\n"
                + "-- a comment; with a semicolon\n"
                + "INSERT INTO t VALUES ('x;y'); /* ; */ INSERT INTO t VALUES ('z')");
        assertThat(counts).containsExactly(0L, 0L, 0L, 1L, 1L);
        List<List<Object>> rows = Flux.from(c.createStatement("SELECT a FROM t ORDER BY a; SELECT count(*) FROM log")
                        .execute())
                .concatMap(r -> r.map((row, md) -> values(row)))
                .collectList().block(Db.GUARD);
        assertThat(rows).containsExactly(List.of("x;y"), List.of("z"), List.of(2));
    }

    @Test
    void batch_runsEachStatementInOrder() {
        Db.update(c, "CREATE TABLE t(a INTEGER)");
        List<Object> out = Flux.from(c.createBatch()
                        .add("INSERT INTO t VALUES (1)")
                        .add("INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)")
                        .add("SELECT sum(a) FROM t")
                        .execute())
                .concatMap(r -> r.flatMap(segment -> segment instanceof Result.UpdateCount
                        ? Mono.just((Object) ((Result.UpdateCount) segment).value())
                        : Mono.just(((Result.RowSegment) segment).row().get(0))))
                .collectList().block(Db.GUARD);
        assertThat(out).containsExactly(1L, 1L, 1L, 6);
    }

    @Test
    void returnGeneratedValues_appendsReturning_andReportsTheUpdateCount() {
        Db.update(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT DEFAULT 'anon')");
        Statement named = c.createStatement("INSERT INTO t(name) VALUES ($1)").bind(0, "a")
                .returnGeneratedValues("id");
        assertThat(Db.query(named, row -> row.get("ID", Long.class))).containsExactly(1L);
        Statement all = c.createStatement("INSERT INTO t DEFAULT VALUES").returnGeneratedValues();
        assertThat(Db.query(all, StatementTest::values)).containsExactly(List.of(2, "anon"));
        Long updated = Flux.from(c.createStatement("UPDATE t SET name = 'b'").returnGeneratedValues("id").execute())
                .concatMap(Result::getRowsUpdated).blockLast(Db.GUARD);
        assertThat(updated).isEqualTo(2L);
        // one statement ending with its semicolon: RETURNING goes before it
        Statement terminated = c.createStatement("INSERT INTO t(name) VALUES ($1); -- c")
                .bind(0, "c").returnGeneratedValues("id");
        assertThat(Db.query(terminated, row -> row.get("id", Long.class))).containsExactly(3L);
    }

    /** Each result's segments as text: "row" per row, then the update count if there is one. */
    private List<String> segments(String sql) {
        return Flux.from(c.createStatement(sql).execute())
                .concatMap(r -> r.flatMap(s -> Mono.just(s instanceof Result.UpdateCount
                        ? "count " + ((Result.UpdateCount) s).value() : "row")))
                .collectList().block(Db.GUARD);
    }

    @Test
    void updateCount_followsTheCoreRowCountRule() {
        Db.update(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, x)");
        assertThat(segments("INSERT INTO t(x) VALUES (1), (2)")).containsExactly("count 2");
        assertThat(segments("UPDATE t SET x = x + 1 RETURNING x")).containsExactly("row", "row", "count 2");
        assertThat(segments("DELETE FROM t WHERE id = 99 RETURNING id")).containsExactly("count 0");
        // as Python's rowcount: a statement starting with WITH counts no rows (-1), reported as 0
        assertThat(segments("WITH a(v) AS (SELECT 3) INSERT INTO t(x) SELECT v FROM a")).containsExactly("count 0");
        assertThat(segments("WITH a(v) AS (SELECT 4) INSERT INTO t(x) SELECT v FROM a RETURNING x"))
                .containsExactly("row");
        assertThat(Db.update(c, "WITH a(v) AS (SELECT 4) DELETE FROM t WHERE x IN (SELECT v FROM a)"))
                .containsExactly(0L);
        assertThat(Db.rows(c, "SELECT x FROM t ORDER BY x")).containsExactly(List.of(2), List.of(3), List.of(3));
    }

    @Test
    void emptyStatement_givesOneResultWithNoRows_andTheConnectionStaysUsable() {
        for (int round = 0; round < 3; round++) {
            for (String sql : List.of("", "  ", "-- a comment", ";")) {
                assertThat(Db.update(c, sql)).as(sql).containsExactly(0L);
                assertThat(Db.rows(c, sql)).isEmpty();
            }
        }
        assertThat(Db.rows(c, "SELECT 1")).containsExactly(List.of(1));
    }

    @Test
    void result_canBeConsumedOnce_andFilterSeesSegments() {
        Db.update(c, "CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (1), (2)");
        Result r = Mono.from(c.createStatement("SELECT a FROM t").execute()).block(Db.GUARD);
        assertThat(Flux.from(r.map((row, md) -> row.get(0))).collectList().block(Db.GUARD)).containsExactly(1, 2);
        assertThatThrownBy(() -> Flux.from(r.map((row, md) -> row.get(0))).blockLast(Db.GUARD))
                .isInstanceOf(IllegalStateException.class);
        Result insert = Mono.from(c.createStatement("INSERT INTO t VALUES (3)").execute()).block(Db.GUARD);
        assertThat(Flux.from(insert.filter(Result.UpdateCount.class::isInstance)
                .flatMap(s -> Mono.just(((Result.UpdateCount) s).value()))).blockLast(Db.GUARD)).isEqualTo(1L);
    }

    @Test
    void declaredTypes_mapToJavaTypes_andMetadataIsCaseInsensitive() {
        Db.update(c, "CREATE TABLE t(i INTEGER, b BIGINT, f BOOLEAN, r REAL, s VARCHAR(10), x BLOB,"
                + " d DATE, ts TIMESTAMP, n NUMERIC(10,2))");
        Db.update(c, "INSERT INTO t VALUES (1, 2, 1, 1.5, 's', x'0102', '2024-05-17',"
                + " '2024-05-17 13:45:00', 12.5)");
        List<Object> row = Db.query(c.createStatement("SELECT i, b, f, r, s, x, d, ts, n, i + 1 AS e FROM t"),
                StatementTest::values).get(0);
        assertThat(row).containsExactly(1, 2L, true, 1.5, "s", ByteBuffer.wrap(new byte[] {1, 2}),
                LocalDate.of(2024, 5, 17), LocalDateTime.of(2024, 5, 17, 13, 45), new BigDecimal("12.5"), 2);
        RowMetadata md = Flux.from(c.createStatement("SELECT i AS Value, s FROM t").execute())
                .concatMap(r -> r.map((r1, m) -> m)).blockLast(Db.GUARD);
        assertThat(md.contains("VALUE")).isTrue();
        ColumnMetadata value = md.getColumnMetadata("value");
        assertThat(value.getName()).isEqualTo("Value");
        assertThat(value.getJavaType()).isEqualTo(Integer.class);
        assertThat(value.getNativeTypeMetadata()).isEqualTo("INTEGER");
        assertThat(md.getColumnMetadata(1).getJavaType()).isEqualTo(String.class);
    }

    @Test
    void bindAndRead_richTypes_blobAndClob() {
        Db.update(c, "CREATE TABLE t(d DATE, u TEXT, m NUMERIC, b BLOB, c CLOB, n INTEGER)");
        UUID uuid = UUID.randomUUID();
        Statement insert = c.createStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, LocalDate.of(2020, 1, 2))
                .bind(1, uuid)
                .bind(2, new BigDecimal("1.25"))
                .bind(3, Blob.from(Flux.just(ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2, 3}))))
                .bind(4, Clob.from(Flux.just("he", "llo")))
                .bind(5, Parameters.in(Integer.class));
        assertThat(Flux.from(insert.execute()).concatMap(Result::getRowsUpdated).blockLast(Db.GUARD)).isEqualTo(1L);
        List<Object> row = Db.query(c.createStatement("SELECT d, u, m, b, c, n FROM t"), r -> List.<Object>of(
                r.get("d", LocalDate.class), r.get("u", UUID.class), r.get("m", BigDecimal.class),
                r.get("b", byte[].class).length, r.get("c", String.class), String.valueOf(r.get("n")))).get(0);
        assertThat(row).containsExactly(LocalDate.of(2020, 1, 2), uuid, new BigDecimal("1.25"), 3, "hello", "null");
        Clob clob = Db.query(c.createStatement("SELECT c FROM t"), r -> r.get(0, Clob.class)).get(0);
        assertThat(Flux.from(clob.stream()).reduce("", (a, b) -> a + b).block(Db.GUARD)).isEqualTo("hello");
        Blob blob = Db.query(c.createStatement("SELECT b FROM t"), r -> r.get(0, Blob.class)).get(0);
        assertThat(Flux.from(blob.stream()).map(ByteBuffer::remaining).reduce(0, Integer::sum).block(Db.GUARD))
                .isEqualTo(3);
        assertThat(Db.query(c.createStatement("SELECT 'caf\u00e9'"), r -> r.get(0, String.class)
                .getBytes(StandardCharsets.UTF_8).length)).containsExactly(5);
    }

    @Test
    void bindErrors_failAtOnce() {
        Statement s = c.createStatement("SELECT ?, ?");
        assertThatThrownBy(() -> s.bind(0, new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> s.bind(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.bind(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        s.bind(0, 1);
        assertThatThrownBy(s::add).isInstanceOf(IllegalStateException.class).hasMessageContaining("?2");
        assertThatThrownBy(() -> c.createStatement("SELECT ?; SELECT ?"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single");
        assertThatThrownBy(() -> s.fetchSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
