package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AsyncBlob} on SQLite's incremental blob I/O ({@code sqlite3_blob_*}, through our native
 * library): a read or write costs the bytes it touches, and fires no UPDATE trigger, as in SQLite.
 * Each read or write opens the value for itself and closes it (see {@link
 * io.github.aiosqlite4j.internal.nativelib.NativeConnection#blob}), so nothing native stays open
 * between calls. The position is kept in {@link AbstractBlob}; the I/O runs on the worker.
 */
final class NativeBlob extends AbstractBlob {
    NativeBlob(DefaultAsyncConnection connection, String table, String column, long rowId, int length,
            boolean readOnly) {
        super(connection, table, column, rowId, length, readOnly);
    }

    // The length is an int, so every offset and count within the blob is one too.

    @Override
    CompletableFuture<byte[]> readAt(long from, long count) {
        return connection.worker().submit(engine -> {
            byte[] buf = new byte[(int) count];
            engine.nativeConnection().blob("main", table, column, rowId, null, buf, (int) from);
            return buf;
        });
    }

    @Override
    CompletableFuture<Void> writeAt(long from, byte[] data) {
        return connection.worker().submit(engine -> {
            engine.nativeConnection().blob("main", table, column, rowId, data, null, (int) from);
            return null;
        });
    }
}
