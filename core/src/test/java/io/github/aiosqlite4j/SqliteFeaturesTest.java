package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** sqlite3 features aiosqlite lacks: aggregates, windows, collations, limits, images, transactions. */
final class SqliteFeaturesTest extends MemoryDatabaseTest {

    @BeforeEach
    void createTable() throws Exception {
        db.execute("create table t (g text, x integer)").join();
    }

    /** Sums its argument; null over an empty group. */
    static final class Sum implements WindowFunction {
        private Long total;

        @Override
        public void step(Object... args) {
            total = (total == null ? 0 : total) + (Long) args[0];
        }

        @Override
        public void inverse(Object... args) {
            total -= (Long) args[0];
        }

        @Override
        public Object value() {
            return total;
        }

        @Override
        public Object finish() {
            return total;
        }
    }

    @Test
    void aggregate_newInstancePerGroup_andEmptyTable() {
        db.createAggregate("mysum", 1, Sum::new).join();
        assertThat(db.executeFetchAll("select mysum(x) from t").join().get(0).get(0)).isNull();
        db.executeMany("insert into t values (?, ?)",
                List.of(List.of("a", 1), List.of("a", 2), List.of("b", 10))).join();
        assertThat(db.executeFetchAll("select g, mysum(x) from t group by g order by g").join())
                .extracting(r -> r.getString(0) + "=" + r.getLong(1)).containsExactly("a=3", "b=10");
    }

    @Test
    void aggregate_thatThrows_failsWithCause() {
        db.execute("insert into t values ('a', 1)").join();
        db.createAggregate("bad", 1, () -> new AggregateFunction() {
            @Override
            public void step(Object... args) {
                throw new ArithmeticException("step failed");
            }

            @Override
            public Object finish() {
                return 0;
            }
        }).join();
        assertFailsInUserCode("select bad(x) from t", ArithmeticException.class);
        assertThat(db.executeFetchAll("select 1")).succeedsWithin(WAIT);
    }

    /** Asserts that {@code sql} fails with an SQLException caused by the user's {@code cause}. */
    private void assertFailsInUserCode(String sql, Class<? extends Throwable> cause) {
        assertThat(db.executeFetchAll(sql)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(SQLException.class).havingCause().isInstanceOf(cause);
    }

    @Test
    void windowFunction_overASlidingFrame() {
        db.createWindowFunction("wsum", 1, Sum::new).join();
        db.executeMany("insert into t values ('a', ?)", List.of(List.of(1), List.of(2), List.of(3), List.of(4))).join();
        assertThat(db.executeFetchAll("select wsum(x) over (order by x rows between 1 preceding and current row) from t")
                .join()).extracting(r -> r.getLong(0)).containsExactly(1L, 3L, 5L, 7L);
    }

    @Test
    void collation_inOrderByAndInAnIndex_andRemoval() {
        Comparator<String> byLength = Comparator.comparingInt(String::length);
        db.createCollation("bylen", byLength.thenComparing(Comparator.naturalOrder())).join();
        db.executeMany("insert into t values (?, 0)", List.of(List.of("ccc"), List.of("a"), List.of("bb"))).join();
        assertThat(db.executeFetchAll("select g from t order by g collate bylen").join())
                .extracting(r -> r.getString(0)).containsExactly("a", "bb", "ccc");
        db.execute("create index t_g on t (g collate bylen)").join();
        assertThat(db.executeFetchAll("select g from t indexed by t_g where g > 'z' collate bylen order by g collate bylen")
                .join()).extracting(r -> r.getString(0)).containsExactly("bb", "ccc");
        db.execute("drop index t_g").join();
        db.createCollation("bylen", null).join();
        assertThat(db.executeFetchAll("select g from t order by g collate bylen")).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(java.sql.SQLSyntaxErrorException.class).withMessageContaining("no such collation");
    }

    @Test
    void collation_thatThrows_failsTheStatement() {
        db.createCollation("broken", (a, b) -> {
            throw new IllegalStateException("cannot compare");
        }).join();
        db.executeMany("insert into t values (?, 0)", List.of(List.of("x"), List.of("y"))).join();
        assertFailsInUserCode("select g from t order by g collate broken", IllegalStateException.class);
        assertThat(db.executeFetchAll("select count(*) from t")).succeedsWithin(WAIT);
    }

    @Test
    void limits_readAndSet_returnTheOldValue() {
        int old = db.getLimit(SqliteLimit.VARIABLE_NUMBER).join();
        assertThat(old).isEqualTo(250_000);
        assertThat(db.setLimit(SqliteLimit.VARIABLE_NUMBER, 2)).succeedsWithin(WAIT).isEqualTo(250_000);
        assertThat(db.getLimit(SqliteLimit.VARIABLE_NUMBER).join()).isEqualTo(2);
        assertThat(db.executeFetchAll("select ?, ?, ?", 1, 2, 3)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(SQLException.class);
        db.setLimit(SqliteLimit.VARIABLE_NUMBER, old).join();
        for (SqliteLimit limit : SqliteLimit.values()) {
            assertThat(db.getLimit(limit).join()).as(limit.name()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void serializeThenDeserialize_roundTrips() throws Exception {
        db.execute("insert into t values ('kept', 42)").join();
        db.commit().join();
        byte[] image = db.serialize("main").join();
        assertThat(image.length).isGreaterThan(0);
        try (AsyncConnection other = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS)) {
            other.deserialize("main", image).join();
            assertThat(other.executeFetchAll("select g, x from t").join().get(0).values())
                    .containsExactly("kept", 42L);
            assertThat(other.deserialize("main", new byte[] {1, 2, 3})
                    .thenCompose(v -> other.executeFetchAll("select * from t"))).failsWithin(WAIT);
        }
    }

    @Test
    void transaction_commitsOnSuccess_rollsBackOnFailure() {
        assertThat(db.transaction(s -> s.execute("insert into t values ('a', 1)"))).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(db.inTransaction()).isFalse();
        assertThat(db.transaction(IsolationLevel.IMMEDIATE, s -> {
            s.execute("insert into t values ('b', 2)");
            throw new IllegalStateException("abort");
        })).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(IllegalStateException.class).withMessage("abort");
        assertThat(db.inTransaction()).isFalse();
        assertThat(db.executeFetchAll("select g from t").join()).extracting(r -> r.getString(0)).containsExactly("a");
    }

    @Test
    void nestedTransaction_failingInnerSavepoint_keepsOuterWork() {
        List<String> trace = new ArrayList<>();
        db.setTraceCallback(trace::add).join();
        long rows = db.transaction(s -> {
            s.execute("insert into t values ('outer', 1)");
            try {
                s.transaction(inner -> {
                    inner.execute("insert into t values ('inner', 2)");
                    throw new SQLException("inner fails");
                });
            } catch (SQLException expected) {
                // the savepoint was rolled back
            }
            s.transaction(inner -> inner.execute("insert into t values ('inner2', 3)"));
            return s.query("select count(*) from t").get(0).getLong(0);
        }).join();
        assertThat(rows).isEqualTo(2);
        assertThat(db.executeFetchAll("select g from t order by x").join()).extracting(r -> r.getString(0))
                .containsExactly("outer", "inner2");
        assertThat(trace).contains("BEGIN DEFERRED", "SAVEPOINT aiosqlite4j_sp_1", "ROLLBACK TO aiosqlite4j_sp_1",
                "RELEASE aiosqlite4j_sp_1", "COMMIT");
    }

    @Test
    void bodyBlockingOnItsOwnConnection_failsFast() {
        assertThat(db.transaction(s -> db.executeFetchAll("select 1").join())).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(IllegalStateException.class).withMessageContaining("deadlock");
        assertThat(db.inTransaction()).isFalse();
        assertThat(db.executeFetchAll("select 1")).succeedsWithin(WAIT);
    }

    @Test
    void runAndWithJdbc_oneHop() {
        assertThat(db.run(s -> {
            s.execute("insert into t values ('r', 1)");
            s.executeMany("insert into t values (?, ?)", List.of(List.of("r", 2), List.of("r", 3)));
            return s.query("select sum(x) from t").get(0).getLong(0);
        })).succeedsWithin(WAIT).isEqualTo(6L);
        assertThat(db.inTransaction()).as("run() follows the implicit-transaction rules").isTrue();
        db.commit().join();
        assertThat(db.withJdbc(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("select count(*) from t")) {
                rs.next();
                return rs.getLong(1);
            }
        })).succeedsWithin(WAIT).isEqualTo(3L);
    }
}
