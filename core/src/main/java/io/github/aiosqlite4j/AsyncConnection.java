package io.github.aiosqlite4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * An open SQLite connection driven asynchronously: the Java twin of Python's {@code
 * aiosqlite.Connection}. Obtain one from {@link AioSqlite#connect(String)}.
 *
 * <h2>Threads and order</h2>
 *
 * <p>The connection owns one daemon worker thread. Every method that returns a future queues one
 * task: tasks run on the worker one at a time, in the order they were submitted (from any number
 * of threads), and each future is completed on the configured completion executor, in that
 * order; a thread blocked in {@code join()}/{@code get()} on a future instead completes that
 * future itself as soon as its result is ready (user callbacks never run on the worker, unless
 * the completion executor is {@code Runnable::run}). Methods never block the caller, except
 * {@link #close()}. A full queue fails the new future at once with {@link
 * java.sql.SQLTransientException}; after {@link #closeAsync()} every new call fails at once with
 * {@link java.sql.SQLNonTransientConnectionException}.
 *
 * <h2>Cancellation</h2>
 *
 * <p>{@code future.cancel(true)} on a future this connection returned removes the task if it has
 * not started; if it is running, its running statement is aborted (by the progress handler,
 * within a few hundred SQLite VM instructions; that statement only), no further statement of the
 * task starts, and the connection stays usable. {@link #interrupt()} interrupts whatever runs now
 * ({@code sqlite3_interrupt}). As {@link CompletableFuture#cancel} requires, the future completes
 * with {@link java.util.concurrent.CancellationException} at once: a cancel that arrives when a
 * task is already past its last statement (a {@link #transaction} whose COMMIT has run) does not
 * undo it. A cancelled {@code transaction} is otherwise rolled back as a whole; it is never left
 * half-applied.
 *
 * <h2>Transactions</h2>
 *
 * <p>Transactions follow Python's {@code sqlite3}, in the mode {@link #autocommit()} names. By
 * default ({@link Autocommit#LEGACY}, Python's legacy transaction control) an
 * INSERT/UPDATE/DELETE/REPLACE opens a transaction implicitly unless the isolation level is {@link
 * IsolationLevel#AUTOCOMMIT}; it stays open until {@link #commit()} or {@link #rollback()}. With
 * {@link Autocommit#ON} nothing is opened implicitly; with {@link Autocommit#OFF} a transaction is
 * always open (PEP 249). Statements from other callers of the same connection run inside an open
 * transaction, as in aiosqlite. Closing a connection never commits: uncommitted changes are
 * rolled back.
 *
 * <h2>Errors</h2>
 *
 * <p>Futures fail with {@link java.sql.SQLException} subclasses by SQLite result code (see {@link
 * SqliteError}). Null arguments throw {@link NullPointerException} at once, before a future exists.
 */
public interface AsyncConnection extends AutoCloseable {

    /**
     * Runs one statement with positional parameters ({@code ?} and {@code ?NNN}) on a new cursor.
     *
     * @param sql one SQL statement (text after the first statement is an error)
     * @param params parameter values: null, Long/Integer/Short/Byte, Double/Float, Boolean, String,
     *     byte[]
     * @return a future completed with a new cursor positioned before the first row
     * @throws NullPointerException if {@code sql} is null
     */
    CompletableFuture<AsyncCursor> execute(String sql, Object... params);

    /**
     * Runs one statement with named parameters ({@code :name}, {@code @name}, {@code $name}) on a
     * new cursor.
     *
     * @param sql one SQL statement
     * @param params values by parameter name, without the prefix character; a name the statement
     *     uses but the map lacks fails the future; extra entries are ignored
     * @return a future completed with a new cursor
     * @throws NullPointerException if an argument is null
     */
    CompletableFuture<AsyncCursor> execute(String sql, Map<String, ?> params);

    /**
     * Runs one statement with positional parameters on a new cursor whose rows are mapped: the
     * Java twin of a Python cursor with a {@code row_factory}. The cursor's fetches, {@link
     * TypedCursor#rows()} and {@link TypedCursor#forEach} give the mapper's values. The mapper runs
     * on the worker thread as rows are read, starting with the rows read ahead before the future
     * completes; if it throws (or returns null), the fetch that reaches that row fails with its
     * exception (see {@link TypedCursor}). For records by column name: {@link
     * RowMapper#forRecord}. (Not an {@code execute} overload: {@code execute(sql, null, 1)} must
     * keep binding a NULL.)
     *
     * <pre>{@code
     * record User(long id, String name) {}
     * db.executeMapped("select id, name from users where age > ?",
     *                 RowMapper.forRecord(User.class), 25)
     *         .thenCompose(TypedCursor::fetchAll)      // List<User>
     * }</pre>
     *
     * @param sql one SQL statement
     * @param mapper maps each row; must not return null
     * @param params positional parameter values
     * @param <T> the mapped type
     * @return a future completed with a new cursor positioned before the first row
     * @throws NullPointerException if {@code sql} or {@code mapper} is null
     */
    <T> CompletableFuture<TypedCursor<T>> executeMapped(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs one statement once per parameter list, on a new cursor. The iterable is consumed on
     * the worker thread.
     *
     * @param sql one SQL statement that returns no rows
     * @param paramsSeq one parameter list per execution
     * @return a future completed with the cursor; its row count is the total of changes (see
     *     {@link AsyncCursor#executeMany}, which fails as this does)
     * @throws NullPointerException if an argument is null
     */
    CompletableFuture<AsyncCursor> executeMany(String sql, Iterable<? extends List<?>> paramsSeq);

    /**
     * Runs a script of statements separated by semicolons, without parameters. Under {@link
     * Autocommit#LEGACY} transaction control an open transaction is committed first, whatever the
     * isolation level (also one opened by an explicit {@code BEGIN}), as Python does; with {@link
     * Autocommit#ON} or {@link Autocommit#OFF} the script runs as it is, inside a transaction if
     * one is open. If a statement fails, those before it stay applied and the rest do not run.
     *
     * @param script the script
     * @return a future completed with a new cursor
     * @throws NullPointerException if {@code script} is null
     */
    CompletableFuture<AsyncCursor> executeScript(String script);

    /**
     * Runs a query and returns all its rows, in one round trip to the worker. A {@code SELECT} or
     * {@code VALUES} queued right behind others like it, with no transaction open, runs with them
     * in one read transaction of the worker's own (invisible to {@link #inTransaction()} and to
     * every callback): it sees every commit made before it was requested, and possibly nothing
     * committed after the first of them began.
     *
     * @param sql one SQL statement
     * @param params positional parameter values
     * @return a future completed with every row
     * @throws NullPointerException if {@code sql} is null
     */
    CompletableFuture<List<Row>> executeFetchAll(String sql, Object... params);

    /**
     * Runs a query and maps all its rows, in one round trip. The mapper runs on the worker thread.
     *
     * @param sql one SQL statement
     * @param mapper maps each row; if it throws, the future fails with that exception
     * @param params positional parameter values
     * @param <T> the mapped type
     * @return a future completed with the mapped rows, in order
     * @throws NullPointerException if {@code sql} or {@code mapper} is null
     */
    <T> CompletableFuture<List<T>> executeFetchAll(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs an INSERT and returns the new row's rowid ({@code last_insert_rowid()}), in one round
     * trip.
     *
     * @param sql one INSERT or REPLACE statement
     * @param params positional parameter values
     * @return a future completed with the rowid of the last row inserted
     * @throws NullPointerException if {@code sql} is null
     */
    CompletableFuture<Long> executeInsert(String sql, Object... params);

    /**
     * Creates a cursor that has not executed anything yet.
     *
     * @return a future completed with the new cursor
     */
    CompletableFuture<AsyncCursor> cursor();

    /**
     * Commits the open transaction, as Python's {@code commit()} does in the current {@link
     * #autocommit()} mode: {@link Autocommit#LEGACY} commits if a transaction is open and does
     * nothing otherwise; {@link Autocommit#ON} does nothing; {@link Autocommit#OFF} runs {@code
     * COMMIT} then {@code BEGIN}, so a transaction is open again (if no transaction is open,
     * because a {@code COMMIT} ran as SQL, the future fails with SQLite's "cannot commit - no
     * transaction is active" and nothing is begun).
     *
     * @return a future completed when committed
     */
    CompletableFuture<Void> commit();

    /**
     * Rolls back the open transaction, as Python's {@code rollback()} does in the current {@link
     * #autocommit()} mode: {@link Autocommit#LEGACY} rolls back if a transaction is open and does
     * nothing otherwise; {@link Autocommit#ON} does nothing; {@link Autocommit#OFF} runs {@code
     * ROLLBACK} then {@code BEGIN} (failing as {@link #commit()} does if none is open).
     *
     * @return a future completed when rolled back
     */
    CompletableFuture<Void> rollback();

    /**
     * Whether a transaction is open, as of the last task the worker finished. A plain read, not
     * ordered with queued work (as in Python, where the property is read on the loop thread).
     *
     * @return true if a transaction is open
     */
    boolean inTransaction();

    /**
     * The isolation level: how transactions begin implicitly under {@link Autocommit#LEGACY}
     * transaction control, and the default {@code BEGIN} of {@link #transaction(SqlFunction)}. A
     * plain read, like {@link #inTransaction()}.
     *
     * @return the current isolation level
     */
    IsolationLevel isolationLevel();

    /**
     * Changes the isolation level. Switching to {@link IsolationLevel#AUTOCOMMIT} also runs
     * {@link #commit()}, as Python does when {@code isolation_level} is set to {@code None} (in
     * {@link Autocommit#OFF} mode that commits and begins again).
     *
     * @param level the new level
     * @return a future completed when the change is in effect for later statements
     * @throws NullPointerException if {@code level} is null
     */
    CompletableFuture<Void> setIsolationLevel(IsolationLevel level);

    /**
     * Who opens and ends transactions (Python 3.12's {@code Connection.autocommit}). A plain read,
     * like {@link #inTransaction()}.
     *
     * @return the current mode
     */
    Autocommit autocommit();

    /**
     * Changes who opens and ends transactions, as assigning Python's {@code
     * Connection.autocommit} does: switching to {@link Autocommit#ON} commits an open
     * transaction, switching to {@link Autocommit#OFF} begins one if none is open, switching to
     * {@link Autocommit#LEGACY} runs nothing. As in Python, the new mode is in effect even if that
     * {@code COMMIT} or {@code BEGIN} fails (the future then fails with its error; calling again
     * retries it).
     *
     * @param mode the new mode
     * @return a future completed when the mode is in effect and its COMMIT or BEGIN has run
     * @throws NullPointerException if {@code mode} is null
     */
    CompletableFuture<Void> setAutocommit(Autocommit mode);

    /**
     * The total rows changed by INSERT, UPDATE and DELETE since the connection opened ({@code
     * sqlite3_total_changes64}).
     *
     * @return a future completed with the count
     */
    CompletableFuture<Long> totalChanges();

    /**
     * Registers (or, with a null function, removes) a scalar SQL function.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param fn the function, run on the worker thread; null removes the function (sqlite-jdbc
     *     can only unregister a function declared with {@code nArgs == -1}; for a fixed arity the
     *     function is replaced by one that fails with "no such function: NAME" when called)
     * @param deterministic true if the same arguments always give the same result, which lets
     *     SQLite use it in indexes and optimise calls
     * @return a future completed when the function is registered
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code nArgs} is below -1 or above 127
     */
    CompletableFuture<Void> createFunction(String name, int nArgs, ScalarFunction fn, boolean deterministic);

    /**
     * Registers (or, with a null factory, removes) an aggregate SQL function. SQLite asks the
     * factory for a new instance per group.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param factory makes one aggregate per group; null removes the aggregate (sqlite-jdbc can
     *     only unregister the {@code nArgs == -1} variant)
     * @return a future completed when registered
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code nArgs} is below -1 or above 127
     */
    CompletableFuture<Void> createAggregate(String name, int nArgs,
            java.util.function.Supplier<? extends AggregateFunction> factory);

    /**
     * Registers (or, with a null factory, removes) an aggregate window function.
     *
     * @param name the SQL name
     * @param nArgs the number of arguments, or -1 for any number
     * @param factory makes one window function per partition
     * @return a future completed when registered
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code nArgs} is below -1 or above 127
     */
    CompletableFuture<Void> createWindowFunction(String name, int nArgs,
            java.util.function.Supplier<? extends WindowFunction> factory);

    /**
     * Registers (or, with null, removes) a collation usable in {@code COLLATE name}, ORDER BY and
     * indexes. The comparator runs on the worker thread; if it throws, the statement fails with
     * that exception as the cause (SQLite itself cannot fail a comparison, so the rows compared
     * after the failure are treated as equal until the statement stops).
     *
     * @param name the collation name
     * @param collation the comparator, or null to remove the collation
     * @return a future completed when registered
     * @throws NullPointerException if {@code name} is null
     */
    CompletableFuture<Void> createCollation(String name, java.util.Comparator<String> collation);

    /**
     * Runs {@code body} on the worker as one transaction: {@code BEGIN} at the connection's
     * isolation level ({@code DEFERRED} when it is {@link IsolationLevel#AUTOCOMMIT}), the body,
     * then {@code COMMIT}; if the body throws, {@code ROLLBACK} and the future fails with the
     * body's exception. No other caller's statement can interleave. If a transaction is already
     * open (an implicit one, or always under {@link Autocommit#OFF}), the body runs inside a
     * SAVEPOINT instead: it is undone alone if it throws, and otherwise committed with the open
     * transaction. {@link SqliteSession#executeScript} inside the body never commits the
     * body's transaction.
     *
     * @param body the work, given a synchronous session
     * @param <T> the result type
     * @return a future completed with the body's result
     * @throws NullPointerException if {@code body} is null
     */
    <T> CompletableFuture<T> transaction(SqlFunction<SqliteSession, T> body);

    /**
     * Like {@link #transaction(SqlFunction)} with an explicit {@code BEGIN} level. {@code
     * IMMEDIATE} takes the write lock at once, so a read-then-write body cannot fail with BUSY
     * halfway.
     *
     * @param level DEFERRED, IMMEDIATE or EXCLUSIVE
     * @param body the work
     * @param <T> the result type
     * @return a future completed with the body's result
     * @throws IllegalArgumentException if {@code level} is AUTOCOMMIT
     */
    <T> CompletableFuture<T> transaction(IsolationLevel level, SqlFunction<SqliteSession, T> body);

    /**
     * Runs {@code body} on the worker: many statements in one thread hop, with no transaction
     * implied (the connection's implicit-transaction rules apply as usual).
     *
     * @param body the work, given a synchronous session
     * @param <T> the result type
     * @return a future completed with the body's result, or failed with the body's exception
     * @throws NullPointerException if {@code body} is null
     */
    <T> CompletableFuture<T> run(SqlFunction<SqliteSession, T> body);

    /**
     * Escape hatch: runs {@code body} on the worker with the raw sqlite-jdbc {@link
     * java.sql.Connection}. Do not close it, switch it out of auto-commit, or keep it after the
     * body returns. Transactions begun or ended through it are not seen by {@link
     * #inTransaction()} except for rollbacks.
     *
     * @param body the work
     * @param <T> the result type
     * @return a future completed with the body's result, or failed with the body's exception;
     *     an error SQLite reported through the raw connection (sqlite-jdbc's {@code
     *     SQLiteException}) arrives categorised like any other, with the original as its cause
     * @throws NullPointerException if {@code body} is null
     */
    <T> CompletableFuture<T> withJdbc(SqlFunction<java.sql.Connection, T> body);

    /**
     * Reads a run-time limit.
     *
     * @param limit which limit
     * @return a future completed with its current value
     */
    CompletableFuture<Integer> getLimit(SqliteLimit limit);

    /**
     * Changes a run-time limit (SQLite caps it at its compile-time maximum).
     *
     * @param limit which limit
     * @param value the new value, zero or more
     * @return a future completed with the previous value
     * @throws IllegalArgumentException if {@code value} is negative
     */
    CompletableFuture<Integer> setLimit(SqliteLimit limit, int value);

    /**
     * The database image of a schema, as {@code sqlite3_serialize} gives it.
     *
     * @param schema {@code "main"}, {@code "temp"} or an attached name
     * @return a future completed with the bytes of the database
     */
    CompletableFuture<byte[]> serialize(String schema);

    /**
     * Replaces a schema's content with a database image ({@code sqlite3_deserialize}); the schema
     * becomes an in-memory database.
     *
     * @param schema {@code "main"} or an attached name
     * @param image a database image, as {@link #serialize} returns
     * @return a future completed when replaced; fails if the image is not a database
     */
    CompletableFuture<Void> deserialize(String schema, byte[] image);

    /**
     * Opens one BLOB value of a table in schema {@code main} for incremental I/O, like Python's
     * {@code blobopen}: {@link #blobOpen(String, String, long, boolean, String) blobOpen(table,
     * column, rowId, readOnly, "main")}.
     *
     * @param table the table's name as it is (not quoted SQL: it is never parsed as SQL)
     * @param column the BLOB column
     * @param rowId the row's rowid
     * @param readOnly true to forbid writes
     * @return a future completed with the blob, or failed as the five-argument form
     * @throws NullPointerException if {@code table} or {@code column} is null
     * @throws IllegalArgumentException if one of them contains a NUL character
     */
    default CompletableFuture<AsyncBlob> blobOpen(String table, String column, long rowId, boolean readOnly) {
        return blobOpen(table, column, rowId, readOnly, "main");
    }

    /**
     * Opens one BLOB value for incremental I/O, like Python's {@code blobopen(table, column, row,
     * readonly=..., name=...)}: the table is looked up in {@code schema} only ({@code "main"},
     * {@code "temp"} or an attached database's name, any case). The open runs on the connection's
     * worker thread, queued like any other operation. See {@link AsyncBlob} for how it works with
     * and without the native library, and what it costs.
     *
     * @param table the table's name as it is (not quoted SQL: it is never parsed as SQL)
     * @param column the BLOB column
     * @param rowId the row's rowid
     * @param readOnly true to forbid writes
     * @param schema the schema's name as it is (not quoted SQL either)
     * @return a future completed with the blob; fails with SQLite's error if the schema, table,
     *     column or row does not exist (an unknown schema: {@code "no such table: schema.table"},
     *     as in Python) or the value is not a BLOB (or TEXT, with the native library); the
     *     connection stays usable
     * @throws NullPointerException if {@code table}, {@code column} or {@code schema} is null
     * @throws IllegalArgumentException if one of them contains a NUL character (Python's {@code
     *     ValueError})
     */
    CompletableFuture<AsyncBlob> blobOpen(String table, String column, long rowId, boolean readOnly,
            String schema);

    /**
     * Installs (or, with null, clears) a progress handler called every {@code n} virtual-machine
     * instructions; returning true aborts the running statement with {@code SQLITE_INTERRUPT}.
     *
     * @param handler the handler, or null to clear
     * @param n instructions between calls, at least 1
     * @return a future completed when installed
     * @throws IllegalArgumentException if {@code n < 1} and a handler is given
     */
    CompletableFuture<Void> setProgressHandler(ProgressHandler handler, int n);

    /**
     * Installs (or, with null, clears) a callback that receives every statement this connection
     * runs, as Python's {@code set_trace_callback}: yours, and the {@code BEGIN}/{@code
     * COMMIT}/{@code ROLLBACK} it issues itself; a script statement by statement. With the native
     * library ({@link AioSqlite#nativeFeatures()}) this is SQLite's {@code sqlite3_trace_v2}: the
     * text has the bound values expanded ({@code sqlite3_expanded_sql}; the text as written when
     * the expansion would exceed SQLite's length limit), and each trigger that fires is reported
     * as SQLite's comment {@code "-- TRIGGER name"} (Python 3.11 repeats the outer statement
     * there). Without it, the text as written, before each statement, and no trigger. It runs on
     * the worker thread as the statement starts; an exception it throws is logged and ignored.
     *
     * @param callback the callback, or null to clear
     * @return a future completed when installed
     */
    CompletableFuture<Void> setTraceCallback(Consumer<String> callback);

    /**
     * Installs (or, with null, clears) a profile callback: SQLite's {@code SQLITE_TRACE_PROFILE},
     * each statement with the nanoseconds SQLite spent on it (see {@link ProfileCallback}). An
     * exception it throws is logged and ignored. Needs the native library ({@link
     * AioSqlite#nativeFeatures()}); without it the future fails with {@link
     * java.sql.SQLFeatureNotSupportedException} saying why.
     *
     * @param callback the callback, or null to clear
     * @return a future completed when installed, or failed as above
     */
    CompletableFuture<Void> setProfileCallback(ProfileCallback callback);

    /**
     * Installs (or, with null, removes) SQLite's authorizer ({@code sqlite3_set_authorizer}), as
     * Python's {@code set_authorizer}: SQLite calls it while it prepares a statement, for every
     * action the statement would take, including those of the views, triggers, foreign-key
     * actions and subqueries it involves: each table and column read ({@link
     * Authorizer#SQLITE_READ}), each function called, each row change. It runs on the worker
     * thread. {@link Authorizer#SQLITE_DENY} fails the statement ({@link
     * java.sql.SQLNonTransientException}, "not authorized"); {@link Authorizer#SQLITE_IGNORE}
     * makes a column read NULL, or skips the action; an exception denies and becomes the cause of
     * the statement's error. Installing one expires the statements SQLite has prepared, so each
     * is authorized again before it next runs.
     *
     * <p>This needs aiosqlite4j's native library ({@link AioSqlite#nativeFeatures()}). Without
     * it, the future fails with {@link java.sql.SQLFeatureNotSupportedException} saying why: an
     * authorizer is a security boundary and is never emulated by a weaker one.
     *
     * @param authorizer the authorizer, or null to remove it
     * @return a future completed when installed, or failed as above
     */
    CompletableFuture<Void> setAuthorizer(Authorizer authorizer);

    /**
     * Allows or forbids {@code load_extension()} on this connection (forbidden unless enabled
     * here or in {@link SqliteConfig.Builder#loadExtensionEnabled}).
     *
     * @param enabled true to allow extension loading
     * @return a future completed when changed
     */
    CompletableFuture<Void> enableLoadExtension(boolean enabled);

    /**
     * Loads a SQLite extension from a shared library, calling its default entry point: {@link
     * #loadExtension(String, String) loadExtension(path, null)}.
     *
     * @param path the library path, with or without its file suffix
     * @return a future completed when loaded, or failed as {@link #loadExtension(String, String)}
     * @throws NullPointerException if {@code path} is null
     */
    default CompletableFuture<Void> loadExtension(String path) {
        return loadExtension(path, null);
    }

    /**
     * Loads a SQLite extension from a shared library ({@code sqlite3_load_extension}), like Python
     * 3.12's {@code load_extension(path, entrypoint=...)}.
     *
     * @param path the library path, with or without its file suffix
     * @param entryPoint the name of the library's initialisation function, or null for SQLite's
     *     default ({@code sqlite3_extension_init}, then {@code sqlite3_X_init} with X taken from
     *     the file name)
     * @return a future completed when loaded; fails with {@link java.sql.SQLNonTransientException}
     *     if extension loading is not enabled, or a {@link java.sql.SQLException} with SQLite's
     *     message if the library cannot be loaded, lacks the entry point or its initialisation
     *     fails
     * @throws NullPointerException if {@code path} is null
     */
    CompletableFuture<Void> loadExtension(String path, String entryPoint);

    /**
     * The database as SQL text, one statement per item, exactly the lines of Python's {@code
     * Connection.iterdump()}. Lines are produced on the worker in chunks, on demand.
     *
     * @return a cold publisher of dump lines; each subscription starts a new dump
     */
    default Flow.Publisher<String> iterDump() {
        return iterDump(null);
    }

    /**
     * The database objects whose name matches a {@code LIKE} pattern, as SQL text: Python 3.13's
     * {@code iterdump(filter=...)}. The pattern selects tables (with their rows) and, separately,
     * indexes, triggers and views by their own name, not by the table they belong to; {@code
     * sqlite_sequence} entries are dumped only if the pattern matches {@code sqlite_sequence}.
     * {@code LIKE} ignores ASCII case unless {@code PRAGMA case_sensitive_like} is on.
     *
     * @param filter a {@code LIKE} pattern such as {@code "prefix_%"}; null or empty dumps
     *     everything, as {@link #iterDump()}
     * @return a cold publisher of dump lines; each subscription starts a new dump
     */
    Flow.Publisher<String> iterDump(String filter);

    // ------------------------------------------------------------------------- live queries

    /**
     * A live query: the result of one read-only statement now, and again after every commit that
     * changed a table it reads. The tables come from SQLite (views, CTEs, subqueries, indexes),
     * fixed when a subscription starts. A change rolled back is never seen, a change to another
     * table starts nothing, a burst of commits gives the latest result (never a backlog), and a
     * result equal to the last one emitted is not emitted again. Commits made by other
     * connections or processes are noticed through {@code PRAGMA data_version} at most {@link
     * SqliteConfig#livePollInterval()} after the connection is idle.
     *
     * <p>Each subscription runs the query on this connection's worker when it has demand and
     * something it reads changed; it holds at most the last result emitted, whatever the
     * subscriber's speed. While the connection holds uncommitted changes (an open transaction
     * that wrote), the query waits for that transaction to end. Signals come on the completion
     * executor; {@code onComplete} when the connection closes, {@code onError} when the query
     * fails. Cancelling frees everything; without any subscription, SQLite's update hook is not
     * registered and commits cost nothing extra. Schema changes are not tracked.
     *
     * @param sql one read-only statement
     * @param params positional parameter values
     * @return a cold publisher; each subscription is one watcher
     * @throws NullPointerException if {@code sql} is null
     * @throws IllegalArgumentException if {@code sql} is not one read-only statement
     */
    Flow.Publisher<List<Row>> watch(String sql, Object... params);

    /**
     * A live query of mapped rows: as {@link #watch(String, Object...)}, each row mapped on the
     * worker thread. Results are compared with {@code equals} to skip an unchanged one.
     *
     * @param sql one read-only statement
     * @param mapper maps each row
     * @param params positional parameter values
     * @param <T> the mapped type
     * @return a cold publisher; each subscription is one watcher
     * @throws NullPointerException if {@code sql} or {@code mapper} is null
     * @throws IllegalArgumentException if {@code sql} is not one read-only statement
     */
    <T> Flow.Publisher<List<T>> watch(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Copies this database into another connection's database, replacing its content, as Python's
     * {@code backup}. With the native library ({@link AioSqlite#nativeFeatures()}) SQLite's online
     * backup runs between the two connections ({@code sqlite3_backup_step} with the options' pages,
     * the progress callback after each step with SQLite's status, a sleep when a step met a busy
     * or locked database), holding both connections' workers until it ends; a target in a
     * transaction fails with SQLite's "destination database is in use". Without it, the pages go
     * through a temporary file: copied on this connection's worker, restored on the target's.
     * Either way, an exception the progress callback throws fails the returned future, as in
     * Python: it is not called again, and the target keeps what it held.
     *
     * @param target the connection to overwrite; not this connection
     * @param options pages per step, progress, schema name and sleep
     * @return a future completed when the target holds the copy
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code target} is this connection
     */
    CompletableFuture<Void> backup(AsyncConnection target, BackupOptions options);

    /**
     * Copies this database into a file with SQLite's online backup, replacing the file, on this
     * connection's worker. An exception the progress callback throws fails the returned future; it
     * is not called again, but the copy still runs to its end (sqlite-jdbc's backup cannot be
     * stopped halfway).
     *
     * @param targetFile the file to write
     * @param options pages per step, progress, schema name and sleep
     * @return a future completed when the file is written
     * @throws NullPointerException if an argument is null
     */
    CompletableFuture<Void> backup(Path targetFile, BackupOptions options);

    // ---------------------------------------------------------------------------------------
    // SQLite's C API through the native library (AioSqlite.nativeFeatures()): without it each of
    // these fails with java.sql.SQLFeatureNotSupportedException saying why (removing a callback
    // that is not set succeeds).

    /**
     * A schema's transaction state, SQLite's {@code sqlite3_txn_state}: whether it has no
     * transaction open, a read transaction (it was read since BEGIN) or a write transaction. Runs
     * on the worker, after the work queued before it.
     *
     * @param schema a schema name ({@code "main"}, {@code "temp"}, an attached one), or null for
     *     the highest state of all schemas
     * @return a future completed with the state, or failed with {@link java.sql.SQLException} if
     *     there is no such schema
     */
    CompletableFuture<TxnState> txnState(String schema);

    /**
     * Reads a boolean option of SQLite's {@code sqlite3_db_config}, as Python 3.12's {@code
     * getconfig}.
     *
     * @param op one of the {@link DbConfig} constants
     * @return a future completed with whether the option is on
     * @throws IllegalArgumentException if {@code op} is not one of them ("unknown config", as
     *     Python's ValueError)
     */
    CompletableFuture<Boolean> getConfig(int op);

    /**
     * Sets a boolean option of SQLite's {@code sqlite3_db_config}, as Python 3.12's {@code
     * setconfig}. {@link DbConfig#SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION} cannot be switched on
     * here: aiosqlite4j keeps extension loading off unless {@link #enableLoadExtension(boolean)}
     * or the configuration allows it.
     *
     * @param op one of the {@link DbConfig} constants
     * @param enable the new state
     * @return a future completed with the option's state after the call
     * @throws IllegalArgumentException if {@code op} is not one of them, or is {@code
     *     SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION} with {@code enable} true
     */
    CompletableFuture<Boolean> setConfig(int op, boolean enable);

    /**
     * Reads one of SQLite's connection status counters ({@code sqlite3_db_status}), for metrics:
     * page cache use, hits, misses and writes, lookaside, schema and statement memory.
     *
     * @param op one of the {@code DbStatus.SQLITE_DBSTATUS_*} constants
     * @param reset whether to reset the counter (its highwater, or a hit/miss count) after reading
     * @return a future completed with the counter
     * @throws IllegalArgumentException if {@code op} is not one of the constants
     */
    CompletableFuture<DbStatus> dbStatus(int op, boolean reset);

    /**
     * Installs (or, with null, clears) a callback that receives each finished statement with its
     * run's counters from SQLite's {@code sqlite3_stmt_status} (full scan steps, sorts, automatic
     * index rows, VM steps, runs; see {@link StatementStatus}; the triggers it fired count in
     * it), for metrics that spot missing indexes. It runs on the worker thread as the statement
     * finishes, like the {@link #setProfileCallback profile callback}; an exception it throws is
     * logged and ignored.
     *
     * @param callback the callback, or null to clear
     * @return a future completed when installed
     */
    CompletableFuture<Void> setStatementStatusCallback(Consumer<StatementStatus> callback);

    /**
     * Installs (or, with null, removes) a WAL hook, SQLite's {@code sqlite3_wal_hook}: told of
     * every commit into a WAL database, with the pages the WAL holds (see {@link WalHook}). The
     * automatic checkpoint keeps working (SQLite's own WAL hook does it; ours does it too, at the
     * connection's {@code PRAGMA wal_autocheckpoint} as of this call). Running {@code PRAGMA
     * wal_autocheckpoint} later replaces this hook, as in SQLite.
     *
     * @param hook the hook, or null to remove it
     * @return a future completed when installed
     */
    CompletableFuture<Void> setWalHook(WalHook hook);

    /**
     * Interrupts the statement running on the worker now, if any ({@code sqlite3_interrupt}). Not
     * queued: it acts at once, from any thread. The interrupted statement fails with {@code
     * SQLITE_INTERRUPT}; queued work is not affected.
     */
    void interrupt();

    /**
     * Whether {@link #closeAsync()} or {@link #close()} was called (or the connection failed).
     *
     * @return true once closing has begun
     */
    boolean isClosed();

    /**
     * The number of operations queued on this connection's worker and not started yet (the one
     * running is not counted): the depth of the queue that {@link SqliteConfig#queueCapacity()}
     * bounds, for metrics. It reads the counter that bound is enforced with, so it costs nothing
     * more per operation; a snapshot that may be stale at once. Callable from any thread; does not
     * block.
     *
     * @return the operations waiting now
     */
    int queueDepth();

    /** {@return the configuration this connection was opened with} */
    SqliteConfig config();

    /**
     * Closes the connection after the work already queued has run. Idempotent: every call returns
     * a future completed, after every earlier future of this connection, when the database is
     * closed and the worker thread released: a thread of a configured {@code threadFactory} has
     * ended; a default one is idle, kept up to one second for the next {@code connect()}, then
     * ends. Calls made after this one fail at once. Uncommitted changes are rolled back by SQLite.
     * A thread that calls {@code join()} on the returned future (or {@link #close()}) while the
     * worker is idle, with nothing queued or waiting to complete, closes the database on its own
     * thread instead of waiting for the worker to do it; the default worker thread is then
     * counted idle at once and leaves the connection when it next runs.
     *
     * @return a future completed when closed
     */
    CompletableFuture<Void> closeAsync();

    /**
     * {@link #closeAsync()} and wait for it, for try-with-resources.
     *
     * @throws IllegalStateException if called on this connection's worker thread
     */
    @Override
    void close();
}
