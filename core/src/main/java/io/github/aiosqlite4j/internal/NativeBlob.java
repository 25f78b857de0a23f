package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AsyncBlob} on SQLite's incremental blob I/O ({@code sqlite3_blob_*}, through our native
 * library): a read or write costs the bytes it touches, and fires no UPDATE trigger, as in SQLite.
 * Its tasks are {@link NativeConnection.BlobWork}s under this object's key, so the connection keeps
 * one handle open across a run of them (see {@link NativeConnection#beforeTask}). The position is
 * kept in {@link AbstractBlob}; the I/O runs on the worker.
 */
final class NativeBlob extends AbstractBlob {
    /** This blob's key for {@link NativeConnection.BlobWork} (made before this object, by its open). */
    private final Object key;
    private final String schema;
    private final int length;

    NativeBlob(DefaultAsyncConnection connection, Object key, String schema, String table, String column,
            long rowId, int length, boolean readOnly) {
        super(connection, table, column, rowId, length, readOnly);
        this.key = key;
        this.schema = schema;
        this.length = length;
    }

    /** Opens the value and makes its AsyncBlob, on the worker (the connection's blobOpen). */
    static Task.Work<AsyncBlob> open(DefaultAsyncConnection connection, String schema, String table,
            String column, long rowId, boolean readOnly) {
        Object key = new Object();
        return new Io<>(key, null, engine -> new NativeBlob(connection, key, schema, table, column, rowId,
                engine.nativeConnection().blobOpen(key, schema, table, column, rowId, !readOnly), readOnly));
    }

    // The length is an int, so every offset and count within the blob is one too.

    @Override
    CompletableFuture<byte[]> readAt(long from, long count) {
        return connection.worker().submit(new Io<>(key, null, engine -> {
            byte[] buf = new byte[(int) count];
            engine.nativeConnection().blobRead(key, schema, table, column, rowId, length, buf, (int) from);
            return buf;
        }));
    }

    @Override
    CompletableFuture<Void> writeAt(long from, byte[] data, NativeConnection.StreamWrites stream) {
        return connection.worker().submit(new Io<>(key, stream, engine -> {
            if (stream != null) {
                engine.beginBlobStream(stream);
            }
            engine.nativeConnection().blobWrite(key, schema, table, column, rowId, length, data, (int) from);
            return null;
        }));
    }

    @Override
    CompletableFuture<Void> commit(NativeConnection.StreamWrites stream) {
        return connection.worker().submit(new Io<>(key, stream, engine -> {
            engine.endBlobStream(stream);
            return null;
        }));
    }

    /** Closes the handle the connection may keep for this blob (a task of its own: not an I/O). */
    @Override
    void closed() {
        // (fails at once if the connection is closed or closing: it closes the handle itself)
        connection.worker().submit(engine -> {
            engine.nativeConnection().releaseBlob();
            return null;
        });
    }

    /**
     * A task of this blob's: the connection keeps the handle of key across such tasks, and the
     * engine the transaction of stream's writes across stream's (see {@link NativeConnection.BlobWork}).
     */
    private static final class Io<T> implements Task.Work<T>, NativeConnection.BlobWork {
        private final Object key;
        private final NativeConnection.StreamWrites stream;
        private final Task.Work<T> work;

        Io(Object key, NativeConnection.StreamWrites stream, Task.Work<T> work) {
            this.key = key;
            this.stream = stream;
            this.work = work;
        }

        @Override
        public NativeConnection.StreamWrites stream() {
            return stream;
        }

        @Override
        public T run(Engine engine) throws Exception {
            return work.run(engine);
        }

        @Override
        public Object blobKey() {
            return key;
        }
    }
}
