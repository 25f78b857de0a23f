package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What every {@link AsyncBlob} here shares: the argument and state checks, and the position, kept
 * under this object's lock and moved on the caller's thread before the I/O is queued. The I/O
 * itself, run on the connection's worker, is the subclass's ({@link #readAt}, {@link #writeAt}).
 */
abstract class AbstractBlob implements AsyncBlob {
    final DefaultAsyncConnection connection;
    final String table;
    final String column;
    final long rowId;
    private final long length;
    private final boolean readOnly;
    private long position;
    private volatile boolean closed;

    AbstractBlob(DefaultAsyncConnection connection, String table, String column, long rowId, long length,
            boolean readOnly) {
        this.connection = connection;
        this.table = table;
        this.column = column;
        this.rowId = rowId;
        this.length = length;
        this.readOnly = readOnly;
    }

    /**
     * Reads {@code count} bytes (at least one, all within the blob) from byte offset {@code from}.
     *
     * @return a future completing with exactly those bytes
     */
    abstract CompletableFuture<byte[]> readAt(long from, long count);

    /**
     * Writes {@code data} (at least one byte, all within the blob; a copy this object owns) at byte
     * offset {@code from}.
     *
     * @return a future completing when the bytes are written
     */
    abstract CompletableFuture<Void> writeAt(long from, byte[] data);

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the blob is closed");
        }
    }

    @Override
    public final synchronized CompletableFuture<byte[]> read(int n) {
        checkOpen();
        long from = position;
        long count = n < 0 ? length - from : Math.min(n, length - from);
        if (count <= 0) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        position = from + count;
        return readAt(from, count);
    }

    @Override
    public final synchronized CompletableFuture<Void> write(byte[] data) {
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
        return writeAt(from, data.clone());
    }

    @Override
    public final synchronized void seek(long offset) {
        checkOpen();
        if (offset < 0 || offset > length) {
            throw new IllegalArgumentException("seek offset must be between 0 and " + length
                    + ", was " + offset);
        }
        position = offset;
    }

    @Override
    public final synchronized long tell() {
        return position;
    }

    @Override
    public final long length() {
        return length;
    }

    @Override
    public final java.io.InputStream inputStream() {
        return new BlobStreams.In(this);
    }

    @Override
    public final java.io.OutputStream outputStream() {
        return new BlobStreams.Out(this);
    }

    /** Called once, by the first {@link #close()}: frees what the subclass holds. */
    void closed() {}

    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            closed();
        }
    }
}
