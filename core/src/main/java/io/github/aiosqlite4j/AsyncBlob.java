package io.github.aiosqlite4j;

import java.util.concurrent.CompletableFuture;

/**
 * A BLOB value opened for incremental reads and writes, like Python's {@code sqlite3.Blob}
 * (returned by {@link AsyncConnection#blobOpen}).
 *
 * <p>With aiosqlite4j's native library ({@link AioSqlite#nativeFeatures()}) this is SQLite's
 * incremental blob I/O ({@code sqlite3_blob_open/read/write/close}, in the schema given to {@code
 * blobOpen}): a read or write costs the bytes it touches and fires no UPDATE trigger, and the value
 * may be a BLOB or a TEXT, as in Python. The connection keeps one {@code sqlite3_blob} handle open
 * across a run of this blob's reads and writes (so a stream moves in time linear in its size), and
 * closes it before anything else runs on the connection, when the blob is closed, and when the
 * connection closes (a forgotten blob neither leaks the handle nor blocks the close). While kept,
 * the handle holds a read transaction, as an open cursor does. A {@link #write} outside a
 * transaction is committed before its future completes (then the next call opens the value again,
 * which walks the value from its start: to write a large value piece by piece, use the {@link
 * #outputStream()}). If the row was deleted, or its value replaced by one of another size, since
 * {@code blobOpen}, the next read or write fails saying so; the connection stays usable. Its length
 * is the one at {@code blobOpen}.
 *
 * <p>Without the native library it is emulated with SQL: a read runs {@code substr(column,
 * offset, n)} on the row, and a write rewrites the whole value with an {@code UPDATE} of the same
 * size (O(blob size) per write, firing UPDATE triggers, opening an implicit transaction under the
 * connection's isolation level); the value must be a BLOB. Either way a write can never change the
 * value's length.
 *
 * <p>The position is kept here: {@link #tell()}, {@link #seek(long)} and {@link #length()} are
 * plain calls; {@link #read} and {@link #write} are queued on the connection's worker like any
 * other operation and move the position when they are submitted.
 */
public interface AsyncBlob extends AutoCloseable {
    /**
     * Reads up to {@code n} bytes from the current position and advances it.
     *
     * @param n the most bytes to read; negative reads to the end
     * @return a future completed with the bytes (empty at the end)
     */
    CompletableFuture<byte[]> read(int n);

    /**
     * Writes bytes at the current position and advances it.
     *
     * @param data the bytes; must fit between the position and the end
     * @return a future completed when written
     * @throws IllegalArgumentException if the data would go past the end (a blob's size is fixed)
     * @throws IllegalStateException if the blob was opened read-only or is closed
     */
    CompletableFuture<Void> write(byte[] data);

    /**
     * Moves the position.
     *
     * @param offset the new position, from 0 to {@link #length()}
     * @throws IllegalArgumentException if outside the blob
     */
    void seek(long offset);

    /** {@return the current position} */
    long tell();

    /** {@return the blob's size in bytes (fixed while it is open)} */
    long length();

    /**
     * A blocking {@link java.io.InputStream} over the blob, from the current position to the
     * end: each refill reads the next 4 MiB chunk with {@link #read(int)} (moving the position)
     * and waits for it, so a blob of any size streams in constant memory, and (with the native
     * library) in linear time. It reads ahead: the blob's position is at the end of the last
     * chunk read. The stream is not thread-safe; closing it does not close the blob. Its I/O errors are {@link java.io.IOException}s with SQLite's error as the cause.
     *
     * @return the stream
     * @throws IllegalStateException if called on the connection's worker thread (the stream would
     *     block the thread that serves it)
     */
    java.io.InputStream inputStream();

    /**
     * A blocking {@link java.io.OutputStream} over the blob, from the current position: it
     * buffers up to 4 MiB, then writes the chunk as {@link #write(byte[])} does (moving the
     * position) and waits for it, so a blob of any size streams in constant memory. {@code
     * flush()} and {@code close()} write what is buffered and commit (below); closing it does not
     * close the blob. Writing past the blob's end (its size is fixed: create it with {@code
     * zeroblob(n)}) fails with an {@link java.io.IOException}, as do SQLite's errors (the cause).
     *
     * <p>Inside a transaction the chunks are writes of that transaction. Outside one, with the
     * native library, the chunks go into one transaction the connection opens for the stream and
     * hides ({@link AsyncConnection#inTransaction()} stays false; trace and authorizer do not see
     * it), so that the blob handle stays open from chunk to chunk and the stream moves in linear
     * time (one commit, not one per chunk). That transaction is committed when {@code flush()} or
     * {@code close()} returns, and before anything else runs on the connection (any other
     * operation, this blob's own {@link #write} and {@link #read} included, then runs in
     * autocommit as usual; a stream never closed is committed that way too, or by the
     * connection's close). So what the stream wrote is committed at the latest when {@code
     * flush()} or {@code close()} returns; until then the connection holds SQLite's write lock,
     * as in any write transaction. If that commit fails when another operation runs (say,
     * {@code SQLITE_BUSY}), the operation goes on, the stream's writes since its last flush are
     * rolled back, and the stream's next call throws an {@link java.io.IOException} saying so.
     * Without the native library each chunk is a write of its own.
     *
     * @return the stream
     * @throws IllegalStateException if called on the connection's worker thread
     */
    java.io.OutputStream outputStream();

    /** Closes the blob; later reads and writes fail with {@link IllegalStateException}. */
    @Override
    void close();
}
