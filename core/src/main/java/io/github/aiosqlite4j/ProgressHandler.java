package io.github.aiosqlite4j;

/**
 * Called by SQLite every N virtual-machine instructions while a statement runs (see {@link
 * AsyncConnection#setProgressHandler}). It runs on the connection's worker thread, so it must be
 * quick and must not wait on the same connection.
 */
@FunctionalInterface
public interface ProgressHandler {
    /**
     * Decides whether the running statement goes on.
     *
     * @return {@code true} to abort the running statement (it fails with {@code SQLITE_INTERRUPT}),
     *     {@code false} to let it continue. An exception thrown here also aborts it, and is the
     *     cause of the statement's error.
     */
    boolean abort();
}
