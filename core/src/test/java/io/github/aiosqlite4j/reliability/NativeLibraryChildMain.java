package io.github.aiosqlite4j.reliability;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import io.github.aiosqlite4j.SqlitePool;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link NativeLibraryTest}, started with temporary directories no one can create.
 * Prints one {@code RESULT} line per attempt: how it failed (thrown by the call, or through the
 * future), the exception's class, whether it is a {@link SqliteError}, its cause and message.
 */
public final class NativeLibraryChildMain {
    private NativeLibraryChildMain() {}

    /**
     * @param args "open" (java.io.tmpdir and org.sqlite.tmpdir unusable: connect twice, open a
     *     pool, ask the version) or "backup" (only java.io.tmpdir unusable: back up a connection
     *     to another), then a database file
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String file = args[1];
        if (args[0].equals("open")) {
            report("connect1", () -> AioSqlite.connect(":memory:"));
            report("connect2", () -> AioSqlite.connect(file));
            report("pool", () -> SqlitePool.open(SqliteConfig.builder(file).build(),
                    PoolOptions.defaults()));
            report("version", () -> CompletableFuture.completedFuture(AioSqlite.sqliteVersion()));
        } else {
            try (AsyncConnection a = AioSqlite.connect(file).get(30, TimeUnit.SECONDS);
                    AsyncConnection b = AioSqlite.connect(":memory:").get(30, TimeUnit.SECONDS)) {
                a.execute("create table t (x)").get(30, TimeUnit.SECONDS);
                a.commit().get(30, TimeUnit.SECONDS);
                report("backup", () -> a.backup(b, io.github.aiosqlite4j.BackupOptions.defaults()));
            }
        }
        System.out.println("done");
    }

    private static void report(String label, Callable<CompletableFuture<?>> call) {
        String how;
        Throwable e;
        try {
            CompletableFuture<?> f = call.call();
            try {
                Object value = f.get(60, TimeUnit.SECONDS);
                System.out.println("RESULT " + label + "|succeeded|" + value);
                return;
            } catch (ExecutionException failed) {
                how = "future";
                e = failed.getCause();
            }
        } catch (Throwable thrown) {
            how = "thrown";
            e = thrown;
        }
        System.out.println("RESULT " + label + "|" + how + "|" + e.getClass().getName() + "|"
                + (e instanceof SqliteError) + "|"
                + (e.getCause() == null ? "null" : e.getCause().getClass().getName()) + "|"
                + String.valueOf(e.getMessage()).replace('\n', ' '));
    }
}
