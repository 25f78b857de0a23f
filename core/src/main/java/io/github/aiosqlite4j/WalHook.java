package io.github.aiosqlite4j;

/**
 * Told of each commit to a database in WAL mode (SQLite's {@code sqlite3_wal_hook}): see {@link
 * AsyncConnection#setWalHook(WalHook)}.
 */
@FunctionalInterface
public interface WalHook {
    /**
     * Called on the connection's worker thread after a transaction committed into the WAL,
     * before the statement returns. It must not use the connection. An exception it throws is
     * logged and ignored (the commit stands).
     *
     * @param schema the schema committed ({@code "main"}, or an attached one)
     * @param pages the pages the WAL file now holds
     */
    void committed(String schema, int pages);
}
