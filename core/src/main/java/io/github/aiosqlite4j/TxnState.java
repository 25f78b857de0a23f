package io.github.aiosqlite4j;

/**
 * A schema's transaction state, SQLite's {@code sqlite3_txn_state}: from {@link
 * AsyncConnection#txnState(String)}.
 */
public enum TxnState {
    /** No transaction is open ({@code SQLITE_TXN_NONE}). */
    NONE,
    /** A read transaction is open: the schema was read, not written ({@code SQLITE_TXN_READ}). */
    READ,
    /** A write transaction is open ({@code SQLITE_TXN_WRITE}). */
    WRITE
}
