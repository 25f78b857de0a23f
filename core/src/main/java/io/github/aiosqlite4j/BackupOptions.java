package io.github.aiosqlite4j;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for {@link AsyncConnection#backup}, with Python's defaults: all pages in one step, no
 * progress callback, schema {@code "main"}, 250 ms sleep between steps.
 *
 * @param pages pages copied per step; 0 or negative copies everything in one step
 * @param progress called after each step, on the worker thread, or null
 * @param name the schema to copy ({@code "main"}, {@code "temp"} or an attached name)
 * @param sleep pause between steps, letting other connections use the source
 */
public record BackupOptions(int pages, Progress progress, String name, Duration sleep) {

    /** Receives backup progress, as Python's {@code progress(status, remaining, total)}. */
    @FunctionalInterface
    public interface Progress {
        /**
         * Called after each copy step.
         *
         * @param status SQLite's result code of the step (0 = OK, 101 = DONE)
         * @param remaining pages still to copy
         * @param total pages in the source database
         */
        void onProgress(int status, int remaining, int total);
    }

    /**
     * Checks the components.
     *
     * @param pages pages per step
     * @param progress the callback or null
     * @param name the schema name
     * @param sleep the pause between steps
     */
    public BackupOptions {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(sleep, "sleep must not be null");
        if (sleep.isNegative() || sleep.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sleep must be between 0 and "
                    + Integer.MAX_VALUE + " ms, was " + sleep);
        }
    }

    /** {@return the defaults: all pages at once, no progress, {@code "main"}, 250 ms} */
    public static BackupOptions defaults() {
        return new BackupOptions(0, null, "main", Duration.ofMillis(250));
    }

    /**
     * Returns a copy with this page count.
     *
     * @param pages pages per step; 0 or negative for all at once
     * @return a copy with this page count
     */
    public BackupOptions withPages(int pages) {
        return new BackupOptions(pages, progress, name, sleep);
    }

    /**
     * Returns a copy with this progress callback.
     *
     * @param progress the callback, or null for none
     * @return a copy with this progress callback
     */
    public BackupOptions withProgress(Progress progress) {
        return new BackupOptions(pages, progress, name, sleep);
    }

    /**
     * Returns a copy with this schema name.
     *
     * @param name the schema to copy
     * @return a copy with this schema name
     */
    public BackupOptions withName(String name) {
        return new BackupOptions(pages, progress, name, sleep);
    }

    /**
     * Returns a copy with this pause.
     *
     * @param sleep the pause between steps
     * @return a copy with this pause
     */
    public BackupOptions withSleep(Duration sleep) {
        return new BackupOptions(pages, progress, name, sleep);
    }
}
