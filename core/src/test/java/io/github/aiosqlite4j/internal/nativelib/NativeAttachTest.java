package io.github.aiosqlite4j.internal.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.Autocommit;
import io.github.aiosqlite4j.SqliteConfig;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * Attaching the native library to a connection: SQLite loads it as an extension once per JVM; a
 * later connection attaches to the sqlite3* sqlite-jdbc holds, with no load and no SQL, and gets
 * the same C API on its own connection.
 */
final class NativeAttachTest {
    private static SQLiteConnection open() throws SQLException {
        return (SQLiteConnection) new SQLiteConfig().createConnection("jdbc:sqlite::memory:");
    }

    @Test
    void aConnectionAfterTheFirstAttachesWithoutLoadingTheExtension_andHasTheCApiOnItsOwnHandle()
            throws Exception {
        assertThat(NativeLibrary.status().available()).as(NativeLibrary.status().reason()).isTrue();
        try (SQLiteConnection first = open(); SQLiteConnection second = open()) {
            NativeConnection a = NativeConnection.attach(first, false, e -> {});
            int loads = NativeConnection.loads.get();
            NativeConnection b = NativeConnection.attach(second, false, e -> {});
            try {
                assertThat(NativeConnection.loads.get()).as("extension loads").isEqualTo(loads);
                assertThat(b.handle()).isNotZero().isNotEqualTo(a.handle())
                        .isEqualTo(NativeConnection.sqliteJdbcHandle(second.getDatabase()));

                List<String> read = new CopyOnWriteArrayList<>();
                b.setAuthorizer((action, arg1, arg2, db, trigger) -> {
                    if (action != Authorizer.SQLITE_READ) {
                        return Authorizer.SQLITE_OK;
                    }
                    read.add(arg1 + "." + arg2);
                    return "secret".equals(arg1) ? Authorizer.SQLITE_DENY : Authorizer.SQLITE_OK;
                });
                try (Statement s = second.createStatement()) {
                    s.execute("create table t (x)");
                    s.execute("create table secret (x)");
                    s.executeQuery("select x from t").close();
                    assertThatThrownBy(() -> s.executeQuery("select x from secret"))
                            .hasMessageContaining("access to secret.x is prohibited");
                    assertThatThrownBy(() -> s.executeQuery("select aiosqlite4j_handle()"))
                            .hasMessageContaining("no such function");
                    assertThatThrownBy(() -> s.executeQuery("select load_extension('x')"))
                            .hasMessageContaining("not authorized");
                }
                assertThat(read).contains("t.x");
                assertThat(b.autocommit()).isTrue();
                try (Statement s = first.createStatement()) {
                    s.executeQuery("select 1").close(); // the first connection has no authorizer
                }
            } finally {
                b.close();
                a.close();
            }
        }
    }

    /**
     * sqlite-jdbc's own "begin;" and "commit;" (stepped after each statement in auto-commit mode)
     * are found before the first task, no longer at open: a trace installed by the very first task
     * still never shows them.
     */
    @Test
    void aTraceSetByTheFirstTask_showsOnlyTheUsersStatements() throws Exception {
        for (Autocommit mode : Autocommit.values()) {
            try (AsyncConnection db = AioSqlite.connect(SqliteConfig.builder(":memory:").autocommit(mode).build())
                    .get(30, TimeUnit.SECONDS)) {
                List<String> traced = new CopyOnWriteArrayList<>();
                db.setTraceCallback(traced::add).get(30, TimeUnit.SECONDS);
                db.execute("create table t (x)").get(30, TimeUnit.SECONDS);
                db.execute("insert into t values (?)", 7).get(30, TimeUnit.SECONDS);
                db.executeFetchAll("select x from t").get(30, TimeUnit.SECONDS);
                assertThat(traced).as(mode.name()).doesNotContain("begin;", "commit;")
                        .contains("create table t (x)", "insert into t values (7)", "select x from t");
            }
        }
    }
}
