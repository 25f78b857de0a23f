package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.BackupOptions;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.core.DB;

/**
 * SQLite's online backup to and from a file, through sqlite-jdbc's {@link DB#backup} and {@link
 * DB#restore} (SQLITE_DONE, 101, is success). Worker thread only.
 */
final class Backup {
    private static final int SQLITE_DONE = 101;

    private Backup() {}

    /**
     * Copies the schema options.name() to file, options.pages() pages per step (all at once if not
     * positive), with sqlite-jdbc's sleep of options.sleep() and a timeout count of about
     * busyTimeout / sleep (at least 3). What the progress callback throws is thrown once the copy
     * ends, and the callback is not called again: sqlite-jdbc neither stops the copy nor checks for
     * an exception after its call, so one must never reach its C (JNI forbids calls into Java with
     * an exception pending).
     */
    static void toFile(DB db, String file, BackupOptions options, Duration busyTimeout)
            throws SQLException {
        int pages = options.pages() <= 0 ? -1 : options.pages();
        int sleep = (int) options.sleep().toMillis();
        int retries = (int) Math.max(3, busyTimeout.toMillis() / Math.max(1, sleep));
        BackupOptions.Progress progress = options.progress();
        Throwable[] thrown = new Throwable[1];
        DB.ProgressObserver observer = progress == null ? null : (remaining, total) -> {
            if (thrown[0] == null) {
                try {
                    progress.onProgress(remaining == 0 ? SQLITE_DONE : 0, remaining, total);
                } catch (RuntimeException | Error e) {
                    thrown[0] = e;
                }
            }
        };
        int rc = db.backup(options.name(), file, observer, sleep, retries, pages);
        if (thrown[0] instanceof RuntimeException e) {
            throw e;
        } else if (thrown[0] != null) {
            throw (Error) thrown[0];
        }
        if (rc != 0 && rc != SQLITE_DONE) {
            throw Errors.create(rc, "backup of '" + options.name() + "' to '" + file
                    + "' failed with SQLite result code " + rc, null, null);
        }
    }

    /** Replaces the main database with the content of file. */
    static void restoreFromFile(DB db, String file) throws SQLException {
        int rc = db.restore("main", file, null);
        if (rc != 0 && rc != SQLITE_DONE) {
            throw Errors.create(rc, "restore from '" + file + "' failed with SQLite result code "
                    + rc, null, null);
        }
    }
}
