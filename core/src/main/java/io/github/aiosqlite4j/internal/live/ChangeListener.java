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
 * sqlite3_total_changes}, as every reported row does (rolled back or not), so the gap between the
 * two grows exactly when something unnamed changed. The gap is read between statements ({@link
 * #settle}, from the task the hub queues behind a commit: inside the hook, an autocommit
 * statement's own changes are not yet counted); when it grew, every watcher re-queries, and if a
 * transaction is open then, its commit counts as unnamed too.
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
    /** Rows the update hook reported since the last commit or rollback. */
    private long rows;
    /** Rows the update hook reported since we listen. */
    private long rowsSeen;
    /** total_changes - rowsSeen at the last {@link #settle}. */
    private long gap;
    /** The open transaction may hold an unnamed change (or one made before we listened). */
    private boolean openUnnamed;
    /** A commit since the last settle held an unnamed change. */
    private boolean committedUnnamed;

    ChangeListener(LiveHub hub, SQLiteConnection conn, boolean inTransaction) {
        this.hub = hub;
        this.db = conn.getDatabase();
        this.gap = totalChanges();
        this.openUnnamed = inTransaction;
    }

    void attach(SQLiteConnection conn) {
        conn.addUpdateListener(this);
        conn.addCommitListener(this);
    }

    void detach(SQLiteConnection conn) {
        conn.removeUpdateListener(this);
        conn.removeCommitListener(this);
    }

    /**
     * Between statements: whether the open transaction has (or may have) changes not committed.
     *
     * @param inTransaction whether a transaction is open
     */
    boolean uncommittedChanges(boolean inTransaction) {
        return inTransaction && (rows > 0 || openUnnamed || totalChanges() - rowsSeen != gap);
    }

    /**
     * Between statements, after a commit: whether something unnamed was committed since the last
     * call (then every watcher re-queries).
     *
     * @param inTransaction whether a transaction is open now (an unnamed change may be in it)
     */
    boolean settle(boolean inTransaction) {
        long total = totalChanges();
        long g = total - rowsSeen;
        boolean grew = total < 0 || g != gap;
        gap = g;
        if (grew && inTransaction) {
            openUnnamed = true;
        }
        boolean unnamed = grew || committedUnnamed;
        committedUnnamed = false;
        return unnamed;
    }

    @Override
    public void onUpdate(Type type, String database, String table, long rowId) {
        rows++;
        rowsSeen++;
        if (!table.equals(last)) {
            last = table;
            changed.add(table.toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public void onCommit() {
        committedUnnamed |= openUnnamed;
        Set<String> tables = changed;
        reset();
        hub.committed(tables);
    }

    @Override
    public void onRollback() {
        reset();
        hub.rolledBack();
    }

    private void reset() {
        rows = 0;
        last = null;
        openUnnamed = false;
        if (!changed.isEmpty()) {
            changed = new HashSet<>();
        }
    }

    /** {@return sqlite3_total_changes, or -1 if it cannot be read (then changes count as unknown)} */
    private long totalChanges() {
        try {
            return db.total_changes();
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }
}
