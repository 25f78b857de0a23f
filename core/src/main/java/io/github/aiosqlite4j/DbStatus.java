package io.github.aiosqlite4j;

/**
 * One of SQLite's connection status counters ({@code sqlite3_db_status}), from {@link
 * AsyncConnection#dbStatus(int, boolean)}: its current value and highest value. The constants
 * are SQLite's {@code SQLITE_DBSTATUS_*} (same names and values); which of the two numbers is
 * meaningful depends on the counter (SQLite documents each: the {@code CACHE_*} and {@code
 * LOOKASIDE_HIT}/{@code MISS} counters are in {@code current}, {@code LOOKASIDE_*} sizes in
 * {@code highwater}).
 *
 * @param op the counter asked for
 * @param current its current value
 * @param highwater its highest value (since the last reset)
 */
public record DbStatus(int op, long current, long highwater) {
    /** Lookaside memory slots in use. */
    public static final int SQLITE_DBSTATUS_LOOKASIDE_USED = 0;
    /** Bytes of page cache used. */
    public static final int SQLITE_DBSTATUS_CACHE_USED = 1;
    /** Bytes of the schemas. */
    public static final int SQLITE_DBSTATUS_SCHEMA_USED = 2;
    /** Bytes of the prepared statements. */
    public static final int SQLITE_DBSTATUS_STMT_USED = 3;
    /** Lookaside allocations satisfied. */
    public static final int SQLITE_DBSTATUS_LOOKASIDE_HIT = 4;
    /** Lookaside allocations too large. */
    public static final int SQLITE_DBSTATUS_LOOKASIDE_MISS_SIZE = 5;
    /** Lookaside allocations with the lookaside full. */
    public static final int SQLITE_DBSTATUS_LOOKASIDE_MISS_FULL = 6;
    /** Page cache hits. */
    public static final int SQLITE_DBSTATUS_CACHE_HIT = 7;
    /** Page cache misses. */
    public static final int SQLITE_DBSTATUS_CACHE_MISS = 8;
    /** Pages written to disk. */
    public static final int SQLITE_DBSTATUS_CACHE_WRITE = 9;
    /** Deferred foreign key violations outstanding (current: 1 or 0). */
    public static final int SQLITE_DBSTATUS_DEFERRED_FKS = 10;
    /** Bytes of page cache used, shared caches divided among their users. */
    public static final int SQLITE_DBSTATUS_CACHE_USED_SHARED = 11;
    /** Dirty pages spilled to disk mid-transaction. */
    public static final int SQLITE_DBSTATUS_CACHE_SPILL = 12;
    /** Bytes of temporary buffers spilled to disk. */
    public static final int SQLITE_DBSTATUS_TEMPBUF_SPILL = 13;
}
