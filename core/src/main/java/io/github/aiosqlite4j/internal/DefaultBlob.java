package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link AsyncBlob} emulated with substr() reads and same-size UPDATE writes. */
final class DefaultBlob implements AsyncBlob {
    private final DefaultAsyncConnection connection;
    private final String table;
    private final String column;
    private final long rowId;
    private final long length;
    private final boolean readOnly;
    private long position;
    private volatile boolean closed;

    DefaultBlob(DefaultAsyncConnection connection, String table, String column, long rowId,
            long length, boolean readOnly) {
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
        long from = position;
        long count = n < 0 ? length - from : Math.min(n, length - from);
        if (count <= 0) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        position = from + count;
        String sql = "select substr(" + column + ", ?, ?) from " + table + " where rowid = ?";
        return connection.worker().submit(engine -> {
            List<io.github.aiosqlite4j.Row> rows = engine.fetch(
                    engine.execute(sql, new Object[] {from + 1, count, rowId}, null), -1);
            if (rows.isEmpty() || rows.get(0).get(0) == null) {
                throw Errors.misuse("the row of the blob (rowid " + rowId + ") is gone", sql);
            }
            return rows.get(0).getBytes(0);
        });
    }

    @Override
    public synchronized CompletableFuture<Void> write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        checkOpen();
        if (readOnly) {
            throw new IllegalStateException("the blob was opened read-only");
        }
        long from = position;
        if (from + data.length > length) {
            throw new IllegalArgumentException("writing " + data.length + " bytes at offset " + from
                    + " would pass the end of the blob (" + length + " bytes); a blob's size is"
                    + " fixed");
        }
        if (data.length == 0) {
            return CompletableFuture.completedFuture(null);
        }
        position = from + data.length;
        byte[] copy = data.clone();
        String sql = "update " + table + " set " + column + " = aiosqlite4j_blob_splice(" + column
                + ", ?, ?) where rowid = ?";
        return connection.worker().submit(engine -> {
            engine.functions().ensureBlobSplice();
            long changed = engine.execute(sql, new Object[] {from, copy, rowId}, null).rowCount;
            if (changed != 1) {
                throw Errors.misuse("the row of the blob (rowid " + rowId + ") is gone", sql);
            }
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
    public void close() {
        closed = true;
    }
}
