package io.github.aiosqlite4j;

/**
 * Implemented by every {@link java.sql.SQLException} aiosqlite4j raises, so the SQLite details can
 * be read whatever JDBC category the exception belongs to:
 *
 * <pre>{@code
 * catch (SQLIntegrityConstraintViolationException e) {
 *     int code = ((SqliteError) e).extendedResultCode(); // e.g. 2067
 *     String name = ((SqliteError) e).errorName();       // "SQLITE_CONSTRAINT_UNIQUE"
 * }
 * }</pre>
 */
public interface SqliteError {
    /**
     * SQLite's primary result code ({@code SQLITE_BUSY} = 5, {@code SQLITE_CONSTRAINT} = 19, ...),
     * or {@code -1} when the error was raised by aiosqlite4j itself with no SQLite code behind it
     * (a full queue, no free pool reader in time, sqlite-jdbc's native library not loadable).
     *
     * @return the primary result code
     */
    int resultCode();

    /**
     * SQLite's extended result code (for example {@code SQLITE_CONSTRAINT_UNIQUE} = 2067); equal to
     * {@link #resultCode()} when SQLite gave no extended code.
     *
     * @return the extended result code
     */
    int extendedResultCode();

    /**
     * The SQL that was running when the error happened, or {@code null} if the error did not come
     * from a statement (opening, closing, a full queue).
     *
     * @return the SQL text, or null
     */
    String sql();

    /**
     * The name of {@link #extendedResultCode()} as SQLite's header spells it, like Python's
     * {@code sqlite3.Error.sqlite_errorname}: {@code "SQLITE_CONSTRAINT_UNIQUE"} for 2067, {@code
     * "SQLITE_BUSY"} for 5. {@code "unknown"} for a code the bundled SQLite does not define, and
     * {@code null} when {@link #resultCode()} is {@code -1} (an error of aiosqlite4j's own), as
     * Python's is {@code None} for the errors its module raises itself.
     *
     * @return the error name, or null
     */
    default String errorName() {
        return io.github.aiosqlite4j.internal.engine.Errors.errorName(extendedResultCode());
    }
}
