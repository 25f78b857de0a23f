package io.github.aiosqlite4j;

import java.sql.SQLException;
import java.util.List;

/**
 * The synchronous view of a connection handed to {@link AsyncConnection#run}, {@link
 * AsyncConnection#transaction} bodies. It is only valid on the connection's worker thread, during
 * the body; every call runs at once, without a thread hop, and no other caller's work can
 * interleave with the body's statements.
 *
 * <p>Do not keep it after the body returns, and do not wait on futures of the same connection
 * inside the body (that fails with {@link IllegalStateException}: the worker is busy running the
 * body).
 */
public interface SqliteSession {
    /**
     * Runs one statement and discards any rows.
     *
     * @param sql one SQL statement
     * @param params positional parameter values
     * @return the rows changed, or -1 for a statement that reports none, by the rule of {@link
     *     AsyncCursor#rowCount()} (its RETURNING rows are all read first)
     * @throws SQLException if the statement fails (categorised as for futures)
     */
    long execute(String sql, Object... params) throws SQLException;

    /**
     * Runs a query and returns all rows.
     *
     * @param sql one SQL statement
     * @param params positional parameter values
     * @return the rows
     * @throws SQLException if the statement fails
     */
    List<Row> query(String sql, Object... params) throws SQLException;

    /**
     * Runs a query and maps all rows.
     *
     * @param sql one SQL statement
     * @param mapper maps each row
     * @param params positional parameter values
     * @param <T> the mapped type
     * @return the mapped rows
     * @throws SQLException if the statement or the mapper fails
     */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException;

    /**
     * Runs one statement once per parameter list.
     *
     * @param sql one SQL statement that returns no rows
     * @param paramsSeq one parameter list per execution
     * @return the total rows changed, or -1 for a statement that reports none (see {@link
     *     AsyncCursor#rowCount()})
     * @throws SQLException if an execution fails (earlier executions stay applied), or, before
     *     any, if the statement returns rows or the text holds no statement
     */
    long executeMany(String sql, Iterable<? extends List<?>> paramsSeq) throws SQLException;

    /**
     * Runs a script of statements separated by semicolons, statement by statement. Inside a
     * {@code transaction} body the script runs inside the body's transaction; elsewhere (a {@code
     * run} body) it commits an open transaction first under {@link Autocommit#LEGACY} transaction
     * control, as {@link AsyncConnection#executeScript} does.
     *
     * @param script the script
     * @throws SQLException if a statement fails; the statements before it stay applied
     */
    void executeScript(String script) throws SQLException;

    /**
     * Runs {@code body} in a nested transaction: a SAVEPOINT released when the body returns and
     * rolled back to when it throws (the exception is rethrown). Outside any transaction it
     * behaves like {@link AsyncConnection#transaction}.
     *
     * @param body the work
     * @param <T> the result type
     * @return the body's result
     * @throws SQLException if the body or the savepoint statements fail
     */
    <T> T transaction(SqlFunction<SqliteSession, T> body) throws SQLException;

    /** {@return {@code last_insert_rowid()} after the last INSERT/REPLACE run through this connection} */
    long lastRowId();

    /** {@return the rows changed by the last statement run through this session} */
    long changes();

    /** {@return whether a transaction is open} */
    boolean inTransaction();
}
