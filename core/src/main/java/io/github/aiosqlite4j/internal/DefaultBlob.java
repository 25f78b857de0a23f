package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.internal.engine.Errors;
import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link AsyncBlob} emulated with substr() reads and same-size UPDATE writes. */
final class DefaultBlob extends AbstractBlob {
    DefaultBlob(DefaultAsyncConnection connection, String table, String column, long rowId,
            long length, boolean readOnly) {
        super(connection, table, column, rowId, length, readOnly);
    }

    @Override
    CompletableFuture<byte[]> readAt(long from, long count) {
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
    CompletableFuture<Void> writeAt(long from, byte[] data, NativeConnection.StreamWrites stream) {
        String sql = "update " + table + " set " + column + " = aiosqlite4j_blob_splice(" + column
                + ", ?, ?) where rowid = ?";
        return connection.worker().submit(engine -> {
            engine.functions().ensureBlobSplice();
            long changed = engine.execute(sql, new Object[] {from, data, rowId}, null).rowCount;
            if (changed != 1) {
                throw Errors.misuse("the row of the blob (rowid " + rowId + ") is gone", sql);
            }
            return null;
        });
    }
}
