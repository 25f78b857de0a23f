package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.internal.sql.StatementInfo;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * The user's per-statement hooks, called before each statement the engine hands to SQLite (its
 * own BEGIN/COMMIT/ROLLBACK included): the trace callback, and the authorizer, which sqlite-jdbc
 * does not bind ({@code sqlite3_set_authorizer}) and is emulated here at statement level. Worker
 * thread only.
 */
final class StatementHooks {
    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");

    /** The trace callback, or null. */
    private Consumer<String> trace;
    /** The authorizer, or null. */
    private Authorizer authorizer;

    /** Calls the trace callback with the SQL about to run; what it throws is logged and ignored. */
    void trace(String sql) {
        Consumer<String> t = trace;
        if (t != null) {
            try {
                t.accept(sql);
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.WARNING, "trace callback threw; ignored", e);
            }
        }
    }

    void setTrace(Consumer<String> callback) {
        this.trace = callback;
    }

    void setAuthorizer(Authorizer a) {
        this.authorizer = a;
    }

    /**
     * Asks the authorizer about the statement about to run (its top-level action, {@link
     * StatementAction}): SQLITE_OK runs it, SQLITE_IGNORE skips it ({@link Ignored}), anything else
     * (or an exception) fails it as not authorized.
     */
    void authorize(String sql, StatementInfo info) throws SQLException {
        Authorizer a = authorizer;
        if (a == null) {
            return;
        }
        StatementAction action = StatementAction.of(sql, info);
        int rc;
        try {
            rc = a.authorize(action.code, action.arg1, action.arg2, action.db, null);
        } catch (Throwable e) {
            SQLException denied = Errors.notAuthorized(sql);
            denied.initCause(e);
            throw denied;
        }
        if (rc == Authorizer.SQLITE_OK) {
            return;
        }
        if (rc == Authorizer.SQLITE_IGNORE) {
            throw new Ignored();
        }
        throw Errors.notAuthorized(sql);
    }

    /** Thrown when the authorizer answered SQLITE_IGNORE: the statement is skipped. */
    static final class Ignored extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Ignored() {
            super("statement ignored by the authorizer", null, false, false);
        }
    }
}
