package io.github.aiosqlite4j;

/**
 * SQLite's authorizer callback ({@code sqlite3_set_authorizer}), as Python's {@code
 * set_authorizer} callback: SQLite calls it while preparing a statement, once for each action the
 * statement would take. See {@link AsyncConnection#setAuthorizer(Authorizer)}. The action codes
 * and the meaning of the arguments are SQLite's (its "Authorizer Action Codes" page).
 */
@FunctionalInterface
public interface Authorizer {
    /** Allow the action. */
    int SQLITE_OK = 0;
    /** Refuse: the statement fails with {@link java.sql.SQLNonTransientException} ({@code SQLITE_AUTH}). */
    int SQLITE_DENY = 1;
    /** Ignore the action: a column read gives NULL, other actions are skipped (see SQLite's page). */
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
    /** {@code DROP INDEX}: arg1 index name, arg2 table name. */
    int SQLITE_DROP_INDEX = 10;
    /** {@code DROP TABLE}: arg1 table name. */
    int SQLITE_DROP_TABLE = 11;
    /** {@code DROP} of a temporary index: arg1 index name, arg2 table name. */
    int SQLITE_DROP_TEMP_INDEX = 12;
    /** {@code DROP} of a temporary table: arg1 table name. */
    int SQLITE_DROP_TEMP_TABLE = 13;
    /** {@code DROP} of a temporary trigger: arg1 trigger name, arg2 table name. */
    int SQLITE_DROP_TEMP_TRIGGER = 14;
    /** {@code DROP} of a temporary view: arg1 view name. */
    int SQLITE_DROP_TEMP_VIEW = 15;
    /** {@code DROP TRIGGER}: arg1 trigger name. */
    int SQLITE_DROP_TRIGGER = 16;
    /** {@code DROP VIEW}: arg1 view name. */
    int SQLITE_DROP_VIEW = 17;
    /** {@code INSERT}: arg1 table name. */
    int SQLITE_INSERT = 18;
    /** {@code PRAGMA}: arg1 pragma name, arg2 its argument or null. */
    int SQLITE_PRAGMA = 19;
    /** A column read: arg1 table name, arg2 column name (empty for a table read with no column). */
    int SQLITE_READ = 20;
    /** {@code SELECT} (and {@code VALUES}, each subquery). */
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
    /** {@code CREATE VIRTUAL TABLE}: arg1 table name, arg2 module name. */
    int SQLITE_CREATE_VTABLE = 29;
    /** {@code DROP} of a virtual table: arg1 table name, arg2 module name. */
    int SQLITE_DROP_VTABLE = 30;
    /** A function call: arg2 the function's name (arg1 is null). */
    int SQLITE_FUNCTION = 31;
    /** {@code SAVEPOINT}, {@code RELEASE}, {@code ROLLBACK TO}: arg1 operation, arg2 name. */
    int SQLITE_SAVEPOINT = 32;
    /** A recursive common table expression. */
    int SQLITE_RECURSIVE = 33;

    /**
     * Authorizes one action.
     *
     * @param actionCode one of the {@code SQLITE_*} action constants above
     * @param arg1 first detail (usually the object name), or null
     * @param arg2 second detail, or null
     * @param dbName the schema ({@code "main"}, {@code "temp"}, an attached one), or null
     * @param triggerName the innermost trigger or view causing the access, or null when the
     *     statement itself does
     * @return {@link #SQLITE_OK}, {@link #SQLITE_DENY} or {@link #SQLITE_IGNORE}; an exception
     *     denies (and is the cause of the statement's error); any other value makes SQLite fail
     *     the statement ("authorizer malfunction"), as in Python
     */
    int authorize(int actionCode, String arg1, String arg2, String dbName, String triggerName);
}
