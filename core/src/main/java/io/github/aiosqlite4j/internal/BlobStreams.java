package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The blocking stream views of an {@link AsyncBlob} ({@link AsyncBlob#inputStream()}, {@link
 * AsyncBlob#outputStream()}): each moves the blob's position through its {@code read}/{@code
 * write}, a chunk of at most {@link #CHUNK} bytes per task on the worker, waited for before the
 * next, so a blob of any size moves in constant memory. Not for the connection's worker thread
 * (the wait would block the task it waits for).
 */
final class BlobStreams {
    /** Bytes per worker task, and the output's buffer. */
    static final int CHUNK = 4 << 20;

    private BlobStreams() {}

    private static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the blob I/O");
        } catch (ExecutionException e) {
            throw new IOException("blob I/O failed: " + e.getCause(), e.getCause());
        }
    }

    private static void checkThread(DefaultAsyncConnection connection) {
        if (connection.worker().isWorkerThread()) {
            throw new IllegalStateException("a blob stream blocks; it cannot be used on the"
                    + " connection's own worker thread");
        }
    }

    static final class In extends InputStream {
        private final AbstractBlob blob;
        private byte[] chunk = new byte[0];
        private int at;
        private boolean closed;

        In(AbstractBlob blob) {
            checkThread(blob.connection);
            this.blob = blob;
        }

        /** Refills the chunk if it is used up; returns false at the blob's end. */
        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("the stream is closed");
            }
            if (at < chunk.length) {
                return true;
            }
            chunk = await(read(blob));
            at = 0;
            return chunk.length > 0;
        }

        private static CompletableFuture<byte[]> read(AbstractBlob blob) throws IOException {
            try {
                return blob.read(CHUNK);
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - at);
            System.arraycopy(chunk, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public int available() {
            return chunk.length - at;
        }

        @Override
        public void close() {
            closed = true;
            chunk = new byte[0];
        }
    }

    /**
     * The output stream: a chunk is written when the buffer is full (and waited for); flush() and
     * close() write what is buffered and then commit what the stream wrote ({@link
     * AbstractBlob#commit}: outside a transaction, with the native library, the chunks are held
     * in one transaction of the engine's own until then, or until another task runs).
     */
    static final class Out extends OutputStream implements NativeConnection.StreamWrites {
        private final AbstractBlob blob;
        private final byte[] buf = new byte[CHUNK];
        private int n;
        /** Whether a chunk was written since the last commit. */
        private boolean uncommitted;
        private boolean closed;
        /** Set on the worker when another task's commit of this stream's writes failed. */
        private volatile IOException lost;

        Out(AbstractBlob blob) {
            checkThread(blob.connection);
            this.blob = blob;
        }

        @Override
        public void rolledBack(Exception cause) {
            lost = new IOException("what the blob output stream wrote since its last flush was"
                    + " rolled back: committing it before another operation on the connection"
                    + " failed: " + cause, cause);
        }

        @Override
        public boolean wasRolledBack() {
            return lost != null;
        }

        private void check() throws IOException {
            if (closed) {
                throw new IOException("the stream is closed");
            }
            IOException e = lost;
            if (e != null) {
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            check();
            if (n == buf.length) {
                writeChunk();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            check();
            while (len > 0) {
                if (n == buf.length) {
                    writeChunk();
                }
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        /** Writes what is buffered and waits for it (not committed yet: see {@link #flush}). */
        private void writeChunk() throws IOException {
            if (n == 0) {
                return;
            }
            CompletableFuture<Void> done;
            try {
                done = blob.write(buf, n, this); // copies: the buffer is free again once it returns
            } catch (IllegalArgumentException | IllegalStateException e) {
                n = 0;
                throw new IOException(e.getMessage(), e);
            }
            n = 0;
            uncommitted = true;
            try {
                await(done);
            } finally {
                check(); // a loss says more than the chunk it failed
            }
        }

        /** Writes what is buffered, commits what the stream wrote, and waits for both. */
        @Override
        public void flush() throws IOException {
            check();
            writeChunk();
            if (uncommitted) {
                uncommitted = false;
                await(blob.commit(this));
                check();
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                try {
                    flush();
                } finally {
                    closed = true;
                }
            }
        }
    }
}
