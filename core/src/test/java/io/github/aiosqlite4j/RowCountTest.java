package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Futures.failure;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rowCount} follows CPython's sqlite3 (3.11, checked with python3): statements whose first
 * keyword (after whitespace and comments) is INSERT, UPDATE, DELETE or REPLACE count the rows they
 * changed, every other statement (a {@code WITH ...} DML included) reports -1, and a DML statement
 * with {@code RETURNING} reports 0 until its last row was handed out, then the rows it changed.
 * The same rule holds for cursors, executeMany, sessions and {@link SqlitePool#execute}.
 */
final class RowCountTest {
    private AsyncConnection db;

    @TempDir
    Path dir;

    @BeforeEach
    void open() throws Exception {
        db = AioSqlite.connect(":memory:").get(30, SECONDS);
        db.execute("create table t (id integer primary key, x unique)").join();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long count(String sql) {
        AsyncCursor c = db.execute(sql).join();
        long before = c.rowCount();
        c.fetchAll().join();
        assertThat(c.rowCount()).as("rowCount after fetchAll of %s", sql).isEqualTo(before);
        return before;
    }

    @Test
    void plainStatements_countAsCPythonDoes() {
        assertThat(count("insert into t (x) values (1), (2), (3)")).isEqualTo(3);
        assertThat(count("update t set x = x + 100")).isEqualTo(3);
        assertThat(count("/* c */ -- x\n insert into t (x) values (99)")).isEqualTo(1);
        assertThat(count("replace into t (id, x) values (1, 'r')")).isEqualTo(1);
        assertThat(count("insert or replace into t (id, x) values (1, 'r2')")).isEqualTo(1);
        assertThat(count("insert into t (id, x) values (1, 'q') on conflict (id) do update set x = 'u'"))
                .isEqualTo(1);
        assertThat(count("insert into t (id, x) values (1, 'q') on conflict do nothing")).isEqualTo(0);
        assertThat(count("delete from t where id = -5")).isEqualTo(0);
        assertThat(count("select * from t")).isEqualTo(-1);
        assertThat(count("create table u (a)")).isEqualTo(-1);
        assertThat(count("pragma user_version = 3")).isEqualTo(-1);
        db.commit().join();
        assertThat(count("begin")).isEqualTo(-1);
        assertThat(count("commit")).isEqualTo(-1);
    }

    @Test
    void withPrefixedDml_reportsMinusOne_asCPython() {
        assertThat(count("with a(v) as (select 7) insert into t (x) select v from a")).isEqualTo(-1);
        assertThat(count("with a(v) as (select 7) update t set x = 8 where x in (select v from a)"))
                .isEqualTo(-1);
        assertThat(count("with a(v) as (select 8) delete from t where x in (select v from a)"))
                .isEqualTo(-1);
        AsyncCursor returning = db.execute(
                "with a(v) as (select 9) insert into t (x) select v from a returning x").join();
        assertThat(returning.rowCount()).isEqualTo(-1);
        assertThat(returning.fetchAll().join()).hasSize(1);
        assertThat(returning.rowCount()).isEqualTo(-1);
        assertThat(db.executeFetchAll("select count(*) from t").join().get(0).getLong(0)).isEqualTo(1);
    }

    @Test
    void dmlWithReturning_countsOnceEveryRowWasRead() {
        AsyncCursor ins = db.execute("insert into t (x) values (4), (5) returning id").join();
        assertThat(ins.rowCount()).isEqualTo(0);
        assertThat(ins.fetchOne().join()).isPresent();
        assertThat(ins.rowCount()).isEqualTo(0);
        assertThat(ins.fetchOne().join()).isPresent();
        assertThat(ins.rowCount()).isEqualTo(2);
        assertThat(ins.fetchOne().join()).isEmpty();
        assertThat(ins.rowCount()).isEqualTo(2);

        AsyncCursor none = db.execute("delete from t where id = -1 returning id").join();
        assertThat(none.rowCount()).isEqualTo(0);
        assertThat(none.fetchAll().join()).isEmpty();
        assertThat(none.rowCount()).isEqualTo(0);
    }

    @Test
    void dmlWithReturning_pastTheReadAhead_countsOnceEveryRowWasRead() {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(List.of(i));
        }
        db.executeMany("insert into t (x) values (?)", rows).join();
        AsyncCursor upd = db.execute("update t set x = x + 1000 returning x").join();
        assertThat(upd.rowCount()).isEqualTo(0);
        assertThat(upd.fetchMany(499).join()).hasSize(499);
        assertThat(upd.rowCount()).isEqualTo(0);
        // another statement in between: the count is still this statement's
        assertThat(db.execute("insert into t (x) values (-1)").join().rowCount()).isEqualTo(1);
        assertThat(upd.fetchMany(10).join()).hasSize(1);
        assertThat(upd.rowCount()).isEqualTo(500);

        AsyncCursor del = db.execute("delete from t where x >= 1000 returning id").join();
        assertThat(del.forEach(r -> { }).join()).isEqualTo(500);
        assertThat(del.rowCount()).isEqualTo(500);
    }

    @Test
    void executeMany_countsByTheSameRule() throws Exception {
        assertThat(db.executeMany("insert into t (x) values (?)", List.of(List.of(1), List.of(2)))
                .join().rowCount()).isEqualTo(2);
        assertThat(db.executeMany("update t set x = x where id = ?",
                List.of(List.of(1), List.of(2), List.of(99))).join().rowCount()).isEqualTo(2);
        assertThat(db.executeMany("replace into t (id, x) values (?, ?)",
                List.of(List.of(1, "a"), List.of(2, "b"))).join().rowCount()).isEqualTo(2);
        assertThat(db.executeMany("insert into t (x) values (?)", List.of()).join().rowCount())
                .isEqualTo(0);
        assertThat(db.executeMany("with a(v) as (select ?) insert into t (x) select v from a",
                List.of(List.of(10), List.of(11))).join().rowCount()).isEqualTo(-1);
        assertThat(db.executeMany("create table if not exists z (a)", List.of(List.of(), List.of()))
                .join().rowCount()).isEqualTo(-1);
        assertThat(db.executeFetchAll("select count(*) from t").join().get(0).getLong(0)).isEqualTo(4);
    }

    @Test
    void executeMany_ofAStatementReturningRows_failsBeforeRunningAnyRow() throws Exception {
        db.commit().join();
        Throwable returning = failure(db.executeMany("insert into t (x) values (?) returning id",
                List.of(List.of(1), List.of(2))));
        assertThat(returning).isInstanceOf(SQLException.class).hasMessageContaining("return no rows");
        Throwable select = failure(db.executeMany("select ?", List.of()));
        assertThat(select).isInstanceOf(SQLException.class).hasMessageContaining("return no rows");
        assertThat(db.executeFetchAll("select count(*) from t").join().get(0).getLong(0)).isEqualTo(0);
        assertThat(db.inTransaction()).isFalse();
    }

    @Test
    void sessionAndPool_countByTheSameRule() throws Exception {
        assertThat(db.run(s -> s.execute("insert into t (x) values (1), (2) returning id")).join())
                .isEqualTo(2);
        assertThat(db.run(s -> {
            s.execute("update t set x = x + 10 returning x");
            return s.changes();
        }).join()).isEqualTo(2);
        assertThat(db.run(s -> s.execute("with a(v) as (select 3) insert into t (x) select v from a"))
                .join()).isEqualTo(-1);

        SqliteConfig config = SqliteConfig.builder(dir.resolve("pool.db")).build();
        try (SqlitePool pool = SqlitePool.open(config, PoolOptions.defaults()).get(30, SECONDS)) {
            pool.execute("create table t (id integer primary key, x)").join();
            assertThat(pool.execute("insert into t (x) values (1), (2)").join()).isEqualTo(2);
            assertThat(pool.execute("update t set x = x + 1 returning x").join()).isEqualTo(2);
            assertThat(pool.execute("with a(v) as (select 3) insert into t (x) select v from a").join())
                    .isEqualTo(-1);
            assertThat(pool.execute("with a(v) as (select 3) delete from t where x in (select v from a)")
                    .join()).isEqualTo(-1);
            assertThat(pool.execute("select * from t").join()).isEqualTo(-1);
            assertThat(pool.executeFetchAll("select x from t").join().get(0).getLong(0))
                    .isEqualTo(2); // 1 + 1; the 3s the update made and the insert added are deleted
        }
    }
}
