package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import java.util.Arrays;
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
     * @param stream the output stream writing, or null: see {@link #commit}
     * @return a future completing when the bytes are written
     */
    abstract CompletableFuture<Void> writeAt(long from, byte[] data, NativeConnection.StreamWrites stream);

    /**
     * A stream's flush: commits what {@code stream}'s writes left uncommitted. With the native
     * library, a stream's writes outside a transaction are held in one of the engine's own until
     * then ({@code Engine.beginBlobStream}); without it each write is an UPDATE of its own.
     *
     * @return a future completing when committed
     */
    CompletableFuture<Void> commit(NativeConnection.StreamWrites stream) {
        return CompletableFuture.completedFuture(null);
    }

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
    public final CompletableFuture<Void> write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        return write(data, data.length, null);
    }

    /**
     * {@link #write(byte[])} of {@code data}'s first {@code length} bytes (copied), for {@code
     * stream} if not null.
     */
    final synchronized CompletableFuture<Void> write(byte[] data, int length,
            NativeConnection.StreamWrites stream) {
        checkOpen();
        if (readOnly) {
            throw new IllegalStateException("the blob was opened read-only");
        }
        long from = position;
        if (from + length > this.length) {
            throw new IllegalArgumentException("writing " + length + " bytes at offset " + from
                    + " would pass the end of the blob (" + this.length + " bytes); a blob's size"
                    + " is fixed");
        }
        if (length == 0) {
            return CompletableFuture.completedFuture(null);
        }
        position = from + length;
        return writeAt(from, Arrays.copyOf(data, length), stream);
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
