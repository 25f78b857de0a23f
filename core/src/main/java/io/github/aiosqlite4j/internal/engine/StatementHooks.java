package io.github.aiosqlite4j.internal.engine;

import java.util.function.Consumer;

/**
 * The trace callback where our native library is not available (see {@link
 * io.github.aiosqlite4j.internal.nativelib.NativeConnection}, which uses SQLite's own trace):
 * called before each statement the engine hands to SQLite, its own BEGIN/COMMIT/ROLLBACK
 * included, with the SQL as written (no bound values, no trigger statements). Worker thread only.
 */
final class StatementHooks {
    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");

    /** The trace callback, or null. */
    private Consumer<String> trace;

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
}
