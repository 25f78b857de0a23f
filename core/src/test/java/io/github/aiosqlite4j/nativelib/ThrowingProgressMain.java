package io.github.aiosqlite4j.nativelib;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.BackupOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Run by {@link NativeBackupTest} in a child JVM without the native library: backup to another
 * connection and to a file (args[0]) with a progress callback that throws at its second call;
 * prints the calls, the failure, and what each connection holds afterwards.
 */
public final class ThrowingProgressMain {
    private ThrowingProgressMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("native: " + AioSqlite.nativeFeatures().isAvailable());
        try (AsyncConnection src = AioSqlite.connect(":memory:").get();
                AsyncConnection dst = AioSqlite.connect(":memory:").get()) {
            src.execute("create table t (x)").get();
            for (int i = 0; i < 20; i++) {
                src.execute("insert into t values (?)", (Object) "x".repeat(3000).getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)).get();
            }
            src.commit().get();
            dst.executeScript("create table y (a); insert into y values (1);").get();
            dst.commit().get();
            List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
            BackupOptions throwing = BackupOptions.defaults().withPages(5).withProgress((status, left, total) -> {
                calls.add(left);
                if (calls.size() == 2) {
                    throw new IllegalStateException("boom");
                }
            });
            System.out.println("to a connection: " + failure(src.backup(dst, throwing)) + " " + calls);
            System.out.println("target: " + dst.executeFetchAll("select name from sqlite_schema").get()
                    .stream().map(r -> r.get(0)).toList());
            calls.clear();
            System.out.println("to a file: " + failure(src.backup(Path.of(args[0]), throwing)) + " " + calls);
            System.out.println("source: " + src.executeFetchAll("select count(*) from t").get().get(0).get(0));
            src.backup(dst, BackupOptions.defaults()).get();
            System.out.println("again: " + dst.executeFetchAll("select count(*) from t").get().get(0).get(0));
        }
    }

    private static String failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get();
            return "completed";
        } catch (ExecutionException e) {
            return "failed with " + e.getCause();
        }
    }
}
