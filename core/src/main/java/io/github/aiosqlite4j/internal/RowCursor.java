package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.Row;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The {@link AsyncCursor}: a cursor of {@link Row}s (no mapper) that can run statements. */
final class RowCursor extends DefaultCursor<Row> implements AsyncCursor {

    RowCursor(DefaultAsyncConnection connection, ConnectionWorker worker) {
        super(connection, worker, null);
    }

    @Override
    public CompletableFuture<AsyncCursor> execute(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Object[] p = params == null ? new Object[0] : params.clone();
        return submit(engine -> {
            runOnWorker(engine, sql, p, null);
            return this;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> execute(String sql, Map<String, ?> params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(params, "params must not be null");
        return submit(engine -> {
            runOnWorker(engine, sql, null, params);
            return this;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> executeMany(String sql, Iterable<? extends List<?>> paramsSeq) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(paramsSeq, "paramsSeq must not be null");
        return submit(engine -> {
            runManyOnWorker(engine, sql, paramsSeq);
            return this;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> executeScript(String script) {
        Objects.requireNonNull(script, "script must not be null");
        return submit(engine -> {
            runScriptOnWorker(engine, script);
            return this;
        });
    }
}
