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
 * The cursor.
 *
 * <p>Read-ahead: when a statement returns rows, the task that executes it also reads the first
 * rows (up to {@link #READ_AHEAD_ROWS} and the cursor's chunk size, for at most {@link
 * #READ_AHEAD_NANOS}) into {@code ahead},
 * so small results are complete, and their statement reset (read lock dropped), in that one hop.
 * A fetch the buffer can answer on its own, issued while no task of this cursor is queued or
 * running, completes at once on the caller's thread; so does closing a cursor whose rows are all
 * read. Otherwise the fetch goes to the worker, which drains the buffer first, keeping order. An
 * error met while reading ahead is kept and raised by the fetch that reaches it, as SQLite would
 * have raised it then.
 *
 * <p>{@link Engine.Results} is touched only on the worker; the buffer and the counters are
 * guarded by {@code lock}; the properties users read are volatile fields the worker sets before
 * completing the future that made them current.
 */
final class DefaultCursor implements AsyncCursor {
    /** Rows read ahead by the task that executes a query. */
    static final int READ_AHEAD_ROWS = 64;
    /** Read-ahead stops after this long, so a slow query's first row is not delayed for the rest. */
    static final long READ_AHEAD_NANOS = 100_000;

    private final DefaultAsyncConnection connection;
    private final ConnectionWorker worker;
    private Engine.Results results; // worker only
    private final Object lock = new Object();
    /** Rows read on the worker and not yet handed out. Guarded by lock. */
    private final java.util.ArrayDeque<Row> ahead = new java.util.ArrayDeque<>(1); // grows
    /** The error that ended the read-ahead; raised once ahead is drained. Guarded by lock. */
    private java.sql.SQLException aheadError;
    /** Whether the worker holds a statement with rows beyond ahead. Guarded by lock. */
    private boolean more;
    /** Tasks of this cursor queued or running. Guarded by lock. */
    private int inflight;
    private boolean closed; // guarded by lock
    /**
     * The row count of the statement with rows, as the worker last saw it (final once the
     * statement is done); {@link #rowCount} takes it when the last row is handed out, so that a
     * DML statement's RETURNING rows count 0 until then, as in CPython. Guarded by lock.
     */
    private long doneRowCount;
    private volatile long rowCount = -1;
    private volatile long lastRowId;
    private volatile Columns description = Columns.NONE;
    private volatile int arraySize = 1;
    private volatile int iterChunkSize;

    DefaultCursor(DefaultAsyncConnection connection, ConnectionWorker worker) {
        this.connection = connection;
        this.worker = worker;
        this.iterChunkSize = worker.config().iterChunkSize();
    }

    /** Queues a task of this cursor, counted in inflight until it ends or is dropped unrun. */
    private <T> CompletableFuture<T> submit(Task.Work<T> work) {
        synchronized (lock) {
            inflight++;
        }
        return worker.submit(engine -> {
            try {
                return work.run(engine);
            } finally {
                synchronized (lock) {
                    inflight--;
                }
            }
        }, () -> {
            synchronized (lock) {
                inflight--;
            }
        });
    }

    // ---- worker-side helpers, called inside tasks ----

    private void reset(Engine engine) throws java.sql.SQLException {
        synchronized (lock) {
            if (closed) {
                throw Errors.closedCursor();
            }
            ahead.clear();
            aheadError = null;
            more = false;
        }
        engine.release(results);
        results = null;
    }

    /** Worker: run a statement on this cursor, reading its first rows ahead. */
    void runOnWorker(Engine engine, String sql, Object[] positional, Map<String, ?> named)
            throws java.sql.SQLException {
        reset(engine);
        Engine.Results r = engine.execute(sql, positional, named);
        adopt(engine, r);
        if (results != null) {
            List<Row> rows = new ArrayList<>();
            java.sql.SQLException error = null;
            try {
                // At most one chunk: a cursor whose chunk size was lowered before execute (R2DBC's
                // fetchSize) gets no more rows evaluated than it asked for.
                engine.fetchInto(r, rows, Math.min(READ_AHEAD_ROWS, iterChunkSize),
                        System.nanoTime() + READ_AHEAD_NANOS);
            } catch (java.sql.SQLException e) {
                error = e;
            }
            if (!Engine.hasMore(r)) {
                results = null;
            }
            synchronized (lock) {
                for (int i = 0, n = rows.size(); i < n; i++) {
                    ahead.addLast(rows.get(i)); // addAll would allocate a lambda per call
                }
                aheadError = error;
                more = results != null;
                doneRowCount = r.rowCount;
                publishRowCount();
            }
        }
    }

    /**
     * Holds lock; called when rows were handed out or the statement was stepped: once every row
     * was handed out, rowCount is the statement's final count.
     */
    private void publishRowCount() {
        if (!more && ahead.isEmpty() && aheadError == null) {
            rowCount = doneRowCount;
        }
    }

    private void adopt(Engine engine, Engine.Results r) {
        results = r.rs != null ? r : null;
        rowCount = r.rowCount;
        lastRowId = engine.lastInsertRowId();
        description = r.columns;
    }

    void runManyOnWorker(Engine engine, String sql, Iterable<? extends List<?>> seq)
            throws java.sql.SQLException {
        reset(engine);
        description = Columns.NONE;
        rowCount = engine.executeMany(sql, seq);
    }

    void runScriptOnWorker(Engine engine, String script) throws java.sql.SQLException {
        reset(engine);
        description = Columns.NONE;
        rowCount = -1;
        engine.executeScript(script);
    }

    /** Worker: up to max rows (max &lt; 0: all), from the read-ahead buffer first. */
    List<Row> fetchOnWorker(Engine engine, int max) throws java.sql.SQLException {
        List<Row> rows;
        synchronized (lock) {
            if (closed) {
                throw Errors.closedCursor();
            }
            rows = new ArrayList<>(max < 0 ? ahead.size() + 16 : Math.min(max, 1024));
            take(rows, max);
            if (max < 0 || rows.size() < max) {
                java.sql.SQLException error = aheadError;
                if (error != null) {
                    aheadError = null;
                    throw error;
                }
            }
        }
        Engine.Results r = results;
        if (r != null && (max < 0 || rows.size() < max)) {
            engine.fetchInto(r, rows, max < 0 ? -1 : max - rows.size(), 0L);
        }
        if (r != null && !Engine.hasMore(r)) {
            results = null;
        }
        synchronized (lock) {
            more = results != null;
            if (r != null) {
                doneRowCount = r.rowCount;
            }
            if (r != null || !rows.isEmpty()) {
                publishRowCount();
            }
        }
        return rows;
    }

    /** Moves up to max rows (max &lt; 0: all) from ahead to out. Holds lock. */
    private void take(List<Row> out, int max) {
        while (!ahead.isEmpty() && (max < 0 || out.size() < max)) {
            out.add(ahead.poll());
        }
    }

    /**
     * Caller: answers a fetch from the read-ahead buffer when that is exactly what the worker would
     * answer: nothing of this cursor is queued, the connection is not closing, and the buffer
     * holds enough rows or all that remain.
     *
     * @return the rows, or null if the fetch must go to the worker
     */
    private List<Row> fetchLocally(int max) {
        synchronized (lock) {
            if (inflight != 0 || closed || worker.isCloseRequested()) {
                return null; // the worker answers, or fails the fetch with the right error
            }
            boolean enough = max > 0 && ahead.size() >= max;
            if (!enough && (more || aheadError != null)) {
                return null;
            }
            List<Row> rows = new ArrayList<>(max < 0 ? ahead.size() : Math.min(max, ahead.size()));
            take(rows, max);
            if (!rows.isEmpty()) {
                publishRowCount();
            }
            return rows;
        }
    }

    void closeOnWorker(Engine engine) {
        engine.release(results);
        results = null;
        synchronized (lock) {
            closed = true;
            ahead.clear();
            aheadError = null;
            more = false;
        }
    }

    // ---- API ----

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

    @Override
    public CompletableFuture<Optional<Row>> fetchOne() {
        List<Row> local = fetchLocally(1);
        if (local != null) {
            return CompletableFuture.completedFuture(
                    local.isEmpty() ? Optional.empty() : Optional.of(local.get(0)));
        }
        return submit(engine -> {
            List<Row> rows = fetchOnWorker(engine, 1);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        });
    }

    @Override
    public CompletableFuture<List<Row>> fetchMany(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("fetchMany size must be at least 1, was " + size);
        }
        List<Row> local = fetchLocally(size);
        if (local != null) {
            return CompletableFuture.completedFuture(local);
        }
        return submit(engine -> fetchOnWorker(engine, size));
    }

    @Override
    public CompletableFuture<List<Row>> fetchMany() {
        return fetchMany(arraySize);
    }

    @Override
    public CompletableFuture<List<Row>> fetchAll() {
        List<Row> local = fetchLocally(-1);
        if (local != null) {
            return CompletableFuture.completedFuture(local);
        }
        return submit(engine -> fetchOnWorker(engine, -1));
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
        int chunk = iterChunkSize;
        java.util.ArrayDeque<CompletableFuture<List<Row>>> pending = new java.util.ArrayDeque<>();
        for (int i = 0; i < ChunkedPublisher.MAX_IN_FLIGHT; i++) {
            pending.addLast(fetchMany(chunk));
        }
        forEachFrom(pending, chunk, action, 0, result);
        return result;
    }

    /**
     * Handles chunks as they arrive, keeping {@link ChunkedPublisher#MAX_IN_FLIGHT} fetches queued
     * (the worker reads ahead while the action runs, and finds the next fetch waiting when it
     * finishes one), and loops instead of recursing over chunks that are already there, so no
     * stack grows with the number of chunks. Fetches queued past the end return nothing and are
     * ignored, as are those after a failure.
     */
    private void forEachFrom(java.util.ArrayDeque<CompletableFuture<List<Row>>> pending, int chunk,
            Consumer<? super Row> action, long count, CompletableFuture<Long> result) {
        long n = count;
        while (true) {
            CompletableFuture<List<Row>> f = pending.peekFirst();
            if (!f.isDone()) {
                long soFar = n;
                f.whenComplete((rows, error) -> forEachFrom(pending, chunk, action, soFar, result));
                return;
            }
            pending.pollFirst();
            List<Row> rows;
            try {
                rows = f.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                result.completeExceptionally(Errors.unwrap(e));
                return;
            }
            boolean end = rows.size() < chunk;
            if (!end) {
                pending.addLast(fetchMany(chunk));
            }
            try {
                for (Row row : rows) {
                    action.accept(row);
                    n++;
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            if (end) {
                result.complete(n);
                return;
            }
        }
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
        return description.description();
    }

    @Override
    public AsyncConnection connection() {
        return connection;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        synchronized (lock) {
            if (closed || worker.isCloseRequested()) {
                closed = true;
                return CompletableFuture.completedFuture(null);
            }
            if (inflight == 0 && !more) {
                // Nothing held on the worker: the statement was reset when its last row was read.
                closed = true;
                ahead.clear();
                aheadError = null;
                return CompletableFuture.completedFuture(null);
            }
        }
        // Closing a cursor of a connection that closed meanwhile is not an error: the connection
        // released the statement; such a task is failed unrun, and this turns it into success.
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> f = submit(engine -> {
            closeOnWorker(engine);
            return null;
        });
        f.whenComplete((v, e) -> done.complete(null));
        return done;
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
