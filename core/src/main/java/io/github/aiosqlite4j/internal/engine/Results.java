package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.RowMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement that ran and may have rows waiting, and how its rows are fetched: {@link
 * Engine#execute} makes one; the worker steps it ({@link #fetchInto}) until its last row, and then
 * its row count is final and its statement goes back to the {@link StatementCache}.
 *
 * <p>Like CPython's cursor, a fetch steps one row past the rows it returns ({@link #lookahead}),
 * so the statement is reset (its read lock dropped) as soon as the last row is handed out, not
 * only when the caller asks past the end.
 *
 * <p>The one deferred-error rule ({@link #keeps}): an error met while reading rows no fetch asked
 * for yet is kept in {@link #deferred} and raised by the fetch that reaches it. A cursor's
 * read-ahead buffer ({@code DefaultCursor}) holds no error of its own; it is drained before this
 * statement's next fetch, so the error comes after the rows read before it. That buffer and the
 * step-ahead row stay apart: the buffer holds rows already mapped and is read on callers' threads
 * under the cursor's lock, while the step-ahead row is the worker's, and a cursor's mapper runs
 * for it only when a fetch takes it.
 *
 * <p>Worker thread only.
 */
public final class Results {
    final String sql;
    /** The statement, until released (null when there are no rows, or none left). */
    PreparedStatement ps;
    /** The rows, or null when there are none (left). */
    public ResultSet rs;
    public Columns columns;
    /**
     * Python's {@code rowcount}: the rows a DML statement changed ({@link
     * io.github.aiosqlite4j.internal.sql.StatementInfo#isDml}, the one rule), 0 while a DML statement's RETURNING rows
     * are not all read, -1 for any other statement.
     */
    public long rowCount;
    /** Whether this statement reports the rows it changed (isDml). */
    boolean countsChanges;
    /** Whether the statement only reads: a stop may abort its fetches anywhere (CancellationGate). */
    boolean readOnly;
    /** The row stepped to past the last fetch's rows; the next fetch starts with it. */
    Row lookahead;
    /** The error that ends the rows, kept for the fetch that reaches it (see {@link #keeps}). */
    SQLException deferred;
    /** Reads this result's rows one at a time; set by the first such read. */
    RowReader.InLock reader;
    /** Where the statement stands for {@link RowReader#readRows}: RowReader.BEFORE_FIRST, POSITIONED or CONSUMED. */
    byte cursor;

    /** Rows read at a time for {@link #fetchMapped}, then mapped. */
    private static final int MAPPED_BATCH = 256;

    /** No statement yet: no columns, no row count. */
    Results(String sql) {
        this.sql = sql;
        this.columns = Columns.NONE;
        this.rowCount = -1;
    }

    /** {@return whether rows (or the error that ends them) remain to be fetched} */
    public static boolean hasMore(Results r) {
        return r != null && (r.rs != null || r.lookahead != null || r.deferred != null);
    }

    /** Fetches up to max rows (max &lt; 0: all). */
    List<Row> fetch(Engine engine, int max) throws SQLException {
        if (!hasMore(this)) {
            return new ArrayList<>(0);
        }
        List<Row> rows = new ArrayList<>(max < 0 ? 16 : Math.min(max, 1024));
        fetchInto(engine, rows, max, 0L, false);
        return rows;
    }

    /**
     * Appends up to max rows (max &lt; 0: all) to out, stopping early once deadline (a
     * System.nanoTime() value; 0 for none) has passed. On an error the rows read before it stay in
     * out and the statement is dropped; the error is thrown, or kept for the next call if {@link
     * #keeps} says so.
     *
     * @param readAhead whether no fetch asked for these rows (an execute reading its first rows)
     */
    void fetchInto(Engine engine, List<Row> out, int max, long deadline, boolean readAhead)
            throws SQLException {
        if (deferred != null) {
            SQLException e = deferred;
            deferred = null;
            throw e;
        }
        if (rs == null && lookahead == null) {
            return;
        }
        engine.gate().statement(readOnly);
        int limit = max < 0 ? Integer.MAX_VALUE : out.size() + max;
        int before = out.size();
        boolean steppingAhead = false;
        try {
            if (lookahead != null && out.size() < limit) {
                out.add(lookahead);
                lookahead = null;
            }
            while (rs != null && out.size() < limit) {
                if (deadline != 0 && System.nanoTime() - deadline > 0) {
                    break;
                }
                if (!engine.readRows(this, out, limit - out.size())) {
                    done(engine);
                }
            }
            engine.checkCallbackError(sql);
            if (rs != null && lookahead == null) {
                steppingAhead = true;
                List<Row> ahead = new ArrayList<>(1);
                while (rs != null && ahead.isEmpty()) {
                    if (!engine.readRows(this, ahead, 1)) {
                        done(engine);
                    }
                }
                lookahead = ahead.isEmpty() ? null : ahead.get(0);
            }
        } catch (SQLException | RuntimeException e) {
            StatementCache.closeQuietly(ps);
            ps = null;
            rs = null;
            lookahead = null;
            SQLException error = engine.failure(sql, e);
            if (keeps(engine, readAhead, steppingAhead, out.size() > before)) {
                deferred = error;
                return;
            }
            throw error;
        }
    }

    /**
     * The deferred-error rule: whether an error (already translated; a cancellation was thrown
     * instead) is kept for the next fetch rather than raised by this call. Kept when no fetch
     * asked for the row it was met on: during an execute's read-ahead, always; during a fetch,
     * when it was met stepping past the rows this fetch returns (it got at least one) and the
     * task was not stopped (a stop belongs to this fetch).
     */
    private static boolean keeps(Engine engine, boolean readAhead, boolean steppingAhead,
            boolean gotRows) {
        return readAhead || (steppingAhead && gotRows && !engine.stopRequested());
    }

    /**
     * The statement returned its last row: its row count is now known (SQLite counts a
     * statement's changes when it finishes, so this is this statement's count even if others ran
     * while its rows were read), and it is released.
     */
    private void done(Engine engine) throws SQLException {
        if (countsChanges) {
            rowCount = engine.changes();
        }
        engine.release(this);
    }

    /** All rows, each mapped; what the mapper throws is the user's own. */
    <T> List<T> fetchMapped(Engine engine, RowMapper<T> mapper) throws SQLException {
        if (rs == null) {
            return new ArrayList<>(0);
        }
        List<T> out = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        try {
            boolean more = true;
            while (more) {
                rows.clear();
                more = engine.readRows(this, rows, MAPPED_BATCH);
                for (Row row : rows) {
                    T value;
                    try {
                        value = mapper.map(row);
                    } catch (Throwable e) {
                        engine.usersOwn(e); // the mapper's own: reaches the future unchanged
                        throw e;
                    }
                    out.add(value);
                }
            }
        } finally {
            engine.release(this);
        }
        return out;
    }

    /** Closes the rows and gives the statement back to the cache (finished or abandoned). */
    void release(StatementCache statements) {
        if (ps == null) {
            return;
        }
        try {
            if (rs != null) {
                rs.close();
            }
            statements.release(sql, ps);
        } catch (SQLException e) {
            StatementCache.closeQuietly(ps);
        } finally {
            ps = null;
            rs = null;
        }
    }
}
