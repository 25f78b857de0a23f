package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Autocommit;
import io.github.aiosqlite4j.DbConfig;
import io.github.aiosqlite4j.DbStatus;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.StatementStatus;
import io.github.aiosqlite4j.TxnState;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's own state through the native library: the transaction state ({@code
 * sqlite3_get_autocommit}, {@code sqlite3_txn_state}), {@code sqlite3_db_config}, the status
 * counters ({@code sqlite3_db_status}, {@code sqlite3_stmt_status}) and the WAL hook.
 */
final class NativeStateTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    private static AsyncConnection open(String database) throws Exception {
        return AioSqlite.connect(SqliteConfig.builder(database).autocommit(Autocommit.ON).build())
                .get(WAIT, TimeUnit.SECONDS);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------------------------------
    // Transaction state

    @Test
    void inTransaction_seesABeginTheScannerCannotSee() throws Exception {
        try (AsyncConnection db = open(":memory:")) {
            get(db.execute("create table t (x)"));
            get(db.withJdbc(c -> c.createStatement().execute("BEGIN")));
            assertThat(db.inTransaction()).as("BEGIN through withJdbc").isTrue();
            assertThat(get(db.txnState(null))).as("nothing read yet").isEqualTo(TxnState.NONE);
            get(db.executeFetchAll("select * from t"));
            assertThat(get(db.txnState("main"))).isEqualTo(TxnState.READ);
            get(db.execute("insert into t values (1)"));
            assertThat(get(db.txnState("main"))).isEqualTo(TxnState.WRITE);
            assertThat(get(db.txnState("temp"))).isEqualTo(TxnState.NONE);
            get(db.withJdbc(c -> c.createStatement().execute("COMMIT")));
            assertThat(db.inTransaction()).as("COMMIT through withJdbc").isFalse();
            assertThat(get(db.txnState(null))).isEqualTo(TxnState.NONE);
        }
    }

    @Test
    void inTransaction_endsWithTheSavepointSqliteReleases_howeverItIsQuoted() throws Exception {
        try (AsyncConnection db = open(":memory:")) {
            get(db.executeScript("create table t (x); SAVEPOINT \"sp\"; insert into t values (1);"));
            assertThat(db.inTransaction()).isTrue();
            get(db.execute("RELEASE sp")); // the same savepoint to SQLite, another name to a scanner
            assertThat(db.inTransaction()).isFalse();
            assertThat(get(db.txnState(null))).isEqualTo(TxnState.NONE);
            get(db.executeScript("SAVEPOINT [a]; insert into t values (2); RELEASE \"A\";"));
            assertThat(db.inTransaction()).isFalse();
            assertThat(get(db.executeFetchAll("select count(*) from t")).get(0).get(0)).isEqualTo(2L);
        }
    }

    @Test
    void txnState_ofAnUnknownSchema_failsAndTheConnectionWorks() throws Exception {
        try (AsyncConnection db = open(":memory:")) {
            assertThat(failure(db.txnState("nosuch"))).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no such schema: nosuch");
            assertThat(get(db.executeFetchAll("select 1"))).hasSize(1);
        }
    }

    // ---------------------------------------------------------------------------------------
    // sqlite3_db_config

    @Test
    void setConfig_andGetConfig_switchSqlitesOptions() throws Exception {
        try (AsyncConnection db = open(":memory:")) {
            get(db.executeScript("create table t (x); create view v as select x from t;"));
            assertThat(get(db.getConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_FKEY))).isFalse();
            assertThat(get(db.setConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_FKEY, true))).isTrue();
            assertThat(get(db.executeFetchAll("pragma foreign_keys")).get(0).get(0)).isEqualTo(1L);
            assertThat(get(db.getConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_FKEY))).isTrue();

            assertThat(get(db.getConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_VIEW))).isTrue();
            assertThat(get(db.setConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_VIEW, false))).isFalse();
            assertThat(failure(db.executeFetchAll("select * from v"))).hasMessageContaining("prohibited");
            get(db.setConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_VIEW, true));
            assertThat(get(db.executeFetchAll("select * from v"))).isEmpty();

            get(db.setConfig(DbConfig.SQLITE_DBCONFIG_DQS_DML, false));
            assertThat(failure(db.executeFetchAll("select \"nosuch\" from t")))
                    .hasMessageContaining("no such column");
            get(db.setConfig(DbConfig.SQLITE_DBCONFIG_DEFENSIVE, true));
            assertThat(get(db.getConfig(DbConfig.SQLITE_DBCONFIG_DEFENSIVE))).isTrue();
        }
    }

    @Test
    void anUnknownConfig_isRefusedAsPythonDoes() throws Exception {
        try (AsyncConnection db = open(":memory:")) {
            for (int op : new int[] {0, 1000, 1001, 1023, 9999, -1}) {
                assertThatThrownBy(() -> db.getConfig(op)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("unknown config 'op': " + op);
                assertThatThrownBy(() -> db.setConfig(op, true)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("unknown config 'op': " + op);
            }
            assertThat(get(db.executeFetchAll("select 1"))).hasSize(1);
        }
    }

    @Test
    void extensionLoading_cannotBeSwitchedOnThroughSetConfig() throws Exception {
        try (AsyncConnection db = open(":memory:")) {
            assertThat(get(db.getConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION))).isFalse();
            assertThatThrownBy(() -> db.setConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, true))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION cannot be switched on");
            assertThat(get(db.setConfig(DbConfig.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, false))).isFalse();
            assertThat(failure(db.execute("select load_extension('/nonexistent/lib.so')")))
                    .hasMessageContaining("not authorized");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Status counters

    @Test
    void dbStatus_countsThePageCache() throws Exception {
        try (AsyncConnection db = open(dir.resolve("s.db").toString())) {
            get(db.execute("create table t (x)"));
            for (int i = 0; i < 50; i++) {
                get(db.execute("insert into t values (randomblob(1000))"));
            }
            DbStatus used = get(db.dbStatus(DbStatus.SQLITE_DBSTATUS_CACHE_USED, false));
            assertThat(used.op()).isEqualTo(DbStatus.SQLITE_DBSTATUS_CACHE_USED);
            assertThat(used.current()).isPositive();
            assertThat(get(db.dbStatus(DbStatus.SQLITE_DBSTATUS_CACHE_WRITE, false)).current()).isPositive();
            assertThat(get(db.dbStatus(DbStatus.SQLITE_DBSTATUS_SCHEMA_USED, false)).current()).isPositive();
            get(db.dbStatus(DbStatus.SQLITE_DBSTATUS_CACHE_HIT, true));
            assertThat(get(db.dbStatus(DbStatus.SQLITE_DBSTATUS_CACHE_HIT, false)).current())
                    .as("reset").isZero();
            get(db.executeFetchAll("select count(*) from t"));
            assertThat(get(db.dbStatus(DbStatus.SQLITE_DBSTATUS_CACHE_HIT, false)).current()).isPositive();
            assertThatThrownBy(() -> db.dbStatus(14, false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown status 'op': 14");
        }
    }

    @Test
    void theStatementStatusCallback_reportsFullScansSortsAndRuns() throws Exception {
        try (AsyncConnection db = open(":memory:")) {
            get(db.executeScript("create table t (x); create table log (y);"
                    + "create trigger tr after insert on t begin insert into log values (new.x); end;"
                    + "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000)"
                    + " insert into t select i from n;"));
            List<StatementStatus> seen = new CopyOnWriteArrayList<>();
            get(db.setStatementStatusCallback(seen::add));
            get(db.executeFetchAll("select x from t where x = 500"));
            get(db.executeFetchAll("select x from t where x = 500"));
            get(db.executeFetchAll("select x from t order by x desc limit 1"));
            get(db.execute("insert into t values (?)", 1));
            List<StatementStatus> scans = seen.stream().filter(s -> s.sql().equals("select x from t where x = 500")).toList();
            assertThat(scans).hasSize(2);
            assertThat(scans.get(0).fullscanSteps()).isGreaterThanOrEqualTo(999);
            assertThat(scans.get(1).fullscanSteps()).as("this run's, not a sum").isBetween(999, 1001);
            assertThat(scans.get(1).runs()).as("since prepared (cached statement)").isEqualTo(2);
            assertThat(scans.get(0).vmSteps()).isPositive();
            assertThat(scans.get(0).nanos()).isNotNegative();
            assertThat(scans.get(0).memUsed()).isPositive();
            assertThat(seen).filteredOn(s -> s.sql().startsWith("select x from t order by"))
                    .singleElement().extracting(StatementStatus::sorts).isEqualTo(1);
            assertThat(seen).as("a trigger's work counts in its statement's").extracting(StatementStatus::sql)
                    .doesNotContain("insert into log values (new.x)")
                    .filteredOn(sql -> sql.equals("insert into t values (?)")).hasSize(1);
            get(db.setStatementStatusCallback(null));
            seen.clear();
            get(db.executeFetchAll("select 1"));
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void theWalHook_seesEachCommit_andAutomaticCheckpointsStillHappen() throws Exception {
        try (AsyncConnection db = open(dir.resolve("w.db").toString())) {
            get(db.executeScript("pragma journal_mode = wal; pragma wal_autocheckpoint = 10; create table t (x);"));
            List<String> commits = new CopyOnWriteArrayList<>();
            get(db.setWalHook((schema, pages) -> commits.add(schema + " " + pages)));
            for (int i = 0; i < 60; i++) {
                get(db.execute("insert into t values (randomblob(3000))"));
            }
            assertThat(commits).hasSize(60).allMatch(c -> c.startsWith("main "));
            int max = commits.stream().mapToInt(c -> Integer.parseInt(c.substring(5))).max().orElseThrow();
            assertThat(max).as("checkpointed at 10 pages, so the WAL restarts: " + commits).isLessThan(20);
            get(db.setWalHook(null));
            commits.clear();
            get(db.execute("insert into t values (1)"));
            assertThat(commits).isEmpty();
            assertThat(get(db.executeFetchAll("pragma wal_autocheckpoint")).get(0).get(0))
                    .as("SQLite's own hook is back with its setting").isEqualTo(10L);
        }
    }

    @Test
    void everyHookThatThrows_leavesTheConnectionHealthy() throws Exception {
        try (AsyncConnection db = open(dir.resolve("t.db").toString())) {
            get(db.executeScript("pragma journal_mode = wal; create table t (x); create table log (y);"
                    + "create trigger tr after insert on t begin insert into log values (new.x); end;"));
            get(db.setStatementStatusCallback(s -> {
                throw new IllegalStateException("status");
            }));
            get(db.setWalHook((schema, pages) -> {
                throw new StackOverflowError("wal");
            }));
            get(db.setTraceCallback(sql -> {
                throw new IllegalStateException("trace");
            }));
            get(db.setProfileCallback((sql, nanos) -> {
                throw new OutOfMemoryError("profile");
            }));
            for (int i = 0; i < 100; i++) {
                get(db.execute("insert into t values (?)", i));
            }
            assertThat(db.inTransaction()).isFalse();
            assertThat(get(db.executeFetchAll("select count(*) from log")).get(0).get(0)).isEqualTo(100L);
        }
        try (AsyncConnection db = open(dir.resolve("t.db").toString())) {
            assertThat(get(db.executeFetchAll("select count(*) from t")).get(0).get(0))
                    .as("every commit is durable").isEqualTo(100L);
        }
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}
