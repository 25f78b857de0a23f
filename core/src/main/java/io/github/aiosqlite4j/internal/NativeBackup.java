package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.BackupOptions;
import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.engine.Errors;
import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * {@code backup(AsyncConnection)} with SQLite's online backup between the two connections
 * (through our native library; no temporary file). The copy uses both handles, so it needs both
 * workers to itself: the worker first in a global order runs a task that holds it (nothing else
 * of that connection runs, and it cannot close) until the copy, run by a task on the other worker,
 * is done. Holds always wait for a worker later in the order, so backups in opposite directions
 * (or in a cycle) cannot deadlock.
 */
final class NativeBackup {
    /** The global order of workers: numbers given on first use. */
    private static final Map<ConnectionWorker, Long> ORDER = new WeakHashMap<>();
    private static long next;

    private NativeBackup() {}

    private static synchronized long order(ConnectionWorker w) {
        return ORDER.computeIfAbsent(w, k -> next++);
    }

    static CompletableFuture<Void> run(ConnectionWorker source, ConnectionWorker target, BackupOptions options) {
        boolean sourceFirst = order(source) < order(target);
        ConnectionWorker first = sourceFirst ? source : target;
        ConnectionWorker second = sourceFirst ? target : source;
        CompletableFuture<Engine> held = new CompletableFuture<>();
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Void> holding = first.submit(engine -> {
            held.complete(engine);
            done.await(); // released when the copy ends, however it ends
            return null;
        });
        holding.whenComplete((v, e) -> {
            if (e != null) {
                held.completeExceptionally(e); // that connection is closed or its queue is full
            }
        });
        CompletableFuture<Void> copied = held.thenCompose(firstEngine -> second.submit(secondEngine -> {
            NativeConnection src = (sourceFirst ? firstEngine : secondEngine).nativeConnection();
            NativeConnection dest = (sourceFirst ? secondEngine : firstEngine).nativeConnection();
            if (src == null || dest == null) {
                throw Errors.notSupported("backup between connections needs the native library on both");
            }
            src.backupTo(dest, options);
            return null;
        }));
        copied.whenComplete((v, e) -> done.countDown());
        return copied.thenCombine(holding, (a, b) -> null);
    }
}
