package io.github.aiosqlite4j;

/**
 * The boolean options of SQLite's {@code sqlite3_db_config}, for {@link
 * AsyncConnection#getConfig(int)} and {@link AsyncConnection#setConfig(int, boolean)}, as Python
 * 3.12's {@code sqlite3.SQLITE_DBCONFIG_*} constants (same names and values, SQLite's). The last
 * five are SQLite options newer than Python's list. See SQLite's documentation of each option.
 */
public final class DbConfig {
    private DbConfig() {}

    /** Enforce foreign key constraints. */
    public static final int SQLITE_DBCONFIG_ENABLE_FKEY = 1002;
    /** Fire triggers. */
    public static final int SQLITE_DBCONFIG_ENABLE_TRIGGER = 1003;
    /** Allow {@code fts3_tokenizer()} with a pointer argument. */
    public static final int SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER = 1004;
    /**
     * The C API's extension loading. Readable; {@link AsyncConnection#setConfig} refuses to switch
     * it on (aiosqlite4j keeps extension loading off; see {@link
     * AsyncConnection#enableLoadExtension(boolean)}).
     */
    public static final int SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION = 1005;
    /** Do not checkpoint the WAL when the last connection closes. */
    public static final int SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE = 1006;
    /** The query planner stability guarantee. */
    public static final int SQLITE_DBCONFIG_ENABLE_QPSG = 1007;
    /** EXPLAIN QUERY PLAN shows trigger programs. */
    public static final int SQLITE_DBCONFIG_TRIGGER_EQP = 1008;
    /** With {@code VACUUM}: resets the database to empty. */
    public static final int SQLITE_DBCONFIG_RESET_DATABASE = 1009;
    /** Defensive mode: SQL cannot corrupt the database file (no writable_schema, ...). */
    public static final int SQLITE_DBCONFIG_DEFENSIVE = 1010;
    /** {@code PRAGMA writable_schema}. */
    public static final int SQLITE_DBCONFIG_WRITABLE_SCHEMA = 1011;
    /** {@code PRAGMA legacy_alter_table}. */
    public static final int SQLITE_DBCONFIG_LEGACY_ALTER_TABLE = 1012;
    /** Double-quoted string literals in DML. */
    public static final int SQLITE_DBCONFIG_DQS_DML = 1013;
    /** Double-quoted string literals in DDL. */
    public static final int SQLITE_DBCONFIG_DQS_DDL = 1014;
    /** Views work. */
    public static final int SQLITE_DBCONFIG_ENABLE_VIEW = 1015;
    /** {@code PRAGMA legacy_file_format}. */
    public static final int SQLITE_DBCONFIG_LEGACY_FILE_FORMAT = 1016;
    /** SQL functions and virtual tables in the schema are trusted. */
    public static final int SQLITE_DBCONFIG_TRUSTED_SCHEMA = 1017;
    /** {@code sqlite3_stmt_scanstatus} counters (not in Python's list). */
    public static final int SQLITE_DBCONFIG_STMT_SCANSTATUS = 1018;
    /** Scan tables in reverse order (not in Python's list). */
    public static final int SQLITE_DBCONFIG_REVERSE_SCANORDER = 1019;
    /** {@code ATTACH} may create a database file (not in Python's list). */
    public static final int SQLITE_DBCONFIG_ENABLE_ATTACH_CREATE = 1020;
    /** An attached database may be written (not in Python's list). */
    public static final int SQLITE_DBCONFIG_ENABLE_ATTACH_WRITE = 1021;
    /** SQL comments are allowed (not in Python's list). */
    public static final int SQLITE_DBCONFIG_ENABLE_COMMENTS = 1022;
}
