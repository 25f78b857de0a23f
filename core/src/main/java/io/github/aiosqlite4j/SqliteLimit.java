package io.github.aiosqlite4j;

/**
 * SQLite's run-time limits ({@code SQLITE_LIMIT_*}), for {@link AsyncConnection#getLimit} and
 * {@link AsyncConnection#setLimit}.
 */
public enum SqliteLimit {
    /** Maximum length of a string or BLOB or table row, in bytes. */
    LENGTH(0),
    /** Maximum length of an SQL statement, in bytes. */
    SQL_LENGTH(1),
    /** Maximum number of columns in a table, index, view, result set, GROUP BY or ORDER BY. */
    COLUMN(2),
    /** Maximum depth of an expression tree. */
    EXPR_DEPTH(3),
    /** Maximum number of terms in a compound SELECT. */
    COMPOUND_SELECT(4),
    /** Maximum number of virtual-machine instructions in one statement's program. */
    VDBE_OP(5),
    /** Maximum number of arguments of a function. */
    FUNCTION_ARG(6),
    /** Maximum number of attached databases. */
    ATTACHED(7),
    /** Maximum length of a LIKE or GLOB pattern. */
    LIKE_PATTERN_LENGTH(8),
    /** Maximum index of a bind parameter. */
    VARIABLE_NUMBER(9),
    /** Maximum depth of trigger recursion. */
    TRIGGER_DEPTH(10),
    /** Maximum number of auxiliary worker threads one statement may start. */
    WORKER_THREADS(11);

    private final int id;

    SqliteLimit(int id) {
        this.id = id;
    }

    /** {@return SQLite's numeric {@code SQLITE_LIMIT_*} value} */
    public int id() {
        return id;
    }
}
