package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code executeMapped(sql, mapper, params)}: a cursor whose rows are mapped, the Java twin of a Python
 * cursor with a {@code row_factory}. What a failing mapper does follows CPython 3.11's cursor with
 * a raising {@code row_factory}: the fetch that reaches the row fails, the rows after it stay.
 */
final class TypedCursorTest {
    /** A record mapped by column name; the components are not in the columns' order. */
    public record User(String name, long id, Double score) {}

    private AsyncConnection db;

    @BeforeEach
    void open() throws Exception {
        db = AioSqlite.connect(":memory:").get(30, TimeUnit.SECONDS);
        db.executeScript("create table users (id integer primary key, name text, score real);"
                + "insert into users values (1, 'ann', 1.5), (2, 'bob', null), (3, 'cy', 3.0);")
                .get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** select value from a recursive CTE: 1..n. */
    private static String count(int n) {
        return "with recursive c(v) as (select 1 union all select v + 1 from c where v < " + n
                + ") select v from c";
    }

    @Test
    void fetchesGiveTheMappersValues() throws Exception {
        try (TypedCursor<String> cursor = await(db.executeMapped(
                "select name from users where id > ? order by id", row -> row.getString(0), 0))) {
            assertThat(await(cursor.fetchOne())).contains("ann");
            assertThat(await(cursor.fetchMany(1))).containsExactly("bob");
            assertThat(await(cursor.fetchAll())).containsExactly("cy");
            assertThat(await(cursor.fetchOne())).isEmpty();
            assertThat(cursor.description()).extracting(Column::name).containsExactly("name");
            assertThat(cursor.connection()).isSameAs(db);
        }
    }

    @Test
    void forRecord_mapsColumnsToComponentsByName() throws Exception {
        TypedCursor<User> cursor = await(db.executeMapped("select id, score, NAME from users order by id",
                RowMapper.forRecord(User.class)));
        assertThat(await(cursor.fetchAll())).containsExactly(
                new User("ann", 1, 1.5), new User("bob", 2, null), new User("cy", 3, 3.0));
        await(cursor.closeAsync());

        TypedCursor<User> missing = await(db.executeMapped("select id, name from users",
                RowMapper.forRecord(User.class)));
        assertThat(failure(missing.fetchOne())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("score");
    }

    @Test
    void rowsAndForEach_streamTheMappedValues_pastTheReadAhead() throws Exception {
        int n = 1000; // far beyond the 64 rows execute reads ahead
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            expected.add(i * 10);
        }
        TypedCursor<Long> forEach = await(db.executeMapped(count(n), row -> row.getLong(0) * 10));
        List<Long> seen = new ArrayList<>();
        assertThat(await(forEach.forEach(seen::add))).isEqualTo(n);
        assertThat(seen).isEqualTo(expected);

        TypedCursor<Long> published = await(db.executeMapped(count(n), row -> row.getLong(0) * 10));
        assertThat(Streams.collect(published.rows(), 7)).succeedsWithin(java.time.Duration.ofSeconds(30))
                .isEqualTo(expected);
    }

    @Test
    void theMapperRunsOnTheWorkerThread() throws Exception {
        Thread worker = await(db.run(session -> Thread.currentThread()));
        List<Thread> threads = new ArrayList<>();
        TypedCursor<Long> cursor = await(db.executeMapped(count(200), row -> {
            threads.add(Thread.currentThread());
            return row.getLong(0);
        }));
        assertThat(await(cursor.fetchAll())).hasSize(200);
        assertThat(threads).hasSize(200).containsOnly(worker);
    }

    @Test
    void mapperException_failsTheFetchThatReachesIt_unchanged_andTheRowsAfterItStay() throws Exception {
        // Python: a row_factory raising on row 2 of 1..4 makes fetchall() raise; the next
        // fetchall() gives [3, 4]. With fetchone(): 1, the error, then 3.
        SQLException bad = new SQLException("bad row 2");
        RowMapper<Long> mapper = row -> {
            if (row.getLong(0) == 2) {
                throw bad;
            }
            return row.getLong(0);
        };
        TypedCursor<Long> all = await(db.executeMapped(count(4), mapper));
        assertThat(failure(all.fetchAll())).isSameAs(bad);
        assertThat(await(all.fetchAll())).containsExactly(3L, 4L);

        TypedCursor<Long> one = await(db.executeMapped(count(4), mapper));
        assertThat(await(one.fetchOne())).contains(1L);
        assertThat(failure(one.fetchOne())).isSameAs(bad);
        assertThat(await(one.fetchOne())).contains(3L);
    }

    @Test
    void mapperException_beyondTheReadAhead_isRaisedInPlace_andTheRowsAfterItStay() throws Exception {
        IllegalStateException bad = new IllegalStateException("bad row 100");
        TypedCursor<Long> cursor = await(db.executeMapped(count(150), row -> {
            if (row.getLong(0) == 100) {
                throw bad;
            }
            return row.getLong(0);
        }));
        List<Long> first = await(cursor.fetchMany(99));
        assertThat(first).hasSize(99).startsWith(1L).endsWith(99L);
        assertThat(failure(cursor.fetchMany(10))).isSameAs(bad);
        List<Long> rest = await(cursor.fetchAll());
        assertThat(rest).hasSize(50).startsWith(101L).endsWith(150L);
        // the connection and its other work are unaffected
        assertThat(await(db.executeFetchAll("select count(*) from users")).get(0).getLong(0)).isEqualTo(3L);
    }

    @Test
    void mapperSqlException_beyondTheReadAhead_reachesTheFetchAsItself() throws Exception {
        java.sql.SQLIntegrityConstraintViolationException bad =
                new java.sql.SQLIntegrityConstraintViolationException("row 100 is a duplicate");
        TypedCursor<Long> cursor = await(db.executeMapped(count(150), row -> {
            if (row.getLong(0) == 100) {
                throw bad;
            }
            return row.getLong(0);
        }));
        assertThat(await(cursor.fetchMany(99))).hasSize(99);
        assertThat(failure(cursor.fetchAll())).isSameAs(bad);
        assertThat(await(cursor.fetchAll())).hasSize(50).startsWith(101L);
    }

    @Test
    void mapperReturningNull_failsItsRow() throws Exception {
        TypedCursor<String> cursor = await(db.executeMapped("select name from users order by id",
                row -> row.getString(0).equals("bob") ? null : row.getString(0)));
        assertThat(await(cursor.fetchOne())).contains("ann");
        assertThat(failure(cursor.fetchOne())).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("returned null");
        assertThat(await(cursor.fetchOne())).contains("cy");
    }

    @Test
    void insertReturning_mapsTheReturnedRows() throws Exception {
        TypedCursor<Long> cursor = await(db.executeMapped(
                "insert into users (name) values (?) returning id", row -> row.getLong("id"), "dee"));
        assertThat(await(cursor.fetchAll())).containsExactly(4L);
        assertThat(cursor.lastRowId()).isEqualTo(4L);
        await(db.commit());
        assertThat(await(db.executeFetchAll("select name from users where id = 4")).get(0).getString(0))
                .isEqualTo("dee");
    }

    @Test
    void badArguments_failAtOnce() {
        RowMapper<Object> mapper = row -> row.get(0);
        assertThatThrownBy(() -> db.executeMapped(null, mapper)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> db.executeMapped("select 1", null, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("mapper");
        assertThatThrownBy(() -> RowMapper.forRecord(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void execute_withANullFirstParameter_stillBindsNull() throws Exception {
        // why the mapped form is executeMapped and not an execute overload: with
        // execute(String, RowMapper, Object...) beside it, this call would pick that one
        AsyncCursor cursor = await(db.execute("select ?, ?", null, 1));
        assertThat(await(cursor.fetchOne()).orElseThrow().values()).containsExactly(null, 1L);
    }

    @Test
    void bytesOfText_likeTextFactoryBytes_throughCastAsBlobAndAMapper() throws Exception {
        // Python's text_factory=bytes, or a decoder of its own: select the TEXT as a BLOB and
        // decode it in a mapper. Here: Latin-1 bytes stored as TEXT (not valid UTF-8).
        await(db.execute("create table t (s text)"));
        await(db.execute("insert into t values (cast(x'436166e9' as text))"));
        TypedCursor<String> cursor = await(db.executeMapped("select cast(s as blob) from t",
                row -> new String(row.getBytes(0), StandardCharsets.ISO_8859_1)));
        assertThat(await(cursor.fetchOne())).isEqualTo(Optional.of("Caf\u00e9"));
    }
}
