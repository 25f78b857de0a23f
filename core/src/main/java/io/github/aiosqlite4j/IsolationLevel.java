package io.github.aiosqlite4j;

/**
 * How a connection opens transactions implicitly under {@link Autocommit#LEGACY} transaction
 * control (the default), as Python's {@code sqlite3} {@code isolation_level} does; with {@link
 * Autocommit#ON} or {@link Autocommit#OFF} it has no effect on statements and only chooses the
 * {@code BEGIN} of {@link AsyncConnection#transaction(SqlFunction)}.
 *
 * <p>With {@link #DEFERRED}, {@link #IMMEDIATE} or {@link #EXCLUSIVE}, the connection issues {@code
 * BEGIN <level>} before an {@code INSERT}, {@code UPDATE}, {@code DELETE} or {@code REPLACE}
 * statement when no transaction is open, and the transaction stays open until {@link
 * AsyncConnection#commit()} or {@link AsyncConnection#rollback()}. With {@link #AUTOCOMMIT} (Python's
 * {@code isolation_level=None}) nothing is begun implicitly: every statement commits by itself
 * unless you issue {@code BEGIN} yourself.
 */
public enum IsolationLevel {
    /** {@code BEGIN DEFERRED}: locks are taken when first needed. The default, as in Python. */
    DEFERRED,
    /** {@code BEGIN IMMEDIATE}: the write lock is taken at once; avoids read-to-write upgrade BUSY. */
    IMMEDIATE,
    /** {@code BEGIN EXCLUSIVE}: also keeps other connections from reading (outside WAL mode). */
    EXCLUSIVE,
    /** No implicit transactions: SQLite's autocommit mode. */
    AUTOCOMMIT;

    /**
     * The SQL that begins a transaction at this level.
     *
     * @return {@code "BEGIN DEFERRED"} etc.
     * @throws IllegalStateException for {@link #AUTOCOMMIT}, which never begins a transaction
     */
    public String beginSql() {
        if (this == AUTOCOMMIT) {
            throw new IllegalStateException("AUTOCOMMIT never begins a transaction implicitly");
        }
        return "BEGIN " + name();
    }
}
