package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.SqliteError;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientException;
import java.util.Locale;
import org.sqlite.SQLiteException;

/**
 * Turns sqlite-jdbc's flat {@link SQLiteException} into the JDK {@link SQLException} category that
 * matches SQLite's result code, each also implementing {@link SqliteError}. The one place that
 * knows the mapping table of the README.
 */
public final class Errors {

    /**
     * Removes the {@link java.util.concurrent.CompletionException} and {@link
     * java.util.concurrent.ExecutionException} layers that futures add around a failure.
     *
     * @param error the failure
     * @return the innermost meaningful cause ({@code error} itself if it has no such layer)
     */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
    private Errors() {}

    /** SQLite primary result codes used here. */
    static final int SQLITE_ERROR = 1;
    static final int SQLITE_PERM = 3;
    static final int SQLITE_ABORT = 4;
    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_NOMEM = 7;
    public static final int SQLITE_READONLY = 8;
    static final int SQLITE_INTERRUPT = 9;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_SCHEMA = 17;
    static final int SQLITE_TOOBIG = 18;
    static final int SQLITE_CONSTRAINT = 19;
    static final int SQLITE_MISMATCH = 20;
    static final int SQLITE_MISUSE = 21;
    static final int SQLITE_AUTH = 23;
    static final int SQLITE_RANGE = 25;
    static final int SQLITE_NOTADB = 26;
    static final int SQLITE_ABORT_ROLLBACK = 516;

    /** Result code for errors raised by aiosqlite4j itself. */
    public static final int LIBRARY = -1;

    /**
     * The result codes' names as sqlite3.h defines them: row {@code p} holds the name of primary
     * code {@code p}, then the suffixes of its extended codes {@code p | (i << 8)}, i = 1, 2, ...
     * (null where SQLite defines none).
     */
    private static final String[][] NAMES = {
        {"SQLITE_OK", "LOAD_PERMANENTLY", "SYMLINK"},
        {"SQLITE_ERROR", "MISSING_COLLSEQ", "RETRY", "SNAPSHOT", "RESERVESIZE", "KEY", "UNABLE"},
        {"SQLITE_INTERNAL"},
        {"SQLITE_PERM"},
        {"SQLITE_ABORT", null, "ROLLBACK"},
        {"SQLITE_BUSY", "RECOVERY", "SNAPSHOT", "TIMEOUT"},
        {"SQLITE_LOCKED", "SHAREDCACHE", "VTAB"},
        {"SQLITE_NOMEM"},
        {"SQLITE_READONLY", "RECOVERY", "CANTLOCK", "ROLLBACK", "DBMOVED", "CANTINIT", "DIRECTORY"},
        {"SQLITE_INTERRUPT"},
        {"SQLITE_IOERR", "READ", "SHORT_READ", "WRITE", "FSYNC", "DIR_FSYNC", "TRUNCATE", "FSTAT",
            "UNLOCK", "RDLOCK", "DELETE", "BLOCKED", "NOMEM", "ACCESS", "CHECKRESERVEDLOCK", "LOCK",
            "CLOSE", "DIR_CLOSE", "SHMOPEN", "SHMSIZE", "SHMLOCK", "SHMMAP", "SEEK", "DELETE_NOENT",
            "MMAP", "GETTEMPPATH", "CONVPATH", "VNODE", "AUTH", "BEGIN_ATOMIC", "COMMIT_ATOMIC",
            "ROLLBACK_ATOMIC", "DATA", "CORRUPTFS", "IN_PAGE", "BADKEY", "CODEC"},
        {"SQLITE_CORRUPT", "VTAB", "SEQUENCE", "INDEX"},
        {"SQLITE_NOTFOUND"},
        {"SQLITE_FULL"},
        {"SQLITE_CANTOPEN", "NOTEMPDIR", "ISDIR", "FULLPATH", "CONVPATH", "DIRTYWAL", "SYMLINK"},
        {"SQLITE_PROTOCOL"},
        {"SQLITE_EMPTY"},
        {"SQLITE_SCHEMA"},
        {"SQLITE_TOOBIG"},
        {"SQLITE_CONSTRAINT", "CHECK", "COMMITHOOK", "FOREIGNKEY", "FUNCTION", "NOTNULL",
            "PRIMARYKEY", "TRIGGER", "UNIQUE", "VTAB", "ROWID", "PINNED", "DATATYPE"},
        {"SQLITE_MISMATCH"},
        {"SQLITE_MISUSE"},
        {"SQLITE_NOLFS"},
        {"SQLITE_AUTH", "USER"},
        {"SQLITE_FORMAT"},
        {"SQLITE_RANGE"},
        {"SQLITE_NOTADB"},
        {"SQLITE_NOTICE", "RECOVER_WAL", "RECOVER_ROLLBACK", "RBU"},
        {"SQLITE_WARNING", "AUTOINDEX"},
    };

    /**
     * The symbolic name of a result code, as Python's {@code sqlite3.Error.sqlite_errorname}
     * gives it; see {@link SqliteError#errorName()}.
     *
     * @param code a primary or extended result code, or {@link #LIBRARY}
     * @return for example {@code "SQLITE_CONSTRAINT_UNIQUE"} for 2067; {@code "unknown"} for a
     *     code SQLite does not define; null for a negative code (an error of aiosqlite4j's own)
     */
    public static String errorName(int code) {
        if (code < 0) {
            return null;
        }
        if (code == 100 || code == 101) {
            return code == 100 ? "SQLITE_ROW" : "SQLITE_DONE";
        }
        int primary = code & 0xff;
        int extended = code >>> 8;
        if (primary < NAMES.length && extended < NAMES[primary].length
                && NAMES[primary][extended] != null) {
            return extended == 0 ? NAMES[primary][0]
                    : NAMES[primary][0] + "_" + NAMES[primary][extended];
        }
        return "unknown";
    }

    /**
     * Translates an exception thrown while running {@code sql}.
     *
     * @param e what sqlite-jdbc (or a callback) threw
     * @param sql the statement, or null
     * @param cause a user callback's exception that caused the failure, or null
     * @return the exception to fail the future with
     */
    public static SQLException translate(SQLException e, String sql, Throwable cause) {
        if (e instanceof SqliteError) {
            return e;
        }
        String text = text(e);
        String message = sql == null ? text : text + " [SQL: " + abbreviate(sql) + "]";
        SQLException out = create(resultCode(e), message, sql, text);
        out.initCause(cause != null ? cause : e);
        if (cause != null) {
            out.addSuppressed(e);
        }
        return out;
    }

    /** {@return the extended result code of a sqlite-jdbc exception, or {@link #LIBRARY}} */
    private static int resultCode(SQLException e) {
        if (e instanceof SqliteError) {
            return ((SqliteError) e).extendedResultCode();
        }
        if (e instanceof SQLiteException) {
            int extended = ((SQLiteException) e).getResultCode().code;
            return extended < 0 ? e.getErrorCode() : extended;
        }
        // sqlite-jdbc raises plain SQLExceptions for driver-level misuse.
        return e.getErrorCode() > 0 ? e.getErrorCode() : LIBRARY;
    }

    private static String text(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    /**
     * Opening a database (or running its configuration PRAGMAs) failed.
     *
     * @param database the location
     * @param e sqlite-jdbc's exception, kept as the cause
     * @return the categorised error, naming the location and keeping SQLite's text
     */
    static SQLException openFailed(String database, SQLException e) {
        String text = text(e);
        SQLException out = create(resultCode(e), "cannot open database '" + database + "': "
                + text, null, text);
        out.initCause(e);
        return out;
    }

    /**
     * sqlite-jdbc cannot load its native SQLite library, so no connection can open.
     *
     * @param database the location being opened
     * @param cause sqlite-jdbc's reason (the failure of its first load attempt)
     * @param now what this attempt threw (added as suppressed), or null
     * @return the error ({@link SQLNonTransientConnectionException}, SQLState 08001, result code
     *     -1), saying what to do
     */
    static SQLException nativeLibraryUnavailable(String database, Throwable cause, Throwable now) {
        String dir = System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir"));
        SQLException out = new ConnectionFailure("cannot open database '" + database
                + "': sqlite-jdbc cannot load its native SQLite library (" + text(cause) + ")."
                + " It extracts the library into the directory named by the system property"
                + " org.sqlite.tmpdir (java.io.tmpdir if unset), here '" + dir + "', which must"
                + " exist, be writable and allow executing files: start the JVM with"
                + " -Dorg.sqlite.tmpdir=<such a directory>", null, LIBRARY, LIBRARY, "08001");
        out.initCause(cause);
        if (now != null) {
            out.addSuppressed(now);
        }
        return out;
    }

    /**
     * Creates the exception for a result code.
     *
     * @param extended the extended (or primary) result code, or {@link #LIBRARY}
     * @param message the full message
     * @param sql the SQL or null
     * @param sqliteText SQLite's text, used to recognise grammar errors
     * @return the categorised exception
     */
    static SQLException create(int extended, String message, String sql, String sqliteText) {
        int primary = extended < 0 ? extended : extended & 0xff;
        switch (primary) {
            case SQLITE_CONSTRAINT:
                return new IntegrityViolation(message, sql, primary, extended);
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
            case SQLITE_NOMEM:
            case SQLITE_SCHEMA:
                return new Transient(message, sql, primary, extended);
            case SQLITE_READONLY:
            case SQLITE_PERM:
            case SQLITE_AUTH:
            case SQLITE_FULL:
                return new NonTransient(message, sql, primary, extended);
            case SQLITE_CANTOPEN:
            case SQLITE_NOTADB:
            case SQLITE_CORRUPT:
            case SQLITE_IOERR:
                return new ConnectionFailure(message, sql, primary, extended, "08001");
            case SQLITE_TOOBIG:
            case SQLITE_MISMATCH:
            case SQLITE_RANGE:
                return new DataError(message, sql, primary, extended);
            case SQLITE_ABORT:
                if (extended == SQLITE_ABORT_ROLLBACK) {
                    return new RollbackError(message, sql, primary, extended);
                }
                return new Generic(message, sql, primary, extended, null);
            case SQLITE_ERROR:
                if (isGrammar(sqliteText)) {
                    return new SyntaxError(message, sql, primary, extended);
                }
                if (sqliteText != null && sqliteText.contains("not authorized")) {
                    return new NonTransient(message, sql, SQLITE_AUTH, SQLITE_AUTH);
                }
                return new Generic(message, sql, primary, extended, null);
            default:
                return new Generic(message, sql, primary, extended, null);
        }
    }

    private static boolean isGrammar(String text) {
        if (text == null) {
            return false;
        }
        String t = text.toLowerCase(Locale.ROOT);
        return t.contains("syntax error")
                || t.contains("no such table")
                || t.contains("no such column")
                || t.contains("no such function")
                || t.contains("no such index")
                || t.contains("no such view")
                || t.contains("no such trigger")
                || t.contains("no such collation")
                || t.contains("no such savepoint")
                || t.contains("unrecognized token")
                || t.contains("incomplete input")
                || t.contains("has no column named")
                || t.contains("ambiguous column name")
                || t.contains("already exists")
                || t.contains("wrong number of arguments to function")
                || t.contains("values were supplied")
                || t.contains("near \"");
    }

    /** {@return the error for work submitted to, or cancelled by, a closed connection} */
    public static SQLException closed(String database) {
        return new ConnectionFailure("connection to '" + database + "' is closed",
                null, SQLITE_MISUSE, SQLITE_MISUSE, "08003");
    }

    /** {@return the error for work submitted to a closed pool} */
    public static SQLException poolClosed(String pool, String database) {
        return new ConnectionFailure("pool '" + pool + "' on '" + database + "' is closed",
                null, SQLITE_MISUSE, SQLITE_MISUSE, "08003");
    }

    /**
     * More work than the library lets wait: a full queue, no free reader in time, too many
     * waiters. A retry later can succeed.
     *
     * @param message what is full and what to do
     * @return the error ({@link SQLTransientException}, result code -1)
     */
    public static SQLException overloaded(String message) {
        return new Transient(message, null, LIBRARY, LIBRARY);
    }

    /**
     * The pool's writer was not free in time: the pool's own {@code SQLITE_BUSY}.
     *
     * @param message what waited how long, and what to do
     * @return the error ({@link SQLTransientException}, {@code SQLITE_BUSY})
     */
    public static SQLException busy(String message) {
        return new Transient(message, null, SQLITE_BUSY, SQLITE_BUSY);
    }

    /**
     * A write refused because the database or pool cannot be written.
     *
     * @param message what was refused and what to do
     * @param cause SQLite's error behind it, or null
     * @return the error ({@link SQLNonTransientException}, {@code SQLITE_READONLY})
     */
    public static SQLException readOnly(String message, SQLException cause) {
        SQLException e = new NonTransient(message, null, SQLITE_READONLY, SQLITE_READONLY);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /**
     * Any other failure the library itself detects (no SQLite result code to report).
     *
     * @param message what failed
     * @param cause what caused it, or null
     * @return the error (plain {@link SQLException}, result code -1)
     */
    public static SQLException library(String message, Throwable cause) {
        SQLException e = new Generic(message, null, LIBRARY, LIBRARY, null);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** {@return the error for an operation past its deadline} */
    public static SQLException timeout(String database, long lateMillis) {
        return new Timeout("the operation on '" + database + "' passed its deadline and was"
                + " stopped" + (lateMillis < 0 ? " (" + (-lateMillis) + " ms late)" : ""), null);
    }

    /** {@return the error for a statement aborted at its deadline} */
    static SQLException timeout(String sql) {
        return new Timeout("the statement passed its deadline and was interrupted [SQL: "
                + abbreviate(sql) + "]", sql);
    }

    /** {@return the error for work on a closed cursor} */
    public static SQLException closedCursor() {
        return new Generic("Cannot operate on a closed cursor.", null, SQLITE_MISUSE, SQLITE_MISUSE,
                "24000");
    }

    /** {@return the error for a full task queue} */
    public static SQLException queueFull(String database, int capacity) {
        return overloaded("the task queue of the connection to '" + database + "' is full ("
                + capacity + " tasks waiting); retry later, or raise SqliteConfig.queueCapacity");
    }

    /**
     * A misuse detected before SQLite ran the statement (wrong parameter count, unknown name).
     *
     * @param message what was wrong and what to do
     * @param sql the statement
     * @return the error (SQLState 07001, result code SQLITE_RANGE)
     */
    public static SQLException misuse(String message, String sql) {
        return new Generic(message + " [SQL: " + abbreviate(sql) + "]", sql, SQLITE_RANGE,
                SQLITE_RANGE, "07001");
    }

    /**
     * A parameter value of a type we cannot bind.
     *
     * @param message the explanation
     * @param sql the statement
     * @return the error (SQLState 22023)
     */
    public static SQLException badParameter(String message, String sql) {
        return new DataError(message + " [SQL: " + abbreviate(sql) + "]", sql, SQLITE_MISMATCH,
                SQLITE_MISMATCH);
    }

    /**
     * An error for a statement the authorizer denied.
     *
     * @param sql the statement
     * @return the error (SQLITE_AUTH)
     */
    static SQLException notAuthorized(String sql) {
        return new NonTransient("not authorized [SQL: " + abbreviate(sql) + "]", sql,
                SQLITE_AUTH, SQLITE_AUTH);
    }

    /**
     * Returns its text without surrounding blanks, cut to 500 characters.
     *
     * @param sql a statement for an error message
     * @return its text without surrounding blanks, cut to 500 characters
     */
    public static String abbreviate(String sql) {
        String s = sql.strip();
        return s.length() <= 500 ? s : s.substring(0, 497) + "...";
    }

    /** The SQLState reported for a primary result code. */
    private static String state(int primary) {
        switch (primary) {
            case SQLITE_CONSTRAINT:
                return "23000";
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                return "40001";
            case SQLITE_READONLY:
            case SQLITE_PERM:
            case SQLITE_AUTH:
                return "42501";
            case SQLITE_ERROR:
                return "42000";
            case SQLITE_TOOBIG:
            case SQLITE_MISMATCH:
            case SQLITE_RANGE:
                return "22023";
            default:
                return null;
        }
    }

    /**
     * What every exception of ours carries; the accessors of {@link SqliteError} read it. Public
     * for the R2DBC driver's exceptions (this package is exported to it alone).
     *
     * @param sql the statement, or null
     * @param primary SQLite's primary result code
     * @param extended SQLite's extended result code
     */
    public record Details(String sql, int primary, int extended) implements java.io.Serializable {}

    /** Implements {@link SqliteError} once, over {@link #details()}. */
    public interface Detailed extends SqliteError {
        /** {@return the codes and statement this exception reports} */
        Details details();

        @Override
        default int resultCode() {
            return details().primary();
        }

        @Override
        default int extendedResultCode() {
            return details().extended();
        }

        @Override
        default String sql() {
            return details().sql();
        }
    }

    /** {@code SQLITE_CONSTRAINT*}. */
    public static final class IntegrityViolation extends SQLIntegrityConstraintViolationException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private IntegrityViolation(String message, String sql, int primary, int extended) {
            super(message, state(primary), primary);
            this.details = new Details(sql, primary, extended);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /** {@code SQLITE_BUSY}, {@code SQLITE_LOCKED}, a full queue. */
    public static final class Transient extends SQLTransientException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private Transient(String message, String sql, int primary, int extended) {
            super(message, state(primary), primary);
            this.details = new Details(sql, primary, extended);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /** {@code SQLITE_READONLY}, {@code SQLITE_PERM}, {@code SQLITE_AUTH}. */
    public static final class NonTransient extends SQLNonTransientException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private NonTransient(String message, String sql, int primary, int extended) {
            super(message, state(primary), primary);
            this.details = new Details(sql, primary, extended);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /** {@code SQLITE_CANTOPEN}, {@code NOTADB}, {@code CORRUPT}, {@code IOERR*}, closed. */
    public static final class ConnectionFailure extends SQLNonTransientConnectionException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private ConnectionFailure(String message, String sql, int primary, int extended, String state) {
            super(message, state, primary);
            this.details = new Details(sql, primary, extended);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /** Grammar errors: syntax, unknown table/column/function. */
    public static final class SyntaxError extends SQLSyntaxErrorException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private SyntaxError(String message, String sql, int primary, int extended) {
            super(message, state(primary), primary);
            this.details = new Details(sql, primary, extended);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /** {@code SQLITE_TOOBIG}, {@code SQLITE_MISMATCH}, {@code SQLITE_RANGE}, unbindable values. */
    public static final class DataError extends SQLDataException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private DataError(String message, String sql, int primary, int extended) {
            super(message, state(primary), primary);
            this.details = new Details(sql, primary, extended);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /** {@code SQLITE_ABORT_ROLLBACK}: the transaction was rolled back under the statement. */
    public static final class RollbackError extends SQLTransactionRollbackException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private RollbackError(String message, String sql, int primary, int extended) {
            super(message, "40000", primary);
            this.details = new Details(sql, primary, extended);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /** Everything else SQLite reports ({@code SQLITE_ERROR}, {@code SQLITE_INTERRUPT}, ...). */
    public static final class Generic extends SQLException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private Generic(String message, String sql, int primary, int extended, String state) {
            super(message, state != null ? state : state(primary), primary);
            this.details = new Details(sql, primary, extended);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /**
     * SQLite's error from a call of its C API through aiosqlite4j's native library.
     *
     * @param rc the (extended) result code
     * @param sqliteText SQLite's error message
     * @return the exception, categorised by rc
     */
    public static SQLException create(int rc, String sqliteText) {
        return create(rc, sqliteText, null, sqliteText);
    }

    /**
     * A call of SQLite's C API through aiosqlite4j's native library failed.
     *
     * @param rc the (extended) result code
     * @param what the call, for the message
     * @param sqliteText SQLite's error message for it
     * @return the exception, categorised by rc
     */
    public static SQLException nativeCall(int rc, String what, String sqliteText) {
        return create(rc, what + " failed: " + sqliteText, null, sqliteText);
    }

    /**
     * A feature this platform cannot give (SQLite's C API without aiosqlite4j's native library).
     *
     * @param message what is missing and why
     * @return the exception ({@code SQLITE_MISUSE}, SQLSTATE 0A000)
     */
    public static SQLException notSupported(String message) {
        return new NotSupported(message);
    }

    /** See {@link #notSupported}. */
    public static final class NotSupported extends java.sql.SQLFeatureNotSupportedException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private NotSupported(String message) {
            super(message, "0A000", SQLITE_MISUSE);
            this.details = new Details(null, SQLITE_MISUSE, SQLITE_MISUSE);
        }

        @Override
        public Details details() {
            return details;
        }
    }

    /** A statement stopped at its deadline. */
    public static final class Timeout extends java.sql.SQLTimeoutException implements Detailed {
        private static final long serialVersionUID = 1L;
        private final Details details;

        private Timeout(String message, String sql) {
            super(message, "HYT00", SQLITE_INTERRUPT);
            this.details = new Details(sql, SQLITE_INTERRUPT, SQLITE_INTERRUPT);
        }

        @Override
        public Details details() {
            return details;
        }
    }
}
