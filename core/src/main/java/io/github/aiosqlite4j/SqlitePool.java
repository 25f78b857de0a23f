package io.github.aiosqlite4j;

import io.github.aiosqlite4j.internal.pool.DefaultSqlitePool;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One writer and several readers on one SQLite file in WAL mode, so that "database is locked"
 * ({@code SQLITE_BUSY}) does not reach you: SQLite lets many readers run beside one writer, and
 * this pool makes sure there is only one writer.
 *
 * <pre>{@code
 * SqlitePool pool = SqlitePool.open(SqliteConfig.builder("app.db").build(),
 *         PoolOptions.defaults()).join();
 * pool.transaction(s -> s.execute("update account set balance = balance - ? where id = ?", 10, 1)
 *                 + s.execute("update account set balance = balance + ? where id = ?", 10, 2))
 *         .thenCompose(changed -> pool.read(s -> s.query("select sum(balance) from account")))
 *         .thenAccept(rows -> System.out.println(rows.get(0).getLong(0)));
 * ...
 * pool.close();   // drains the writes, checkpoints the WAL, closes every connection
 * }</pre>
 *
 * <h2>Connections and threads</h2>
 *
 * <p>The pool opens one writer connection (journal mode set to WAL) and {@link
 * PoolOptions#readers()} reader connections with {@code PRAGMA query_only=1}, each an {@link
 * AsyncConnection} with its own daemon worker thread. All of them use the {@link SqliteConfig}
 * given to {@link #open}, except that the pool manages transactions itself: every connection runs
 * with {@link IsolationLevel#AUTOCOMMIT}, whatever the configuration says, so a statement outside a
 * body commits by itself and a body's transaction is the one the method below describes
 * ({@link Autocommit#OFF}, which keeps a transaction always open, is refused).
 *
 * <ul>
 *   <li>{@link #read} leases a free reader for the whole body and runs it inside a read
 *       transaction ({@code BEGIN DEFERRED}), so every query of the body sees the same snapshot,
 *       while writes go on beside it.
 *   <li>{@link #transaction} and {@link #write} queue the body on the writer's worker, which runs
 *       bodies one at a time in submission order, each in its own {@code BEGIN IMMEDIATE}
 *       transaction: with a single writer, a read-then-write body never fails with BUSY halfway.
 *   <li>{@link #execute} and {@link #executeFetchAll} route one statement: a read-only statement
 *       ({@code SELECT}, {@code VALUES}, {@code WITH ... SELECT}, {@code EXPLAIN}, a PRAGMA that
 *       only reads) to a reader, anything else to the writer, where it commits by itself.
 * </ul>
 *
 * <p>Bodies run on a worker thread with the synchronous {@link SqliteSession}; the futures are
 * completed on the configuration's completion executor, never on a worker thread (unless the
 * completion executor is {@code Runnable::run}).
 *
 * <h2>Waiting for a reader</h2>
 *
 * <p>A read request that finds every reader busy queues, first come first served. At most {@link
 * PoolOptions#maxWaiters()} requests queue; one more fails at once with {@link
 * java.sql.SQLTransientException}. A queued request that gets no reader within {@link
 * PoolOptions#acquireTimeout()} fails with {@link java.sql.SQLTransientException} whose message
 * names the pool, the number of requests waiting and the timeout. Cancelling a queued request's
 * future removes it from the queue; cancelling a running one interrupts its statement. Failing the
 * future yourself (with {@code orTimeout}, say) does the same: a read or write that has not
 * started never runs, and a running one is stopped and its transaction rolled back, unless it was
 * already committing (then the data is committed although the future failed). Writes
 * queue on the writer's task queue, bounded by {@link SqliteConfig#queueCapacity()} (a full queue
 * fails the new future at once with {@link java.sql.SQLTransientException}).
 *
 * <h2>What the pool refuses</h2>
 *
 * <ul>
 *   <li>An in-memory or temporary database ({@code ":memory:"}, {@code ""}, {@code
 *       file:...?mode=memory}): such a database is private to one connection, so readers could
 *       not see the writer's data. {@link #open} throws {@link IllegalArgumentException}; use one
 *       {@link AsyncConnection} instead.
 *   <li>A journal mode other than WAL: {@link IllegalArgumentException} from {@link #open}.
 *   <li>A file that cannot be written, opened without {@link SqliteConfig#readOnly()}: the future
 *       of {@link #open} fails with {@link java.sql.SQLNonTransientException}.
 * </ul>
 *
 * <p><b>Read-only mode.</b> With {@link SqliteConfig.Builder#readOnly(boolean) readOnly(true)}
 * the pool opens readers only (read-only connections, the journal mode left as it is): {@link
 * #read} and read-only statements work as above; {@link #write}, {@link #transaction} and
 * statements that would write fail at once with {@link java.sql.SQLNonTransientException}.
 *
 * <h2>Per-connection state</h2>
 *
 * <p>Temporary tables, {@code ATTACH}, {@code PRAGMA x=y} and user functions belong to one
 * connection. Set PRAGMAs through {@link SqliteConfig.Builder#pragma}, and register functions,
 * collations and attached databases in {@link SqliteConfig.Builder#onOpen}, so every connection
 * gets them; keep temporary tables inside one body. {@link #execute} refuses transaction control
 * ({@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, {@code SAVEPOINT}, {@code RELEASE}) and
 * {@code ATTACH}/{@code DETACH} with {@link IllegalArgumentException}: use {@link #transaction}.
 *
 * <h2>Group commit</h2>
 *
 * <p>By default every write body commits on its own, and {@link #write} behaves as {@link
 * #transaction}. With {@link PoolOptions.Builder#groupCommit(int) groupCommit(n)}, {@link #write}
 * bodies that queue up behind a running one are committed together, up to {@code n} per
 * transaction: each runs in its own SAVEPOINT (a body that throws is rolled back alone), and no
 * future completes before the shared COMMIT succeeds. It pays where commits are expensive
 * (synchronous=FULL, SQLite's default: one fsync per commit). {@link #transaction} bodies always
 * commit alone; {@code write} bodies keep their order among themselves but may run before a
 * {@code transaction} submitted earlier. A write body must not run {@code COMMIT} or {@code
 * ROLLBACK} itself: that ends the group, and the bodies of the group that had run then fail.
 */
public interface SqlitePool extends AutoCloseable {

    /**
     * Opens a pool: the writer first (it creates the file if needed and switches it to WAL), then
     * the readers in parallel. If any connection fails to open, those already open are closed
     * before the future fails.
     *
     * @param config the connection settings shared by every connection of the pool; its journal
     *     mode must be unset or {@link SqliteConfig.JournalMode#WAL}, its {@link
     *     SqliteConfig#autocommit() autocommit} must not be {@link Autocommit#OFF}, and its
     *     isolation level is ignored (see the class comment)
     * @param options the pool settings
     * @return a future completed with the open pool (on the configuration's completion executor),
     *     or failed with the first connection's error ({@link
     *     java.sql.SQLNonTransientConnectionException} if the file cannot be opened, {@link
     *     java.sql.SQLNonTransientException} if it cannot be written or switched to WAL)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the database is in memory or temporary, the journal
     *     mode is not WAL, or autocommit is {@link Autocommit#OFF}
     */
    static CompletableFuture<SqlitePool> open(SqliteConfig config, PoolOptions options) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return DefaultSqlitePool.open(config, options);
    }

    /**
     * Runs {@code body} on a free reader, inside a read transaction: all its queries see one
     * consistent snapshot of the database. The reader connection is {@code query_only}, so a
     * statement that tries to write fails with {@link java.sql.SQLNonTransientException}.
     *
     * @param body the work, run on the reader's worker thread with its synchronous session
     * @param <T> the result type
     * @return a future completed with the body's result, or failed with the body's exception,
     *     with {@link java.sql.SQLTransientException} if no reader was free in time or too many
     *     requests wait, or with {@link java.sql.SQLNonTransientConnectionException} if the pool
     *     is closed
     * @throws NullPointerException if {@code body} is null
     */
    <T> CompletableFuture<T> read(SqlFunction<SqliteSession, T> body);

    /**
     * Runs {@code body} on the writer in its own transaction: {@code BEGIN IMMEDIATE}, the body,
     * {@code COMMIT}; if the body throws, {@code ROLLBACK}. Bodies run one at a time, in the
     * order they were submitted.
     *
     * @param body the work, run on the writer's worker thread with its synchronous session
     * @param <T> the result type
     * @return a future completed with the body's result once it is committed, or failed with the
     *     body's exception (after the rollback), with {@link java.sql.SQLNonTransientException}
     *     in read-only mode, or with {@link java.sql.SQLNonTransientConnectionException} if the
     *     pool is closed
     * @throws NullPointerException if {@code body} is null
     */
    <T> CompletableFuture<T> transaction(SqlFunction<SqliteSession, T> body);

    /**
     * Runs {@code body} on the writer, atomically, committed before the future completes. Without
     * group commit (the default) this is {@link #transaction(SqlFunction)}. With {@link
     * PoolOptions.Builder#groupCommit(int)}, the body may share one {@code BEGIN IMMEDIATE}
     * transaction with other write bodies queued beside it, inside its own SAVEPOINT (see the
     * class comment).
     *
     * @param body the work, run on the writer's worker thread with its synchronous session
     * @param <T> the result type
     * @return a future completed with the body's result once it is committed, or failed with the
     *     body's exception (its savepoint rolled back), with the shared COMMIT's error, or as
     *     {@link #transaction(SqlFunction)} fails
     * @throws NullPointerException if {@code body} is null
     */
    <T> CompletableFuture<T> write(SqlFunction<SqliteSession, T> body);

    /**
     * Runs one statement, routed by what it does: a read-only statement on a free reader,
     * anything else on the writer, where it commits by itself. Rows are discarded.
     *
     * @param sql one SQL statement
     * @param params positional parameter values
     * @return a future completed with the rows changed by a statement that starts with INSERT,
     *     UPDATE, DELETE or REPLACE (with or without RETURNING), else -1 (as Python's {@code
     *     rowcount}: also for {@code WITH ... INSERT}; see {@link AsyncCursor#rowCount()}), or
     *     failed as {@link #read} or {@link #transaction} fail
     * @throws NullPointerException if {@code sql} is null
     * @throws IllegalArgumentException for transaction control or {@code ATTACH}/{@code DETACH}
     */
    CompletableFuture<Long> execute(String sql, Object... params);

    /**
     * Runs one statement and returns its rows, routed as {@link #execute} routes: {@code SELECT}
     * to a reader, {@code INSERT ... RETURNING} to the writer.
     *
     * @param sql one SQL statement
     * @param params positional parameter values
     * @return a future completed with every row, or failed as {@link #read} or {@link
     *     #transaction} fail
     * @throws NullPointerException if {@code sql} is null
     * @throws IllegalArgumentException for transaction control or {@code ATTACH}/{@code DETACH}
     */
    CompletableFuture<List<Row>> executeFetchAll(String sql, Object... params);

    /**
     * Runs one statement and maps its rows, routed as {@link #execute} routes. The mapper runs on
     * the connection's worker thread.
     *
     * @param sql one SQL statement
     * @param mapper maps each row
     * @param params positional parameter values
     * @param <T> the mapped type
     * @return a future completed with the mapped rows, or failed with the mapper's exception or
     *     as {@link #read} or {@link #transaction} fail
     * @throws NullPointerException if {@code sql} or {@code mapper} is null
     * @throws IllegalArgumentException for transaction control or {@code ATTACH}/{@code DETACH}
     */
    <T> CompletableFuture<List<T>> executeFetchAll(String sql, RowMapper<T> mapper, Object... params);

    /**
     * A live query on the pool, as {@link AsyncConnection#watch(String, Object...)}: the writer's
     * commit hooks tell which tables changed, and each re-query runs on a reader, in a read
     * transaction that begins after the commit returned, so a watcher never blocks a write.
     * Commits of other processes are noticed through the writer's {@code PRAGMA data_version}
     * ({@link SqliteConfig#livePollInterval()}); a read-only pool, which has no writer, re-queries
     * at that interval instead. Watchers complete when the pool closes.
     *
     * @param sql one read-only statement
     * @param params positional parameter values
     * @return a cold publisher; each subscription is one watcher
     * @throws NullPointerException if {@code sql} is null
     * @throws IllegalArgumentException if {@code sql} is not one read-only statement
     */
    java.util.concurrent.Flow.Publisher<List<Row>> watch(String sql, Object... params);

    /**
     * A live query of mapped rows on the pool: see {@link #watch(String, Object...)}.
     *
     * @param sql one read-only statement
     * @param mapper maps each row (on a reader's worker thread)
     * @param params positional parameter values
     * @param <T> the mapped type
     * @return a cold publisher; each subscription is one watcher
     * @throws NullPointerException if {@code sql} or {@code mapper} is null
     * @throws IllegalArgumentException if {@code sql} is not one read-only statement
     */
    <T> java.util.concurrent.Flow.Publisher<List<T>> watch(String sql, RowMapper<T> mapper, Object... params);

    /**
     * A snapshot of the pool's gauges and counters. Cheap; any thread.
     *
     * @return the current metrics
     */
    PoolMetrics metrics();

    /** {@return the pool's name ({@link PoolOptions#name()})} */
    String name();

    /** {@return whether the pool is read-only (no writer; see the class comment)} */
    boolean isReadOnly();

    /** {@return whether {@link #closeAsync()} or {@link #close()} has been called} */
    boolean isClosed();

    /**
     * Closes the pool. New requests fail at once from now on; requests already accepted finish:
     * queued and running reads, and every write already submitted. Then the readers close, the
     * writer runs {@code PRAGMA wal_checkpoint(TRUNCATE)} and closes, which leaves no WAL
     * content behind. Idempotent: every call returns the same future.
     *
     * @return a future completed when every connection is closed and every worker thread ended;
     *     a failing checkpoint or close is logged, and does not fail it
     */
    CompletableFuture<Void> closeAsync();

    /**
     * {@link #closeAsync()} and wait for it, for try-with-resources.
     *
     * @throws IllegalStateException if called on one of the pool's worker threads (inside a
     *     body), where waiting would never end
     */
    @Override
    void close();
}
