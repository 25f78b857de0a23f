package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transaction control against CPython's sqlite3: {@link Autocommit} (Python 3.12's {@code
 * Connection.autocommit}) and the legacy isolation-level rules. The reference is {@code
 * reference/transaction_control.txt}, the output of {@code reference/transaction_control.py} under
 * CPython 3.12.1 (3.13.0 prints the same); the first test runs the same steps through {@link
 * AsyncConnection} and expects the same lines.
 */
final class TransactionControlTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern SQLITE_MESSAGE = Pattern.compile("cannot (commit|rollback) - no"
            + " transaction is active|cannot start a transaction within a transaction");
    /** The steps of reference/transaction_control.py, in order. */
    private static final List<String> STEPS = List.of("insert", "commit()", "insert", "rollback()",
            "insert", "executescript insert", "execute BEGIN", "insert", "commit()", "rollback()",
            "insert", "executescript insert", "execute COMMIT", "commit()", "rollback()", "insert",
            "isolation level AUTOCOMMIT", "insert", "execute BEGIN", "insert", "executescript insert",
            "close");

    @TempDir
    Path dir;
    private Path file;
    private AsyncConnection other;

    @BeforeEach
    void open() {
        file = dir.resolve("t.db");
        other = connect(SqliteConfig.builder(file).autocommit(Autocommit.ON));
        join(other.execute("create table t (x)"));
    }

    @AfterEach
    void close() {
        other.close();
    }

    private static AsyncConnection connect(SqliteConfig.Builder config) {
        return join(AioSqlite.connect(config.build()));
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
    }

    private long visible() {
        return join(other.executeFetchAll("select count(*) from t")).get(0).getLong(0);
    }

    private SqliteConfig.Builder config(String mode) {
        SqliteConfig.Builder b = SqliteConfig.builder(file);
        switch (mode) {
            case "OFF":
                return b.autocommit(Autocommit.OFF);
            case "ON":
                return b.autocommit(Autocommit.ON);
            case "LEGACY":
            case "LEGACY DEFERRED":
                return b.autocommit(Autocommit.LEGACY).isolationLevel(IsolationLevel.DEFERRED);
            case "LEGACY AUTOCOMMIT":
                return b.autocommit(Autocommit.LEGACY).isolationLevel(IsolationLevel.AUTOCOMMIT);
            default:
                throw new IllegalArgumentException(mode);
        }
    }

    private static List<String> reference() throws IOException {
        try (InputStream in = TransactionControlTest.class.getResourceAsStream(
                "/reference/transaction_control.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** "error: " and SQLite's message, as Python prints it, or the whole message if it has none. */
    private static String error(Throwable e) {
        Throwable cause = e instanceof CompletionException ? e.getCause() : e;
        assertThat(cause).isInstanceOf(SQLException.class);
        Matcher m = SQLITE_MESSAGE.matcher(String.valueOf(cause.getMessage()));
        return "error: " + (m.find() ? m.group() : cause.getMessage()) + " | ";
    }

    private String step(AsyncConnection db, String step, int n) {
        String error = "";
        try {
            CompletableFuture<?> f;
            switch (step) {
                case "insert":
                    f = db.execute("insert into t values(" + n + ")");
                    break;
                case "executescript insert":
                    f = db.executeScript("insert into t values(" + n + ")");
                    break;
                case "execute BEGIN":
                    f = db.execute("BEGIN");
                    break;
                case "execute COMMIT":
                    f = db.execute("COMMIT");
                    break;
                case "commit()":
                    f = db.commit();
                    break;
                case "rollback()":
                    f = db.rollback();
                    break;
                case "isolation level AUTOCOMMIT":
                    f = db.setIsolationLevel(IsolationLevel.AUTOCOMMIT);
                    break;
                case "close":
                    f = db.closeAsync();
                    break;
                default:
                    throw new IllegalArgumentException(step);
            }
            join(f);
        } catch (CompletionException e) {
            error = error(e);
        }
        String state = step.equals("close") ? "closed" : "in_transaction=" + db.inTransaction();
        return step + " | " + error + state + " | visible=" + visible();
    }

    @Test
    void everyMode_matchesPythonStepByStep() throws IOException {
        List<String> got = new ArrayList<>();
        for (String mode : List.of("OFF", "ON", "LEGACY DEFERRED", "LEGACY AUTOCOMMIT")) {
            got.add("== " + mode);
            AsyncConnection db = connect(config(mode));
            got.add("connect | in_transaction=" + db.inTransaction() + " | visible=" + visible());
            int n = 0;
            for (String step : STEPS) {
                got.add(step(db, step, step.endsWith("insert") ? ++n : n));
            }
            join(other.execute("delete from t"));
        }
        got.add("== transitions");
        for (String start : List.of("OFF", "ON", "LEGACY")) {
            for (String to : List.of("OFF", "ON", "LEGACY")) {
                for (boolean pending : new boolean[] {false, true}) {
                    AsyncConnection db = connect(config(start));
                    if (pending) {
                        if (!db.inTransaction()) {
                            join(db.execute("BEGIN"));
                        }
                        join(db.execute("insert into t values(1)"));
                    }
                    join(db.setAutocommit(Autocommit.valueOf(to)));
                    assertThat(db.autocommit()).isEqualTo(Autocommit.valueOf(to));
                    got.add(start + " -> " + to + " | pending=" + pending + " | in_transaction="
                            + db.inTransaction() + " | visible=" + visible());
                    db.close();
                    join(other.execute("delete from t"));
                }
            }
        }
        got.add("== close with a pending insert");
        for (String mode : List.of("OFF", "ON", "LEGACY DEFERRED", "LEGACY AUTOCOMMIT")) {
            AsyncConnection db = connect(config(mode));
            if (!db.inTransaction()) {
                join(db.execute("BEGIN"));
            }
            List<String> traced = new CopyOnWriteArrayList<>();
            join(db.setTraceCallback(traced::add));
            join(db.execute("insert into t values(1)"));
            db.close();
            got.add(mode + " | traced=" + String.join("; ", traced) + " | visible=" + visible());
        }
        assertThat(got).containsExactlyElementsOf(reference());
    }

    @Test
    void executeScript_afterAnExplicitBegin_commitsFirst_withIsolationLevelAutocommit() {
        // CPython 3.11 and 3.12 (legacy control, isolation_level=None): executescript commits
        // the transaction the user began before running the script.
        AsyncConnection db = connect(config("LEGACY AUTOCOMMIT"));
        try {
            join(db.execute("BEGIN"));
            join(db.execute("insert into t values(1)"));
            join(db.executeScript("insert into t values(2)"));
            assertThat(db.inTransaction()).isFalse();
            assertThat(visible()).isEqualTo(2);
            join(db.rollback());
            assertThat(visible()).isEqualTo(2);
        } finally {
            db.close();
        }
    }

    @Test
    void executeScript_insideATransactionBody_neverCommitsTheBody() {
        for (String mode : List.of("LEGACY DEFERRED", "LEGACY AUTOCOMMIT", "ON", "OFF")) {
            AsyncConnection db = connect(config(mode));
            try {
                CompletableFuture<Object> body = db.transaction(s -> {
                    s.execute("insert into t values(1)");
                    s.executeScript("insert into t values(2); insert into t values(3)");
                    assertThat(s.inTransaction()).isTrue();
                    throw new IllegalStateException("undo all three");
                });
                assertThatThrownBy(() -> join(body)).hasCauseInstanceOf(IllegalStateException.class);
                join(db.commit());
                assertThat(visible()).as(mode).isZero();
            } finally {
                db.close();
            }
        }
    }

    @Test
    void off_transactionBody_isASavepointOfTheOpenTransaction_committedByCommit() {
        AsyncConnection db = connect(config("OFF"));
        try {
            join(db.execute("insert into t values(1)"));
            long changed = join(db.transaction(s -> s.execute("insert into t values(2)")));
            assertThat(changed).isEqualTo(1L);
            CompletableFuture<Object> failing = db.transaction(s -> {
                s.execute("insert into t values(3)");
                throw new IllegalStateException("undo the body only");
            });
            assertThatThrownBy(() -> join(failing)).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(db.inTransaction()).isTrue();
            assertThat(visible()).isZero();
            join(db.commit());
            assertThat(db.inTransaction()).isTrue();
            assertThat(join(other.executeFetchAll("select x from t order by x")))
                    .extracting(r -> r.getLong(0)).containsExactly(1L, 2L);
        } finally {
            db.close();
        }
    }

    @Test
    void on_transactionBody_beginsAndCommits_andCommitLeavesAnExplicitBeginOpen() {
        AsyncConnection db = connect(config("ON"));
        try {
            join(db.transaction(IsolationLevel.IMMEDIATE, s -> s.execute("insert into t values(1)")));
            assertThat(db.inTransaction()).isFalse();
            assertThat(visible()).isEqualTo(1);
            join(db.execute("BEGIN"));
            join(db.execute("insert into t values(2)"));
            join(db.commit());
            assertThat(db.inTransaction()).isTrue();
            assertThat(visible()).isEqualTo(1);
            join(db.execute("COMMIT"));
            assertThat(visible()).isEqualTo(2);
        } finally {
            db.close();
        }
    }

    @Test
    void off_onOpenHook_runsBeforeTheTransactionBegins() {
        // ATTACH fails inside a transaction: the hook must run before the BEGIN.
        AsyncConnection db = connect(config("OFF").onOpen(c -> {
            assertThat(c.inTransaction()).isFalse();
            return c.execute("ATTACH DATABASE ':memory:' AS aux");
        }));
        try {
            assertThat(db.autocommit()).isEqualTo(Autocommit.OFF);
            assertThat(db.inTransaction()).isTrue();
            assertThat(join(db.executeFetchAll("select name from pragma_database_list order by seq")))
                    .extracting(r -> r.getString(0)).containsExactly("main", "aux");
        } finally {
            db.close();
        }
    }

    @Test
    void offByOnOpenHook_beginsOnce() {
        AsyncConnection db = connect(config("LEGACY").onOpen(c -> c.setAutocommit(Autocommit.OFF)));
        try {
            assertThat(db.autocommit()).isEqualTo(Autocommit.OFF);
            assertThat(db.inTransaction()).isTrue();
            join(db.execute("insert into t values(1)"));
            join(db.commit());
            assertThat(visible()).isEqualTo(1);
        } finally {
            db.close();
        }
    }

    @Test
    void deserializeAndBackup_leaveAnOpenTransactionOpen() {
        // SQLite keeps the transaction a BEGIN opened (nothing read or written yet) across
        // sqlite3_deserialize and a backup into the connection; so must inTransaction().
        byte[] image = join(other.serialize("main"));
        AsyncConnection source = connect(SqliteConfig.builder(dir.resolve("source.db")));
        for (String mode : List.of("OFF", "LEGACY DEFERRED")) {
            AsyncConnection db = connect(SqliteConfig.builder(":memory:")
                    .autocommit(mode.equals("OFF") ? Autocommit.OFF : Autocommit.LEGACY));
            try {
                if (!db.inTransaction()) {
                    join(db.execute("BEGIN"));
                }
                join(db.deserialize("main", image));
                assertThat(db.inTransaction()).as(mode + ", after deserialize").isTrue();
                join(source.backup(db, BackupOptions.defaults()));
                assertThat(db.inTransaction()).as(mode + ", after a backup into it").isTrue();
                join(db.commit()); // COMMIT succeeds: the transaction was open
                assertThat(db.inTransaction()).isEqualTo(mode.equals("OFF"));
            } finally {
                db.close();
            }
        }
        source.close();
    }

    @Test
    void setAutocommit_whoseCommitFails_keepsTheNewMode_andCallingAgainRetries() {
        AsyncConnection db = connect(config("OFF").busyTimeout(Duration.ZERO));
        try {
            join(db.execute("insert into t values(1)"));
            join(other.execute("BEGIN"));
            join(other.executeFetchAll("select count(*) from t")); // holds a read lock: no COMMIT
            assertThatThrownBy(() -> join(db.setAutocommit(Autocommit.ON)))
                    .hasCauseInstanceOf(java.sql.SQLTransientException.class);
            assertThat(db.autocommit()).isEqualTo(Autocommit.ON); // as Python: mode set first
            assertThat(db.inTransaction()).isTrue();
            join(other.execute("COMMIT"));
            join(db.setAutocommit(Autocommit.ON));
            assertThat(db.inTransaction()).isFalse();
            assertThat(visible()).isEqualTo(1);
        } finally {
            db.close();
        }
    }

    @Test
    void pool_refusesAutocommitOff_andRunsWithOn() throws Exception {
        assertThatThrownBy(() -> SqlitePool.open(config("OFF").build(), PoolOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autocommit").hasMessageContaining("OFF");
        try (SqlitePool pool = join(SqlitePool.open(config("ON").build(),
                PoolOptions.builder().readers(1).build()))) {
            assertThat(join(pool.execute("insert into t values(1)"))).isEqualTo(1L);
            assertThat(visible()).isEqualTo(1);
            CompletableFuture<Object> body = pool.transaction(s -> {
                s.execute("insert into t values(2)");
                s.executeScript("insert into t values(3)");
                throw new IllegalStateException("undo both");
            });
            assertThatThrownBy(() -> join(body)).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(visible()).isEqualTo(1);
        }
    }

    @Test
    void config_defaultsToLegacy_andRejectsNull() {
        SqliteConfig c = SqliteConfig.builder(":memory:").build();
        assertThat(c.autocommit()).isEqualTo(Autocommit.LEGACY);
        SqliteConfig off = c.toBuilder().autocommit(Autocommit.OFF).build();
        assertThat(off.toBuilder().build().autocommit()).isEqualTo(Autocommit.OFF);
        assertThat(off.toString()).contains("autocommit=OFF");
        assertThatThrownBy(() -> SqliteConfig.builder(":memory:").autocommit(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("autocommit");
        assertThatThrownBy(() -> other.setAutocommit(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("mode");
        assertThat(other.autocommit()).isEqualTo(Autocommit.ON);
    }
}
