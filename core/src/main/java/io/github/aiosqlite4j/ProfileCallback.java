package io.github.aiosqlite4j;

/**
 * Receives each finished statement with the time SQLite spent running it (SQLite's {@code
 * SQLITE_TRACE_PROFILE}), for metrics and tracing: see {@link
 * AsyncConnection#setProfileCallback(ProfileCallback)}.
 */
@FunctionalInterface
public interface ProfileCallback {
    /**
     * Called on the connection's worker thread when a statement finishes (is reset or finalized);
     * the statements of the triggers it fired are part of its time, not reported apart.
     *
     * @param sql the statement's text as written (parameters not expanded, so equal statements
     *     group together)
     * @param nanos the wall-clock time SQLite measured for it, in nanoseconds
     */
    void profiled(String sql, long nanos);
}
