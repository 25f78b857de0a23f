package io.github.aiosqlite4j.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.aiosqlite4j.internal.pool.PoolRouting.Route;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

final class PoolRoutingTest {

    private static final List<String> READS = List.of(
            "select 1",
            "  SELECT * FROM t WHERE x = ?",
            "/* comment */ select x from t",
            "-- line\nselect x from t;",
            "values (1), (2)",
            "with v as (select x from t) select * from v",
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT n FROM c",
            "explain select * from t",
            "explain query plan select * from t",
            "explain insert into t values (1)",
            "pragma user_version",
            "PRAGMA main.user_version;",
            "pragma table_info(t)",
            "pragma main.table_xinfo('t')",
            "pragma index_list(t)",
            "pragma integrity_check",
            "pragma quick_check(10)",
            "pragma journal_mode",
            "pragma foreign_key_check",
            "pragma page_count",
            "pragma data_version");

    private static final List<String> WRITES = List.of(
            "insert into t values (1)",
            "replace into t values (1)",
            "update t set x = 1",
            "delete from t",
            "insert into t values (1) returning x",
            "with v as (select 1) insert into t select * from v",
            "with v as (select 1) update t set x = (select * from v)",
            "with v as (select 1) delete from t where x in v",
            "create table u(x)",
            "drop table if exists u",
            "alter table t add column y",
            "create index i on t(x)",
            "vacuum",
            "analyze",
            "reindex",
            "pragma user_version = 3",
            "pragma user_version=3",
            "pragma user_version(3)",
            "pragma journal_mode = wal",
            "pragma wal_checkpoint(truncate)",
            "pragma optimize",
            "pragma incremental_vacuum",
            "pragma -- comment\n user_version",
            "select 1; insert into t values (2)",
            "something odd",
            "");

    private static final List<String> REFUSED = List.of(
            "begin", "begin immediate transaction", "commit", "end transaction", "rollback",
            "savepoint a", "release savepoint a", "rollback to a", "attach 'x.db' as x", "detach x");

    @Test
    void readOnlyStatements_goToReaders() {
        for (String sql : READS) {
            assertThat(PoolRouting.route(ParsedSql.of(sql))).as(sql).isEqualTo(Route.READER);
        }
    }

    @Test
    void everythingElse_goesToTheWriter() {
        for (String sql : WRITES) {
            assertThat(PoolRouting.route(ParsedSql.of(sql))).as(sql).isEqualTo(Route.WRITER);
        }
    }

    @Test
    void transactionControlAndAttach_areRefused() {
        for (String sql : REFUSED) {
            assertThat(PoolRouting.route(ParsedSql.of(sql))).as(sql).isEqualTo(Route.REFUSED);
        }
    }

    /** SQLite agrees: every statement routed to a reader runs on a query_only connection. */
    @Test
    void everyReaderStatement_runsOnAQueryOnlyConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement s = c.createStatement()) {
            s.execute("create table t(x)");
            s.execute("create index tx on t(x)");
            s.execute("pragma query_only = 1");
            for (String sql : READS) {
                String runnable = sql.replace("?", "1");
                assertThatCode(() -> s.execute(runnable)).as(sql).doesNotThrowAnyException();
            }
        }
    }
}
