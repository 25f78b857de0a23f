package io.github.aiosqlite4j;

/**
 * Who opens and ends transactions: Python 3.12's {@code sqlite3.Connection.autocommit} ({@link
 * #LEGACY} is {@code LEGACY_TRANSACTION_CONTROL}, {@link #ON} is {@code True}, {@link #OFF} is
 * {@code False}), with the same rules. Set it with {@link SqliteConfig.Builder#autocommit} or
 * {@link AsyncConnection#setAutocommit}; {@link AsyncConnection#inTransaction()} tells whether a
 * transaction is open in every mode.
 *
 * <table class="striped">
 *   <caption>What each mode does</caption>
 *   <tr><th>what</th><th>{@link #LEGACY} (default)</th><th>{@link #ON}</th><th>{@link #OFF}</th></tr>
 *   <tr><td>implicit {@code BEGIN}</td><td>before INSERT/UPDATE/DELETE/REPLACE, at the
 *       {@link IsolationLevel} (none for {@link IsolationLevel#AUTOCOMMIT})</td><td>never</td>
 *       <td>when the connection opens, and after every {@code commit()} and {@code
 *       rollback()}: a transaction is always open</td></tr>
 *   <tr><td>{@code commit()}, {@code rollback()}</td><td>end the open transaction, if
 *       any</td><td>do nothing</td><td>{@code COMMIT} (or {@code ROLLBACK}), then {@code
 *       BEGIN}; fail as SQLite does if no transaction is open (after a {@code COMMIT} run as
 *       SQL)</td></tr>
 *   <tr><td>{@code executeScript}</td><td>commits an open transaction first</td>
 *       <td colspan="2">no implicit transaction control: the script runs as it is</td></tr>
 *   <tr><td>close</td><td colspan="2">no implicit transaction control (SQLite drops what was
 *       not committed)</td><td>{@code ROLLBACK} of the open transaction</td></tr>
 *   <tr><td>{@link IsolationLevel}</td><td>chooses the implicit {@code BEGIN}</td>
 *       <td colspan="2">no effect on statements (it is still the default {@code BEGIN} of
 *       {@link AsyncConnection#transaction(SqlFunction) transaction(body)})</td></tr>
 * </table>
 *
 * <p>Switching to {@link #ON} commits an open transaction; switching to {@link #OFF} begins one
 * if none is open; switching to {@link #LEGACY} runs nothing. {@code BEGIN}, {@code COMMIT},
 * {@code ROLLBACK} and savepoints run as SQL are allowed in every mode (in {@link #OFF} a {@code
 * BEGIN} fails, since a transaction is already open).
 */
public enum Autocommit {
    /**
     * The transaction control of Python's {@code sqlite3} before 3.12 (and still its default):
     * the {@link IsolationLevel} decides. See {@link AsyncConnection} for the rules.
     */
    LEGACY,
    /**
     * SQLite's own autocommit mode: nothing is begun or ended implicitly, so every statement
     * outside a transaction you open yourself commits by itself; {@code commit()} and {@code
     * rollback()} do nothing.
     */
    ON,
    /**
     * PEP 249 manual commit: a transaction ({@code BEGIN DEFERRED}) is always open; {@code
     * commit()} and {@code rollback()} end it and open the next; closing the connection rolls it
     * back. Nothing is visible to other connections until you commit.
     */
    OFF
}
