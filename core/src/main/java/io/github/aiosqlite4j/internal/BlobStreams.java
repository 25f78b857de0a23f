package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
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

    static final class Out extends OutputStream {
        private final AbstractBlob blob;
        private final byte[] buf = new byte[CHUNK];
        private int n;
        private boolean closed;

        Out(AbstractBlob blob) {
            checkThread(blob.connection);
            this.blob = blob;
        }

        private void checkOpen() throws IOException {
            if (closed) {
                throw new IOException("the stream is closed");
            }
        }

        @Override
        public void write(int b) throws IOException {
            checkOpen();
            if (n == buf.length) {
                flush();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            checkOpen();
            while (len > 0) {
                if (n == buf.length) {
                    flush();
                }
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        /** Writes what is buffered and waits for it. */
        @Override
        public void flush() throws IOException {
            checkOpen();
            if (n == 0) {
                return;
            }
            CompletableFuture<Void> done;
            try {
                // write() copies what it is given: the buffer is free again once it returns
                done = blob.write(n == buf.length ? buf : Arrays.copyOf(buf, n));
            } catch (IllegalArgumentException | IllegalStateException e) {
                n = 0;
                throw new IOException(e.getMessage(), e);
            }
            n = 0;
            await(done);
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
