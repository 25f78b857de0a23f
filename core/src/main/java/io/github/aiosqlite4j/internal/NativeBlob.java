package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AsyncBlob} on SQLite's incremental blob I/O ({@code sqlite3_blob_*}, through our native
 * library): a read or write costs the bytes it touches, and fires no UPDATE trigger, as in SQLite.
 * Each read or write opens the value for itself and closes it (see {@link
 * io.github.aiosqlite4j.internal.nativelib.NativeConnection#blob}), so nothing native stays open
 * between calls. The position is kept here (under this object's lock); the I/O runs on the worker.
 */
final class NativeBlob implements AsyncBlob {
    private final DefaultAsyncConnection connection;
    private final String table;
    private final String column;
    private final long rowId;
    private final int length;
    private final boolean readOnly;
    private long position;
    private boolean closed;

    NativeBlob(DefaultAsyncConnection connection, String table, String column, long rowId, int length,
            boolean readOnly) {
        this.connection = connection;
        this.table = table;
        this.column = column;
        this.rowId = rowId;
        this.length = length;
        this.readOnly = readOnly;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the blob is closed");
        }
    }

    @Override
    public synchronized CompletableFuture<byte[]> read(int n) {
        checkOpen();
        int from = (int) position;
        int count = n < 0 ? length - from : Math.min(n, length - from);
        if (count <= 0) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        position = from + count;
        return connection.worker().submit(engine -> {
            byte[] buf = new byte[count];
            engine.nativeConnection().blob("main", table, column, rowId, null, buf, from);
            return buf;
        });
    }

    @Override
    public synchronized CompletableFuture<Void> write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        checkOpen();
        if (readOnly) {
            throw new IllegalStateException("the blob was opened read-only");
        }
        int from = (int) position;
        if ((long) from + data.length > length) {
            throw new IllegalArgumentException("writing " + data.length + " bytes at offset " + from
                    + " would pass the end of the blob (" + length + " bytes); a blob's size is"
                    + " fixed");
        }
        if (data.length == 0) {
            return CompletableFuture.completedFuture(null);
        }
        position = from + data.length;
        byte[] copy = data.clone();
        return connection.worker().submit(engine -> {
            engine.nativeConnection().blob("main", table, column, rowId, copy, null, from);
            return null;
        });
    }

    @Override
    public synchronized void seek(long offset) {
        checkOpen();
        if (offset < 0 || offset > length) {
            throw new IllegalArgumentException("seek offset must be between 0 and " + length
                    + ", was " + offset);
        }
        position = offset;
    }

    @Override
    public synchronized long tell() {
        return position;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
