package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Column;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.RowMapper;
import io.github.aiosqlite4j.TypedCursor;
import io.github.aiosqlite4j.internal.engine.Columns;
import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.engine.Errors;
import io.github.aiosqlite4j.internal.engine.Results;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The cursor: the fetching side, with rows of type {@code T}. {@link RowCursor} adds the {@code
 * AsyncCursor} methods (rows are {@link Row}s, no mapper); a cursor with a {@link RowMapper} maps
 * each row on the worker as it is read, before it enters the read-ahead buffer.
 *
 * <p>Read-ahead: when a statement returns rows, the task that executes it also reads the first
 * rows (up to {@link #READ_AHEAD_ROWS} and the cursor's chunk size, for at most {@link
 * #READ_AHEAD_NANOS}) into {@code ahead},
 * so small results are complete, and their statement reset (read lock dropped), in that one hop.
 * A fetch the buffer can answer on its own, issued while no task of this cursor is queued or
 * running, completes at once on the caller's thread; so does closing a cursor whose rows are all
 * read. Otherwise the fetch goes to the worker, which drains the buffer first, keeping order. An
 * error met while reading ahead is kept with the statement ({@link Results}: one deferred error,
 * one rule) and raised by the fetch that reaches it, once this buffer is drained, as SQLite would
 * have raised it then.
 *
 * <p>A row the mapper failed on (it threw, or returned null) takes its place in the buffer as a
 * {@link Failed} holding the exception: the fetch that reaches it drops the rows it took and fails
 * with it, and the rows behind it stay, as a failing {@code row_factory} behaves in Python. A
 * cursor without a mapper never holds one.
 *
 * <p>{@link Results} is touched only on the worker; the buffer and the counters are
 * guarded by {@code lock}; the properties users read are volatile fields the worker sets before
 * completing the future that made them current.
 */
class DefaultCursor<T> implements TypedCursor<T> {
    /** Rows read ahead by the task that executes a query. */
    static final int READ_AHEAD_ROWS = 64;
    /** Read-ahead stops after this long, so a slow query's first row is not delayed for the rest. */
    static final long READ_AHEAD_NANOS = 100_000;

    private final DefaultAsyncConnection connection;
    private final ConnectionWorker worker;
    /** Null when the rows are the Rows themselves (T is Row). */
    private final RowMapper<T> mapper;
    private Results results; // worker only
    private final Object lock = new Object();
    /** Rows (T, or Failed) read on the worker and not yet handed out. Guarded by lock. */
    private final java.util.ArrayDeque<Object> ahead = new java.util.ArrayDeque<>(1); // grows
    /**
     * Whether the worker holds a statement with rows beyond ahead, or the error that ends them.
     * Guarded by lock.
     */
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

    /**
     * @param mapper maps each row, or null for a cursor whose rows are the Rows (T is Row)
     */
    DefaultCursor(DefaultAsyncConnection connection, ConnectionWorker worker, RowMapper<T> mapper) {
        this.connection = connection;
        this.worker = worker;
        this.mapper = mapper;
        this.iterChunkSize = worker.config().iterChunkSize();
    }

    /** A row the mapper failed on, in the buffer in that row's place. */
    private static final class Failed {
        final Exception error;

        Failed(Exception error) {
            this.error = error;
        }
    }

    /** Queues a task of this cursor, counted in inflight until it ends or is dropped unrun. */
    final <R> CompletableFuture<R> submit(Task.Work<R> work) {
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
        }, true); // a cursor's consumer is streaming: its results are never held for a batch
    }

    // ---- worker-side helpers, called inside tasks ----

    private void reset(Engine engine) throws java.sql.SQLException {
        synchronized (lock) {
            if (closed) {
                throw Errors.closedCursor();
            }
            ahead.clear();
            more = false;
        }
        engine.release(results);
        results = null;
    }

    /** Worker: run a statement on this cursor, reading its first rows ahead. */
    void runOnWorker(Engine engine, String sql, Object[] positional, Map<String, ?> named)
            throws java.sql.SQLException {
        reset(engine);
        Results r = engine.execute(sql, positional, named);
        adopt(engine, r);
        if (results != null) {
            List<Row> rows = new ArrayList<>();
            // At most one chunk: a cursor whose chunk size was lowered before execute (R2DBC's
            // fetchSize) gets no more rows evaluated than it asked for.
            engine.readAhead(r, rows, Math.min(READ_AHEAD_ROWS, iterChunkSize),
                    System.nanoTime() + READ_AHEAD_NANOS);
            if (!Results.hasMore(r)) {
                results = null;
            }
            List<Object> items = mapped(rows);
            synchronized (lock) {
                append(items);
                more = results != null;
                doneRowCount = r.rowCount;
                publishRowCount();
            }
        }
    }

    /**
     * Worker, outside the lock: the rows as buffer items, mapped if this cursor has a mapper (a
     * row the mapper fails on becomes a {@link Failed}); the list itself when it has none.
     */
    @SuppressWarnings("unchecked")
    private List<Object> mapped(List<Row> rows) {
        if (mapper == null) {
            return (List<Object>) (List<?>) rows;
        }
        List<Object> items = new ArrayList<>(rows.size());
        for (int i = 0, n = rows.size(); i < n; i++) {
            Row row = rows.get(i);
            Object item;
            try {
                item = mapper.map(row);
                if (item == null) {
                    item = new Failed(new NullPointerException("the RowMapper returned null for row "
                            + row + "; a cursor's rows cannot be null"));
                }
            } catch (java.sql.SQLException | RuntimeException e) {
                item = new Failed(e);
            }
            items.add(item);
        }
        return items;
    }

    /**
     * Holds lock; called when rows were handed out or the statement was stepped: once every row
     * was handed out, rowCount is the statement's final count.
     */
    private void publishRowCount() {
        if (!more && ahead.isEmpty()) {
            rowCount = doneRowCount;
        }
    }

    private void adopt(Engine engine, Results r) {
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
    @SuppressWarnings("unchecked")
    List<T> fetchOnWorker(Engine engine, int max) throws Exception {
        List<T> rows;
        synchronized (lock) {
            if (closed) {
                throw Errors.closedCursor();
            }
            rows = new ArrayList<>(max < 0 ? ahead.size() + 16 : Math.min(max, 1024));
            take(rows, max, engine);
        }
        List<Object> items = null;
        Results r = results;
        if (r != null && (max < 0 || rows.size() < max)) {
            int wanted = max < 0 ? -1 : max - rows.size();
            if (mapper == null) {
                engine.fetchInto(r, (List<Row>) rows, wanted, 0L); // T is Row
            } else {
                // Through the buffer, so that the rows behind a failed one stay there.
                List<Row> read = new ArrayList<>(wanted < 0 ? 16 : Math.min(wanted, 1024));
                engine.fetchInto(r, read, wanted, 0L);
                items = mapped(read);
            }
        }
        if (r != null && !Results.hasMore(r)) {
            results = null;
        }
        synchronized (lock) {
            more = results != null;
            if (r != null) {
                doneRowCount = r.rowCount;
            }
            try {
                if (items != null) {
                    append(items);
                    take(rows, max, engine);
                }
            } finally {
                if (r != null || !rows.isEmpty()) {
                    publishRowCount();
                }
            }
        }
        return rows;
    }

    /** Adds items at the end of ahead. Holds lock. */
    private void append(List<Object> items) {
        for (int i = 0, n = items.size(); i < n; i++) {
            ahead.addLast(items.get(i)); // addAll would allocate a lambda per call
        }
    }

    /**
     * Moves up to max rows (max &lt; 0: all) from ahead to out; at a row the mapper failed on,
     * takes it, clears out and throws its exception (marked as the user's own when engine, the
     * worker's, is given). Holds lock.
     */
    @SuppressWarnings("unchecked")
    private void take(List<T> out, int max, Engine engine) throws Exception {
        while (!ahead.isEmpty() && (max < 0 || out.size() < max)) {
            Object item = ahead.poll();
            if (item instanceof Failed) {
                out.clear();
                Exception error = ((Failed) item).error;
                if (engine != null) {
                    engine.usersOwn(error); // the mapper's own: the future fails with it as it is
                }
                throw error;
            }
            out.add((T) item);
        }
    }

    /**
     * Caller: answers a fetch from the read-ahead buffer when that is exactly what the worker would
     * answer: nothing of this cursor is queued, the connection is not closing, and the buffer
     * holds enough rows or all that remain.
     *
     * @return the rows, or null if the fetch must go to the worker
     * @throws Exception the exception of a row the mapper failed on, which fails this fetch
     */
    private List<T> fetchLocally(int max) throws Exception {
        synchronized (lock) {
            if (inflight != 0 || closed || worker.isCloseRequested()) {
                return null; // the worker answers, or fails the fetch with the right error
            }
            boolean enough = max > 0 && ahead.size() >= max;
            if (!enough && more) {
                return null;
            }
            List<T> rows = new ArrayList<>(max < 0 ? ahead.size() : Math.min(max, ahead.size()));
            take(rows, max, null);
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
            more = false;
        }
    }

    // ---- API ----

    @Override
    public CompletableFuture<Optional<T>> fetchOne() {
        try {
            List<T> local = fetchLocally(1);
            if (local != null) {
                return CompletableFuture.completedFuture(first(local));
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(engine -> first(fetchOnWorker(engine, 1)));
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    @Override
    public CompletableFuture<List<T>> fetchMany(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("fetchMany size must be at least 1, was " + size);
        }
        return fetch(size);
    }

    @Override
    public CompletableFuture<List<T>> fetchMany() {
        return fetchMany(arraySize);
    }

    @Override
    public CompletableFuture<List<T>> fetchAll() {
        return fetch(-1);
    }

    /** Up to max rows (max &lt; 0: all), from the buffer at once if it can answer, else queued. */
    private CompletableFuture<List<T>> fetch(int max) {
        try {
            List<T> local = fetchLocally(max);
            if (local != null) {
                return CompletableFuture.completedFuture(local);
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(engine -> fetchOnWorker(engine, max));
    }

    @Override
    public Flow.Publisher<T> rows() {
        return new ChunkedPublisher<>(() -> new ChunkedPublisher.Source<T>() {
            @Override
            public CompletableFuture<List<T>> fetch(int n) {
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
    public CompletableFuture<Long> forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action must not be null");
        CompletableFuture<Long> result = new CompletableFuture<>();
        // Every remaining row is wanted: up to four chunks per round trip, as rows() reads for a
        // subscriber that requested everything (W9 at chunk 16: a quarter of the hand-offs).
        int perFetch = (int) Math.min(Integer.MAX_VALUE,
                (long) iterChunkSize * ChunkedPublisher.MAX_CHUNKS_PER_FETCH);
        java.util.ArrayDeque<CompletableFuture<List<T>>> pending = new java.util.ArrayDeque<>();
        for (int i = 0; i < ChunkedPublisher.MAX_IN_FLIGHT; i++) {
            pending.addLast(fetchMany(perFetch));
        }
        forEachFrom(pending, perFetch, action, 0, result);
        return result;
    }

    /**
     * Handles chunks as they arrive, keeping {@link ChunkedPublisher#MAX_IN_FLIGHT} fetches queued
     * (the worker reads ahead while the action runs, and finds the next fetch waiting when it
     * finishes one), and loops instead of recursing over chunks that are already there, so no
     * stack grows with the number of chunks. Fetches queued past the end return nothing and are
     * ignored, as are those after a failure.
     */
    private void forEachFrom(java.util.ArrayDeque<CompletableFuture<List<T>>> pending, int perFetch,
            Consumer<? super T> action, long count, CompletableFuture<Long> result) {
        long n = count;
        while (true) {
            CompletableFuture<List<T>> f = pending.peekFirst();
            if (!f.isDone()) {
                long soFar = n;
                f.whenComplete((rows, error) -> forEachFrom(pending, perFetch, action, soFar, result));
                return;
            }
            pending.pollFirst();
            List<T> rows;
            try {
                rows = f.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                result.completeExceptionally(Errors.unwrap(e));
                return;
            }
            boolean end = rows.size() < perFetch;
            if (!end) {
                pending.addLast(fetchMany(perFetch));
            }
            try {
                for (T row : rows) {
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
