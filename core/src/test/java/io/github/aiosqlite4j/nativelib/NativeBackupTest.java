package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.BackupOptions;
import io.github.aiosqlite4j.TxnState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup(AsyncConnection) on sqlite3_backup_* between the two connections: Python's progress
 * calls (checked with python3 3.11: 20 rows of 3000 bytes, 5 pages a step), no temporary file,
 * SQLite's error for a target in a transaction, opposite backups at once.
 */
final class NativeBackupTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    private static AsyncConnection filled() throws Exception {
        AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS);
        db.execute("create table t (x)").get(WAIT, TimeUnit.SECONDS);
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(List.of("x".repeat(3000).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        db.executeMany("insert into t values (?)", rows).get(WAIT, TimeUnit.SECONDS);
        db.commit().get(WAIT, TimeUnit.SECONDS);
        return db;
    }

    private static List<Path> backupTempFiles() {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("aiosqlite4j-backup-")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void progressIsPythons_andNoTemporaryFileIsWritten() throws Exception {
        List<Path> before = backupTempFiles();
        try (AsyncConnection src = filled();
                AsyncConnection dst = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            List<String> calls = Collections.synchronizedList(new ArrayList<>());
            src.backup(dst, BackupOptions.defaults().withPages(5).withProgress((status, remaining, total) -> {
                calls.add("(" + status + ", " + remaining + ", " + total + ")");
                assertThat(backupTempFiles()).isEqualTo(before);
            })).get(WAIT, TimeUnit.SECONDS);
            assertThat(calls).containsExactly("(0, 17, 22)", "(0, 12, 22)", "(0, 7, 22)", "(0, 2, 22)", "(101, 0, 22)");
            assertThat(dst.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(20L);
        }
    }

    @Test
    void aTargetInATransaction_getsSqlitesError_andBothStayUsable() throws Exception {
        try (AsyncConnection src = filled();
                AsyncConnection dst = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            dst.execute("create table y (a)").get(WAIT, TimeUnit.SECONDS);
            dst.execute("insert into y values (1)").get(WAIT, TimeUnit.SECONDS); // implicit BEGIN
            try {
                src.backup(dst, BackupOptions.defaults()).get(WAIT, TimeUnit.SECONDS);
                throw new AssertionError("expected a failure");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("destination database is in use");
            }
            dst.commit().get(WAIT, TimeUnit.SECONDS);
            src.backup(dst, BackupOptions.defaults()).get(WAIT, TimeUnit.SECONDS);
            assertThat(dst.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(20L);
        }
    }

    @Test
    void oppositeBackupsAtOnce_bothComplete() throws Exception {
        try (AsyncConnection a = filled(); AsyncConnection b = filled()) {
            CompletableFuture<Void> ab = a.backup(b, BackupOptions.defaults().withPages(1));
            CompletableFuture<Void> ba = b.backup(a, BackupOptions.defaults().withPages(1));
            CompletableFuture.allOf(ab, ba).get(WAIT, TimeUnit.SECONDS);
            assertThat(a.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(20L);
        }
    }

    @Test
    void aProgressCallbackThatThrows_failsTheBackupWithIt_abandonsIt_andBothStayUsable() throws Exception {
        // python3 3.11: the callback's exception propagates out of backup() as it is, no call
        // follows it, and the target keeps what it had (the copy is abandoned, not half done)
        try (AsyncConnection src = filled();
                AsyncConnection dst = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            dst.executeScript("create table y (a); insert into y values (1);").get(WAIT, TimeUnit.SECONDS);
            dst.commit().get(WAIT, TimeUnit.SECONDS);
            IllegalStateException boom = new IllegalStateException("boom");
            List<Integer> remaining = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> backup = src.backup(dst, BackupOptions.defaults().withPages(5)
                    .withProgress((status, left, total) -> {
                        remaining.add(left);
                        if (remaining.size() == 2) {
                            throw boom;
                        }
                    }));
            try {
                backup.get(WAIT, TimeUnit.SECONDS);
                throw new AssertionError("expected a failure");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isSameAs(boom);
            }
            assertThat(remaining).containsExactly(17, 12);
            assertThat(src.txnState(null).get(WAIT, TimeUnit.SECONDS)).isEqualTo(TxnState.NONE);
            assertThat(dst.txnState(null).get(WAIT, TimeUnit.SECONDS)).as("the backup's handle is finished")
                    .isEqualTo(TxnState.NONE);
            assertThat(dst.executeFetchAll("select name from sqlite_schema").get(WAIT, TimeUnit.SECONDS))
                    .extracting(r -> r.get(0)).containsExactly("y");
            assertThat(src.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(20L);
            src.backup(dst, BackupOptions.defaults().withPages(5)).get(WAIT, TimeUnit.SECONDS);
            assertThat(dst.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(20L);
        }
    }

    @Test
    void withoutTheLibrary_aProgressCallbackThatThrows_isNotCalledAgain_andFailsTheBackup() throws Exception {
        // sqlite-jdbc's backup goes on calling its observer with the exception pending in JNI:
        // the callback's exception is kept, no call follows it (as in Python), and it fails the
        // backup when sqlite-jdbc returns; the target connection is left as it was
        String out = io.github.aiosqlite4j.ChildJvm.run(io.github.aiosqlite4j.ChildJvm.command(
                List.of("-Daiosqlite4j.native=false", "-Xcheck:jni"), ThrowingProgressMain.class,
                dir.resolve("copy.db").toString()), dir.resolve("child.log"), 120);
        assertThat(out).contains("native: false",
                "to a connection: failed with java.lang.IllegalStateException: boom [17, 12]",
                "target: [y]",
                "to a file: failed with java.lang.IllegalStateException: boom [17, 12]",
                "source: 20", "again: 20")
                .doesNotContain("JNI call made with exception pending");
    }
}
