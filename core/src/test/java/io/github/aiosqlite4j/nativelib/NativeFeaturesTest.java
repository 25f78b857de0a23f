package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.ChildJvm;
import io.github.aiosqlite4j.NativeFeatures;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLNonTransientException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native library on this platform (the build machine is linux-x86_64): what it reports, that
 * SQL still cannot load extensions, SQLite's trace and profile, callbacks that throw; and a child
 * JVM without it.
 */
final class NativeFeaturesTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    private static AsyncConnection open() throws Exception {
        return AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void theLibraryLoads_andSaysWhatItGives() {
        NativeFeatures f = AioSqlite.nativeFeatures();
        assertThat(f.isAvailable()).as(f.toString()).isTrue();
        assertThat(f.platform()).isEqualTo("linux-x86_64");
        assertThat(f.features()).containsExactly("authorizer", "trace", "profile", "blob", "backup",
                "txn_state", "db_config", "db_status", "stmt_status", "wal_hook");
        assertThat(f.unavailableReason()).isEmpty();
    }

    @Test
    void sqlLoadExtension_isStillRefused_afterOurExtensionLoaded() throws Exception {
        try (AsyncConnection db = open()) {
            Throwable e = failure(db.execute("select load_extension('/nonexistent/lib.so')"));
            assertThat(e).hasMessageContaining("not authorized");
            assertThat(db.executeFetchAll("select 1").get(WAIT, TimeUnit.SECONDS)).hasSize(1);
        }
        // a user who enables extensions keeps them enabled
        try (AsyncConnection db = AioSqlite.connect(SqliteConfig.builder(":memory:").loadExtensionEnabled(true).build())
                .get(WAIT, TimeUnit.SECONDS)) {
            Throwable e = failure(db.execute("select load_extension('/nonexistent/lib.so')"));
            assertThat(e).hasMessageNotContaining("not authorized");
        }
    }

    @Test
    void theAuthorizer_seesColumnReads_functions_andTheTriggerOrViewName() throws Exception {
        try (AsyncConnection db = open()) {
            db.executeScript("create table t (a, b); create table log (x);"
                    + "create trigger tr after insert on t begin insert into log values (new.a); end;"
                    + "create view v as select b from t;").get(WAIT, TimeUnit.SECONDS);
            List<String> calls = new CopyOnWriteArrayList<>();
            db.setAuthorizer((action, a1, a2, schema, source) -> {
                calls.add(action + " " + a1 + " " + a2 + " " + schema + " " + source);
                return action == Authorizer.SQLITE_READ && "b".equals(a2) ? Authorizer.SQLITE_IGNORE : Authorizer.SQLITE_OK;
            }).get(WAIT, TimeUnit.SECONDS);
            db.execute("insert into t values (1, 2)").get(WAIT, TimeUnit.SECONDS);
            assertThat(calls).contains("18 log null main tr", "20 t a main tr");
            calls.clear();
            assertThat(db.executeFetchAll("select upper(v.b), t.a from v, t").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .as("IGNORE on a column read gives NULL").isNull();
            assertThat(calls).contains("20 t b main v", "31 null upper null null", "20 t a main null");
        }
    }

    @Test
    void callbacksThatThrow_leaveTheConnectionHealthy() throws Exception {
        try (AsyncConnection db = open()) {
            db.execute("create table t (x)").get(WAIT, TimeUnit.SECONDS);
            IllegalStateException boom = new IllegalStateException("boom");
            db.setAuthorizer((a, b, c, d, e) -> {
                throw boom;
            }).get(WAIT, TimeUnit.SECONDS);
            Throwable denied = failure(db.execute("select * from t"));
            assertThat(denied).isInstanceOf(SQLNonTransientException.class).hasRootCause(boom);
            assertThat(((SqliteError) denied).resultCode()).isEqualTo(23); // SQLITE_AUTH
            db.setAuthorizer(null).get(WAIT, TimeUnit.SECONDS);
            db.setTraceCallback(sql -> {
                throw new StackOverflowError("trace");
            }).get(WAIT, TimeUnit.SECONDS);
            db.setProfileCallback((sql, nanos) -> {
                throw new IllegalStateException("profile");
            }).get(WAIT, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                db.execute("insert into t values (?)", i).get(WAIT, TimeUnit.SECONDS);
            }
            db.commit().get(WAIT, TimeUnit.SECONDS);
            assertThat(db.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(100L);
        }
    }

    @Test
    void theTrace_showsBoundValues_andTriggers_butNotSqliteJdbcsOwnStatements() throws Exception {
        try (AsyncConnection db = open()) {
            db.executeScript("create table t (a); create table log (x);"
                    + "create trigger tr after insert on t begin insert into log values (new.a * 2); end;")
                    .get(WAIT, TimeUnit.SECONDS);
            List<String> traced = new CopyOnWriteArrayList<>();
            db.setTraceCallback(traced::add).get(WAIT, TimeUnit.SECONDS);
            db.execute("insert into t values (?)", 21).get(WAIT, TimeUnit.SECONDS);
            db.execute("select ?, ?, ?", "it's", null, new byte[] {1, 2}).get(WAIT, TimeUnit.SECONDS);
            db.commit().get(WAIT, TimeUnit.SECONDS);
            assertThat(traced).containsExactly("BEGIN DEFERRED", "insert into t values (21)", "-- TRIGGER tr",
                    "-- insert into log values (new.a * 2)", "select 'it''s', NULL, x'0102'", "COMMIT");
        }
    }

    @Test
    void theProfile_reportsEachStatementAsWritten() throws Exception {
        try (AsyncConnection db = open()) {
            List<String> profiled = new CopyOnWriteArrayList<>();
            List<Long> nanos = new CopyOnWriteArrayList<>();
            db.setProfileCallback((sql, ns) -> {
                profiled.add(sql);
                nanos.add(ns);
            }).get(WAIT, TimeUnit.SECONDS);
            db.executeFetchAll("select ?", 1).get(WAIT, TimeUnit.SECONDS);
            assertThat(profiled).contains("select ?");
            assertThat(nanos).allMatch(n -> n >= 0);
            db.setProfileCallback(null).get(WAIT, TimeUnit.SECONDS);
            profiled.clear();
            db.executeFetchAll("select 2").get(WAIT, TimeUnit.SECONDS);
            assertThat(profiled).isEmpty();
        }
    }

    @Test
    void withoutTheLibrary_theAuthorizerFailsClosed_andEverythingElseWorks() throws Exception {
        String out = ChildJvm.run(ChildJvm.command(List.of("-Daiosqlite4j.native=false"), NoNativeMain.class),
                dir.resolve("child.log"), 120);
        assertThat(out).contains("features: false [] disabled by the system property aiosqlite4j.native=false")
                .contains("authorizer: io.github.aiosqlite4j.internal.engine.Errors$NotSupported: setAuthorizer needs"
                        + " aiosqlite4j's native library")
                .contains("aiosqlite4j.native=false (SQLFeatureNotSupportedException)")
                .contains("profile: io.github.aiosqlite4j.internal.engine.Errors$NotSupported (SQLFeatureNotSupportedException)")
                .contains("txnState: SQLFeatureNotSupportedException", "getConfig: SQLFeatureNotSupportedException",
                        "dbStatus: SQLFeatureNotSupportedException", "setWalHook: SQLFeatureNotSupportedException")
                .contains("inTransaction: true\ninTransaction: false")
                .contains("rows: 3")
                .contains("trace: [create table t (x), insert into t values (1), (2), BEGIN DEFERRED, insert into t values (?), COMMIT, select count(*) from t]");
    }

    @Test
    void aLibraryWhoseBytesDoNotMatchItsChecksum_isNotLoaded_theReportSaysWhy_andConnectionsWork() throws Exception {
        NativeFeatures f = AioSqlite.nativeFeatures();
        assertThat(f.isAvailable()).as(f.toString()).isTrue();
        String resource = "io/github/aiosqlite4j/native/" + f.platform() + "/"
                + io.github.aiosqlite4j.internal.nativelib.NativeLibrary.status().path().getFileName();
        byte[] lib;
        String expected;
        try (InputStream in = AioSqlite.class.getResourceAsStream("/" + resource);
                InputStream sum = AioSqlite.class.getResourceAsStream("/" + resource + ".sha256")) {
            lib = in.readAllBytes();
            expected = new String(sum.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        // the library with bytes appended (the loader ignores them: it would load), first on the
        // child's class path, so it shadows the jar's; the .sha256 stays the jar's
        byte[] tampered = Arrays.copyOf(lib, lib.length + 8);
        System.arraycopy("tampered".getBytes(StandardCharsets.US_ASCII), 0, tampered, lib.length, 8);
        Path shadow = dir.resolve("shadow");
        Files.createDirectories(shadow.resolve(resource).getParent());
        Files.write(shadow.resolve(resource), tampered);
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        List<String> command = new ArrayList<>(ChildJvm.command(List.of("-Dorg.sqlite.tmpdir=" + tmp),
                NoNativeMain.class));
        int cp = command.indexOf("-cp") + 1;
        command.set(cp, shadow + File.pathSeparator + command.get(cp));
        String out = ChildJvm.run(command, dir.resolve("tampered.log"), 120);
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tampered));
        assertThat(out).contains("features: false [] the extracted native library " + tmp)
                .contains(" has SHA-256 " + actual + ", expected " + expected + "\n")
                .contains("authorizer: io.github.aiosqlite4j.internal.engine.Errors$NotSupported: setAuthorizer needs"
                        + " aiosqlite4j's native library")
                .contains("rows: 3");
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}
