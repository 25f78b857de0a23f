package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.SqliteConfig;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * Opens sqlite-jdbc's connection for a {@link SqliteConfig}: its settings (busy timeout, read
 * only, extension loading), then its PRAGMAs; and reports a native library sqlite-jdbc could not
 * load as the one documented error. Static: the only state is why the native library failed.
 */
public final class Connector {
    /** Why sqlite-jdbc's first attempt to load its native library failed; null until then. */
    private static volatile Throwable nativeLoadFailure;

    private Connector() {}

    /** SQLite's version, from a {@code :memory:} connection of its own. */
    public static String libraryVersion() {
        try (java.sql.Connection c = connect(new org.sqlite.SQLiteConfig(), ":memory:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select sqlite_version()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load SQLite: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the database of config with its settings and runs its PRAGMAs (journal mode,
     * synchronous, foreign keys, then the others in order). On a failure the connection is
     * closed and the error names the database.
     */
    static SQLiteConnection open(SqliteConfig config) throws SQLException {
        org.sqlite.SQLiteConfig sc = new org.sqlite.SQLiteConfig();
        sc.setBusyTimeout((int) config.busyTimeout().toMillis());
        sc.setReadOnly(config.readOnly());
        sc.enableLoadExtension(config.loadExtensionEnabled());
        sc.setGetGeneratedKeys(false);
        // SQLite's multi-thread mode: no mutex per API call (two per column read in serialized
        // mode). Safe because one thread at a time uses a connection: its worker, or a caller
        // running its tasks in its stead (ConnectionWorker); sqlite-jdbc's own calls are
        // serialized by its lock, and sqlite3_interrupt, the one call made from other threads,
        // needs no mutex.
        sc.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
        String location = config.database();
        SQLiteConnection conn = connect(sc, location);
        try {
            if (config.journalMode() != null) {
                pragma(conn, "journal_mode", config.journalMode().name());
            }
            if (config.synchronous() != null) {
                pragma(conn, "synchronous", config.synchronous().name());
            }
            if (config.foreignKeys()) {
                pragma(conn, "foreign_keys", "ON");
            }
            for (Map.Entry<String, String> p : config.pragmas().entrySet()) {
                pragma(conn, p.getKey(), p.getValue());
            }
        } catch (SQLException e) {
            StatementCache.closeQuietly(conn);
            throw Errors.openFailed(location, e);
        }
        return conn;
    }

    private static void pragma(SQLiteConnection conn, String name, String value) throws SQLException {
        try (Statement s = conn.createStatement()) {
            boolean rows = s.execute("PRAGMA " + name + "=" + value);
            if (rows) {
                try (ResultSet rs = s.getResultSet()) {
                    while (rs.next()) {
                        // drain: journal_mode reports the mode it set
                    }
                }
            }
        }
    }

    /**
     * Opens sqlite-jdbc's connection. When its native library cannot be loaded (an unwritable or
     * noexec temporary directory), sqlite-jdbc reports that once, as the cause of a bare "Error
     * opening connection", and later attempts end in {@link UnsatisfiedLinkError}: both become
     * the one documented error, with sqlite-jdbc's reason as its cause.
     */
    private static SQLiteConnection connect(org.sqlite.SQLiteConfig sc, String location)
            throws SQLException {
        try {
            return (SQLiteConnection) sc.createConnection("jdbc:sqlite:" + location);
        } catch (SQLException | LinkageError e) {
            if (nativeLibraryLoaded()) {
                if (e instanceof LinkageError) {
                    throw (LinkageError) e;
                }
                throw Errors.openFailed(location, (SQLException) e);
            }
            Throwable reason = nativeLoadFailure;
            if (reason == null) {
                reason = e.getCause() != null ? e.getCause() : e;
                nativeLoadFailure = reason;
            }
            // The first attempt's exception only wraps the reason; a later one is a new symptom.
            throw Errors.nativeLibraryUnavailable(location, reason, e.getCause() == reason ? null : e);
        }
    }

    /** {@return whether sqlite-jdbc has its native library (after it tried to load it)} */
    private static boolean nativeLibraryLoaded() {
        try {
            return org.sqlite.core.NativeDB.load();
        } catch (Exception e) {
            return false;
        }
    }
}
