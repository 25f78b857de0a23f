package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.Column;
import io.github.aiosqlite4j.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The cursor. Its {@link Engine.Results} are touched only on the worker; the properties users read
 * are volatile fields the worker sets before completing the future that made them current.
 */
final class DefaultCursor implements AsyncCursor {
    private final DefaultAsyncConnection connection;
    private final ConnectionWorker worker;
    private Engine.Results results; // worker only
    private boolean closed; // worker only
    private volatile long rowCount = -1;
    private volatile long lastRowId;
    private volatile List<Column> description = List.of();
    private volatile int arraySize = 1;
    private volatile int iterChunkSize;

    DefaultCursor(DefaultAsyncConnection connection, ConnectionWorker worker) {
        this.connection = connection;
        this.worker = worker;
        this.iterChunkSize = worker.config().iterChunkSize();
    }

    // ---- worker-side helpers, called inside tasks ----

    /** Worker: run a statement on this cursor. */
    void runOnWorker(Engine engine, String sql, Object[] positional, Map<String, ?> named)
            throws java.sql.SQLException {
        checkOpen();
        engine.release(results);
        results = null;
        Engine.Results r = engine.execute(sql, positional, named);
        adopt(engine, r);
    }

    void adopt(Engine engine, Engine.Results r) {
        results = r.rs != null ? r : null;
        rowCount = r.rowCount;
        lastRowId = engine.lastInsertRowId();
        description = r.columns.description;
    }

    void runManyOnWorker(Engine engine, String sql, Iterable<? extends List<?>> seq)
            throws java.sql.SQLException {
        checkOpen();
        engine.release(results);
        results = null;
        description = List.of();
        rowCount = engine.executeMany(sql, seq);
    }

    void runScriptOnWorker(Engine engine, String script) throws java.sql.SQLException {
        checkOpen();
        engine.release(results);
        results = null;
        description = List.of();
        rowCount = -1;
        engine.executeScript(script);
    }

    private void checkOpen() throws java.sql.SQLException {
        if (closed) {
            throw Errors.closedCursor();
        }
    }

    List<Row> fetchOnWorker(Engine engine, int max) throws java.sql.SQLException {
        checkOpen();
        if (results == null) {
            return new ArrayList<>(0);
        }
        List<Row> rows = engine.fetch(results, max);
        if (!Engine.hasMore(results)) {
            results = null;
        }
        return rows;
    }

    void closeOnWorker(Engine engine) {
        engine.release(results);
        results = null;
        closed = true;
    }

    // ---- API ----

    @Override
    public CompletableFuture<AsyncCursor> execute(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Object[] p = params == null ? new Object[0] : params.clone();
        return worker.submit(engine -> {
            runOnWorker(engine, sql, p, null);
            return this;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> execute(String sql, Map<String, ?> params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(params, "params must not be null");
        return worker.submit(engine -> {
            runOnWorker(engine, sql, null, params);
            return this;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> executeMany(String sql, Iterable<? extends List<?>> paramsSeq) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(paramsSeq, "paramsSeq must not be null");
        return worker.submit(engine -> {
            runManyOnWorker(engine, sql, paramsSeq);
            return this;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> executeScript(String script) {
        Objects.requireNonNull(script, "script must not be null");
        return worker.submit(engine -> {
            runScriptOnWorker(engine, script);
            return this;
        });
    }

    @Override
    public CompletableFuture<Optional<Row>> fetchOne() {
        return worker.submit(engine -> {
            List<Row> rows = fetchOnWorker(engine, 1);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        });
    }

    @Override
    public CompletableFuture<List<Row>> fetchMany(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("fetchMany size must be at least 1, was " + size);
        }
        return worker.submit(engine -> fetchOnWorker(engine, size));
    }

    @Override
    public CompletableFuture<List<Row>> fetchMany() {
        return fetchMany(arraySize);
    }

    @Override
    public CompletableFuture<List<Row>> fetchAll() {
        return worker.submit(engine -> fetchOnWorker(engine, -1));
    }

    @Override
    public Flow.Publisher<Row> rows() {
        return new ChunkedPublisher<>(() -> new ChunkedPublisher.Source<Row>() {
            @Override
            public CompletableFuture<List<Row>> fetch(int n) {
                return fetchMany(n);
            }

            @Override
            public void release(boolean cancelled) {
                if (cancelled) {
                    closeAsync();
                }
            }
        }, this::iterChunkSize);
    }

    @Override
    public CompletableFuture<Long> forEach(Consumer<? super Row> action) {
        Objects.requireNonNull(action, "action must not be null");
        CompletableFuture<Long> result = new CompletableFuture<>();
        forEachChunk(action, 0, result);
        return result;
    }

    private void forEachChunk(Consumer<? super Row> action, long count, CompletableFuture<Long> result) {
        int chunk = iterChunkSize;
        fetchMany(chunk).whenComplete((rows, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            long n = count;
            try {
                for (Row row : rows) {
                    action.accept(row);
                    n++;
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            if (rows.size() < chunk) {
                result.complete(n);
            } else {
                forEachChunk(action, n, result);
            }
        });
    }

    @Override
    public long rowCount() {
        return rowCount;
    }

    @Override
    public long lastRowId() {
        return lastRowId;
    }

    @Override
    public int arraySize() {
        return arraySize;
    }

    @Override
    public void setArraySize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("arraySize must be at least 1, was " + rows);
        }
        this.arraySize = rows;
    }

    @Override
    public int iterChunkSize() {
        return iterChunkSize;
    }

    @Override
    public void setIterChunkSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("iterChunkSize must be at least 1, was " + rows);
        }
        this.iterChunkSize = rows;
    }

    @Override
    public List<Column> description() {
        return description;
    }

    @Override
    public AsyncConnection connection() {
        return connection;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (worker.isCloseRequested()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = worker.submit(engine -> {
            closeOnWorker(engine);
            return null;
        });
        // Closing a cursor of a connection that closed meanwhile is not an error.
        return f.exceptionally(e -> null);
    }

    @Override
    public void close() {
        if (worker.isWorkerThread()) {
            throw new IllegalStateException("AsyncCursor.close() would block the connection's own"
                    + " worker thread; use closeAsync()");
        }
        closeAsync().join();
    }
}
