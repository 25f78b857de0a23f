package io.github.aiosqlite4j;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The fetching side of a cursor, with rows of type {@code T}: {@link AsyncCursor} is a {@code
 * TypedCursor<Row>}, and {@link AsyncConnection#executeMapped(String, RowMapper, Object...)}
 * returns a cursor whose rows are mapped, the Java twin of a Python cursor with a {@code
 * row_factory}.
 * Every method that touches SQLite is queued on the owning connection's worker and returns a
 * future completed on the connection's completion executor; the properties ({@link #rowCount()},
 * {@link #lastRowId()}, {@link #description()}) are plain reads of values the worker set when the
 * last {@code execute} completed.
 *
 * <p>A cursor holds a prepared statement and its position until it is re-executed, exhausted or
 * closed. Use it from one logical flow at a time (do not fetch concurrently from two threads);
 * different cursors of the same connection may be used concurrently, their work is serialised on
 * the worker. After the connection closes, every queued method fails with {@link
 * java.sql.SQLNonTransientConnectionException}; {@link #close()} still succeeds.
 *
 * <p><b>Mapped rows.</b> A cursor with a {@link RowMapper} maps each row on the worker thread as
 * it is read (so also while {@code execute} reads the first rows ahead). If the mapper throws,
 * that row is consumed and the fetch that reaches it fails with the mapper's exception; the rows
 * that fetch had gathered before it are dropped and the rows after it stay for the next fetch, as
 * a failing {@code row_factory} behaves in Python. Rows are never null: a mapper that returns null
 * fails its row in the same way, with {@link NullPointerException}.
 *
 * @param <T> the type of the rows: {@link Row}, or what the mapper returns
 */
public interface TypedCursor<T> extends AutoCloseable {

    /**
     * Fetches the next row.
     *
     * @return a future completed with the row, or empty when there are no more rows
     */
    CompletableFuture<Optional<T>> fetchOne();

    /**
     * Fetches up to {@code size} further rows.
     *
     * @param size the most rows to return, at least 1
     * @return a future completed with the rows; fewer than {@code size} (maybe none) at the end
     * @throws IllegalArgumentException if {@code size < 1}
     */
    CompletableFuture<List<T>> fetchMany(int size);

    /**
     * Fetches up to {@link #arraySize()} further rows.
     *
     * @return a future completed with the rows
     */
    CompletableFuture<List<T>> fetchMany();

    /**
     * Fetches every remaining row.
     *
     * @return a future completed with the rows (empty if none remain)
     */
    CompletableFuture<List<T>> fetchAll();

    /**
     * The remaining rows as a publisher: each worker round trip fetches {@link #iterChunkSize()}
     * rows, or up to four times that when the subscriber has requested that many, and no more is
     * fetched than the subscriber has requested plus one chunk. Signals are
     * delivered on the completion executor, serially. Cancelling the subscription stops fetching
     * and closes this cursor (releasing its statement and read lock). A subscription that runs to
     * the end leaves the cursor open (and exhausted); a second subscription continues where the
     * first left off.
     *
     * @return a cold publisher of the remaining rows
     */
    Flow.Publisher<T> rows();

    /**
     * Applies an action to each remaining row, fetched four {@link #iterChunkSize()} chunks per
     * round trip (as {@link #rows()} fetches for a subscriber that requested every row), with at
     * most two round trips ahead of the action. The action runs on the completion executor, one
     * row at a time, in order.
     *
     * @param action the action; if it throws, iteration stops and the future fails with it
     * @return a future completed with the number of rows processed
     * @throws NullPointerException if {@code action} is null
     */
    CompletableFuture<Long> forEach(Consumer<? super T> action);

    /**
     * The rows changed by the last {@code execute}, by Python's {@code rowcount} rule: a statement
     * whose first keyword (after whitespace and comments) is INSERT, UPDATE, DELETE or REPLACE
     * reports the rows it changed (the total over an {@code executeMany}); with {@code RETURNING}
     * it reports 0 until its last row was fetched, then the rows it changed. Any other statement
     * (a {@code WITH ...} DML statement too, a SELECT, DDL, no statement at all) reports -1, as
     * does a cursor before any execute.
     *
     * @return the row count
     */
    long rowCount();

    /**
     * The connection's last inserted rowid as of the last {@code execute} ({@code
     * sqlite3_last_insert_rowid}); 0 if nothing was inserted yet.
     *
     * @return the rowid
     */
    long lastRowId();

    /** {@return the number of rows {@link #fetchMany()} returns (default 1)} */
    int arraySize();

    /**
     * Sets the number of rows {@link #fetchMany()} returns.
     *
     * @param rows at least 1
     * @throws IllegalArgumentException if {@code rows < 1}
     */
    void setArraySize(int rows);

    /** {@return the chunk {@link #rows()} and {@link #forEach} fetch by (see each for how many per round trip)} */
    int iterChunkSize();

    /**
     * Sets the chunk {@link #rows()} and {@link #forEach} fetch by (see each for how many per
     * round trip).
     *
     * @param rows at least 1
     * @throws IllegalArgumentException if {@code rows < 1}
     */
    void setIterChunkSize(int rows);

    /**
     * The result columns of the last statement executed, or an empty list if it returns no rows
     * (Python gives {@code None} there).
     *
     * @return the columns (unmodifiable)
     */
    List<Column> description();

    /** {@return the connection this cursor belongs to} */
    AsyncConnection connection();

    /**
     * Closes the cursor, releasing its statement. Queued like other work; idempotent; completes
     * normally even if the connection is already closed.
     *
     * @return a future completed when the cursor is closed
     */
    CompletableFuture<Void> closeAsync();

    /**
     * Closes the cursor and waits for it, for try-with-resources. Do not call this on the
     * connection's own worker thread (from a callback run by a {@code Runnable::run} completion
     * executor): use {@link #closeAsync()} there.
     *
     * @throws IllegalStateException if called on the connection's worker thread
     */
    @Override
    void close();
}
