package io.github.aiosqlite4j;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A cursor over the results of one statement at a time, the twin of Python's {@code
 * sqlite3.Cursor}: the fetching side ({@link #fetchOne()}, {@link #rows()}, the properties, and
 * how it is queued on the worker) is described in {@link TypedCursor}; its rows are {@link Row}s.
 * An {@code AsyncCursor} can run further statements; for rows of your own type, see {@link
 * AsyncConnection#executeMapped(String, RowMapper, Object...)}.
 */
public interface AsyncCursor extends TypedCursor<Row> {

    /**
     * Runs one statement with positional parameters ({@code ?}, {@code ?NNN}) and makes its rows
     * available to the fetch methods.
     *
     * @param sql one SQL statement
     * @param params the parameter values, bound in order
     * @return a future completed with this cursor
     * @throws NullPointerException if {@code sql} is null
     */
    CompletableFuture<AsyncCursor> execute(String sql, Object... params);

    /**
     * Runs one statement with named parameters ({@code :name}, {@code @name}, {@code $name}).
     *
     * @param sql one SQL statement
     * @param params values by name, without the prefix character (extra entries are ignored)
     * @return a future completed with this cursor
     * @throws NullPointerException if an argument is null
     */
    CompletableFuture<AsyncCursor> execute(String sql, java.util.Map<String, ?> params);

    /**
     * Runs one DML statement once per parameter list. The iterable is consumed on the worker.
     *
     * @param sql one SQL statement that returns no rows
     * @param paramsSeq one parameter list per execution
     * @return a future completed with this cursor; {@link #rowCount()} is the total of changes
     *     ({@code -1} for a statement that reports none); failed with a {@code SQLException} of
     *     SQLState {@code 07001}, before any execution, if the statement returns rows or the text
     *     holds no statement
     * @throws NullPointerException if an argument is null
     */
    CompletableFuture<AsyncCursor> executeMany(String sql, Iterable<? extends List<?>> paramsSeq);

    /**
     * Runs a script of SQL statements separated by semicolons, without parameters. Under {@link
     * Autocommit#LEGACY} transaction control an open transaction is committed first, whatever the
     * isolation level (as Python does). On an error, the statements before it stay applied and
     * the rest do not run.
     *
     * @param script the SQL script
     * @return a future completed with this cursor
     * @throws NullPointerException if {@code script} is null
     */
    CompletableFuture<AsyncCursor> executeScript(String script);
}
