package io.github.aiosqlite4j.internal.live;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteUpdateListener;
import org.sqlite.core.DB;

/**
 * SQLite's update hook and commit/rollback hooks on the connection that writes (sqlite-jdbc binds
 * them: {@link SQLiteConnection#addUpdateListener}, {@link SQLiteConnection#addCommitListener}),
 * registered only while someone watches. Collects the tables the open transaction changed; a
 * commit hands them to the {@link LiveHub}, a rollback drops them. A savepoint rolled back keeps
 * its tables (conservative: the re-query finds the same result, which is not emitted).
 *
 * <p>The update hook does not see every change: not a {@code WITHOUT ROWID} table's, nor a {@code
 * DELETE} without {@code WHERE} (SQLite's truncate optimization). Both count in {@code
 * sqlite3_total_changes}: when it grew by more than the rows the hook reported, the commit
 * changed something unnamed, and every watcher re-queries.
 *
 * <p>Worker thread only: SQLite calls the hooks on the thread inside it. Nothing is thrown back
 * into SQLite.
 */
final class ChangeListener implements SQLiteUpdateListener, SQLiteCommitListener {
    private final LiveHub hub;
    private final DB db;
    /** Tables changed by the open transaction (lower case). */
    private Set<String> changed = new HashSet<>();
    /** The last table name the update hook reported (most changes come in runs on one table). */
    private String last;
    /** Rows the update hook reported in the open transaction. */
    private long rows;
    /** sqlite3_total_changes when the last transaction ended. */
    private long baseline;
    /**
     * The open transaction may hold changes we did not see: those made before we listened, or
     * the total_changes check failed.
     */
    private boolean unknown;

    ChangeListener(LiveHub hub, SQLiteConnection conn, boolean inTransaction) {
        this.hub = hub;
        this.db = conn.getDatabase();
        this.baseline = totalChanges();
        this.unknown = inTransaction;
    }

    void attach(SQLiteConnection conn) {
        conn.addUpdateListener(this);
        conn.addCommitListener(this);
    }

    void detach(SQLiteConnection conn) {
        conn.removeUpdateListener(this);
        conn.removeCommitListener(this);
    }

    /** @return whether the open transaction has (or may have) changes not yet committed */
    boolean uncommittedChanges() {
        return unknown || rows > 0 || totalChanges() != baseline;
    }

    @Override
    public void onUpdate(Type type, String database, String table, long rowId) {
        rows++;
        if (!table.equals(last)) {
            last = table;
            changed.add(table.toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public void onCommit() {
        long total = totalChanges();
        boolean unnamed = unknown || total - baseline > rows;
        Set<String> tables = changed;
        reset(total);
        if (unnamed || !tables.isEmpty()) {
            hub.committed(unnamed ? null : tables);
        }
    }

    @Override
    public void onRollback() {
        reset(totalChanges());
        hub.rolledBack();
    }

    private void reset(long total) {
        baseline = total;
        rows = 0;
        last = null;
        unknown = total < 0;
        if (!changed.isEmpty()) {
            changed = new HashSet<>();
        }
    }

    /** @return sqlite3_total_changes, or -1 if it cannot be read (then changes count as unknown) */
    private long totalChanges() {
        try {
            return db.total_changes();
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }
}
