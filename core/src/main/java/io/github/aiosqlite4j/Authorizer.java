package io.github.aiosqlite4j;

/**
 * Decides whether a statement may run, as Python's {@code set_authorizer} callback does. See {@link
 * AsyncConnection#setAuthorizer(Authorizer)} for how aiosqlite4j calls it: sqlite-jdbc does not
 * expose {@code sqlite3_set_authorizer}, so the callback is consulted once per statement, for the
 * statement's top-level action, before SQLite prepares it.
 */
@FunctionalInterface
public interface Authorizer {
    /** Allow the action. */
    int SQLITE_OK = 0;
    /** Refuse: the statement fails with {@link java.sql.SQLNonTransientException} ({@code SQLITE_AUTH}). */
    int SQLITE_DENY = 1;
    /** Skip silently: the statement does nothing and returns no rows. */
    int SQLITE_IGNORE = 2;

    /** {@code CREATE INDEX}: arg1 index name, arg2 table name. */
    int SQLITE_CREATE_INDEX = 1;
    /** {@code CREATE TABLE}: arg1 table name. */
    int SQLITE_CREATE_TABLE = 2;
    /** {@code CREATE TEMP INDEX}. */
    int SQLITE_CREATE_TEMP_INDEX = 3;
    /** {@code CREATE TEMP TABLE}. */
    int SQLITE_CREATE_TEMP_TABLE = 4;
    /** {@code CREATE TEMP TRIGGER}. */
    int SQLITE_CREATE_TEMP_TRIGGER = 5;
    /** {@code CREATE TEMP VIEW}. */
    int SQLITE_CREATE_TEMP_VIEW = 6;
    /** {@code CREATE TRIGGER}: arg1 trigger name. */
    int SQLITE_CREATE_TRIGGER = 7;
    /** {@code CREATE VIEW}: arg1 view name. */
    int SQLITE_CREATE_VIEW = 8;
    /** {@code DELETE}: arg1 table name. */
    int SQLITE_DELETE = 9;
    /** {@code DROP INDEX}: arg1 index name. */
    int SQLITE_DROP_INDEX = 10;
    /** {@code DROP TABLE}: arg1 table name. */
    int SQLITE_DROP_TABLE = 11;
    /** {@code DROP TRIGGER}: arg1 trigger name. */
    int SQLITE_DROP_TRIGGER = 16;
    /** {@code DROP VIEW}: arg1 view name. */
    int SQLITE_DROP_VIEW = 17;
    /** {@code INSERT}: arg1 table name. */
    int SQLITE_INSERT = 18;
    /** {@code PRAGMA}: arg1 pragma name, arg2 its argument or null. */
    int SQLITE_PRAGMA = 19;
    /** {@code SELECT} (and {@code VALUES}). */
    int SQLITE_SELECT = 21;
    /** {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}: arg1 the operation. */
    int SQLITE_TRANSACTION = 22;
    /** {@code UPDATE}: arg1 table name. */
    int SQLITE_UPDATE = 23;
    /** {@code ATTACH}: arg1 file name. */
    int SQLITE_ATTACH = 24;
    /** {@code DETACH}: arg1 schema name. */
    int SQLITE_DETACH = 25;
    /** {@code ALTER TABLE}: arg1 schema, arg2 table name. */
    int SQLITE_ALTER_TABLE = 26;
    /** {@code REINDEX}: arg1 index name. */
    int SQLITE_REINDEX = 27;
    /** {@code ANALYZE}: arg1 table name. */
    int SQLITE_ANALYZE = 28;
    /** {@code SAVEPOINT}, {@code RELEASE}, {@code ROLLBACK TO}: arg1 operation, arg2 name. */
    int SQLITE_SAVEPOINT = 32;

    /**
     * Authorizes one action.
     *
     * @param actionCode one of the {@code SQLITE_*} action constants above
     * @param arg1 first detail (usually the object name), or null
     * @param arg2 second detail, or null
     * @param dbName the schema ({@code "main"}, {@code "temp"}), or null if not known
     * @param triggerName the trigger or view causing the access, or null (always null here)
     * @return {@link #SQLITE_OK}, {@link #SQLITE_DENY} or {@link #SQLITE_IGNORE}; any other value,
     *     or an exception, counts as a deny (an exception is the cause of the statement's error)
     */
    int authorize(int actionCode, String arg1, String arg2, String dbName, String triggerName);
}
