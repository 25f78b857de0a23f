package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;
import org.sqlite.core.SafeStmtPtr;

/**
 * How rows are read. With our native library ({@link NativeConnection#readRows}): many rows per
 * JNI call, their values copied into three arrays of this reader's ({@link #types}, {@link #nums},
 * {@link #heap}) and made into Java values here; a row too large for the heap is read alone, as
 * below. Without it: one row at a time, straight from the statement over JNI, one native-lock
 * section per row, and per column the storage class then the value ({@code ResultSet.getObject}
 * would take the lock twice per column and box small integers as Integer first). Also a result's
 * columns, once per execution ({@link #columns}).
 *
 * <p>In the one-row path a TEXT value is read as its stored bytes ({@code column_blob}) and
 * decoded here once the database is known to store UTF-8 (see {@link #rawUtf8Text}): the same
 * bytes {@code column_text} would give, without the direct ByteBuffer sqlite-jdbc builds for each
 * text value through JNI. Until then (the first row of each result that holds text) it is read
 * with {@code column_text}. The batch path reads {@code sqlite3_column_text}, always UTF-8.
 *
 * <p>One per connection, worker thread only; each result has its own {@link InLock}.
 */
final class RowReader {
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;
    private static final int SQLITE_NULL = 5;

    // How a result reads TEXT values (InLock.textMode).
    static final byte TEXT_UNKNOWN = 0;
    static final byte TEXT_RAW = 1;
    static final byte TEXT_DECODED = 2;

    /** Shields the encoding query from the progress handler. */
    private final CancellationGate gate;
    /** Set by {@link #attach} when the connection opens: the encoding query runs on it. */
    private Connection conn;
    /** Our native library on the connection, or null: its callbacks are kept from the encoding query. */
    private NativeConnection nativeConn;
    /** Set once the main database is known to store text as UTF-8 for good. */
    private boolean utf8Fixed;

    // Where a result's statement stands (Results.cursor), for the batch path.
    /** sqlite-jdbc's {@code ResultSet.next()} was not called yet: it knows whether there is a row. */
    static final byte BEFORE_FIRST = 0;
    /** The statement's current row is not read yet. */
    static final byte POSITIONED = 1;
    /** The current row was read: the next one is a step away. */
    static final byte CONSUMED = 2;

    /**
     * The batch path's cells (rows x columns) at first and at most (unless one row has more
     * columns): a connection that reads a few rows at a time keeps small arrays, a streaming one
     * grows them.
     */
    private static final int CELLS_FIRST = 256;
    private static final int CELLS_MAX = 4096;
    /** The batch path's first heap, and the largest it grows to: a longer row is read alone. */
    private static final int HEAP_FIRST = 2 * 1024;
    private static final int HEAP_MAX = 256 * 1024;
    /** Rows per call of {@link #readRows} without the library (the caller checks its deadline between calls). */
    private static final int ONE_BY_ONE = 64;

    // The batch path's arrays: allocated by the first batch, grown as rows need (never shrunk).
    private byte[] types;
    private long[] nums;
    private byte[] heap;
    private final Object[] thrown = new Object[1];
    private final Batch batch = new Batch();

    RowReader(CancellationGate gate) {
        this.gate = gate;
    }

    void attach(Connection connection, NativeConnection nativeConnection) {
        this.conn = connection;
        this.nativeConn = nativeConnection;
    }

    /** The result's column names and declared types (a declared type is "" when there is none). */
    static Columns columns(PreparedStatement ps, ResultSet rs) throws SQLException {
        // sqlite-jdbc reads every column name when it hands out the result set (CoreResultSet.cols,
        // what getColumnLabel answers); reading them again through the metadata would cost a JNI
        // call, a direct ByteBuffer and a copy per column.
        String[] read = rs instanceof CoreResultSet ? ((CoreResultSet) rs).cols : null;
        java.sql.ResultSetMetaData md = read == null ? rs.getMetaData() : null;
        int n = read != null ? read.length : md.getColumnCount();
        String[] names = read != null ? read : new String[n]; // a new array per execution
        String[] types = new String[n];
        CoreStatement core = (CoreStatement) ps;
        for (int i = 0; i < n; i++) {
            if (md != null) {
                names[i] = md.getColumnLabel(i + 1);
            }
            final int col = i;
            String t = core.pointer.safeRun((d, ptr) -> d.column_decltype(ptr, col));
            types[i] = t == null ? "" : t;
        }
        return new Columns(names, types);
    }

    /**
     * Appends up to want (at least 1) rows of r to out, stepping r's statement; rows read before
     * an error stay in out. Returns false once the statement returned its last row (the caller
     * then releases it); true may come with fewer rows than asked, even none.
     */
    boolean readRows(Results r, List<Row> out, int want) throws SQLException {
        if (nativeConn == null) {
            for (int i = Math.min(want, ONE_BY_ONE); i > 0; i--) {
                if (!r.rs.next()) {
                    return false;
                }
                out.add(read(r));
            }
            return true;
        }
        if (r.cursor == BEFORE_FIRST) {
            if (!r.rs.next()) {
                return false;
            }
            r.cursor = POSITIONED;
        }
        int cols = r.columns.size();
        if (nums == null || nums.length < cols) {
            int cells = Math.max(cols, (int) Math.min((long) want * cols, CELLS_FIRST));
            nums = new long[cells];
            types = new byte[cells];
        }
        if (heap == null) {
            heap = new byte[HEAP_FIRST];
        }
        batch.positioned = r.cursor == POSITIONED;
        batch.max = want;
        long result = ((CoreStatement) r.ps).pointer.safeRunLong(batch);
        int rows = (int) result;
        int state = (int) (result >>> 32) & 0xF;
        long extra = result >>> 36;
        decode(r.columns, rows, out);
        switch (state) {
            case NativeConnection.ROWS_MORE:
                r.cursor = CONSUMED;
                if (rows < want && nums.length < CELLS_MAX) { // the cells were the limit
                    int cells = Math.max(cols, Math.min(CELLS_MAX, 2 * nums.length));
                    nums = new long[cells];
                    types = new byte[cells];
                }
                return true;
            case NativeConnection.ROWS_POSITIONED:
                r.cursor = POSITIONED;
                if (extra > HEAP_MAX) {
                    out.add(read(r)); // a long row alone, in its own arrays
                    r.cursor = CONSUMED;
                } else if (heap.length < HEAP_MAX) { // (a row that did not fit alone needs it)
                    heap = new byte[(int) Math.min(HEAP_MAX, Math.max(2L * heap.length, 2 * extra))];
                }
                return true;
            case NativeConnection.ROWS_DONE:
                return false;
            case NativeConnection.ROWS_THROWN:
                Object e = thrown[0];
                thrown[0] = null;
                r.cursor = CONSUMED;
                if (e instanceof SQLException) {
                    throw (SQLException) e;
                }
                if (e instanceof RuntimeException) {
                    throw (RuntimeException) e;
                }
                if (e instanceof Error) {
                    throw (Error) e;
                }
                throw new IllegalStateException("a callback failed while stepping", (Throwable) e); // a checked one, thrown sneakily
            default: // ROWS_ERROR: as sqlite-jdbc's ResultSet.next() raises it
                r.cursor = CONSUMED;
                batch.db.throwex((int) extra);
                throw new IllegalStateException("unreachable");
        }
    }

    /** Makes Java values of the first rows of the batch arrays. */
    private void decode(Columns columns, int rows, List<Row> out) {
        int cols = columns.size();
        byte[] t = types;
        long[] v = nums;
        byte[] h = heap;
        int k = 0;
        int at = 0;
        for (int i = 0; i < rows; i++) {
            Object[] values = new Object[cols];
            for (int c = 0; c < cols; c++, k++) {
                switch (t[k]) {
                    case SQLITE_INTEGER:
                        values[c] = v[k];
                        break;
                    case SQLITE_FLOAT:
                        values[c] = Double.longBitsToDouble(v[k]);
                        break;
                    case SQLITE_TEXT: {
                        int n = (int) v[k];
                        values[c] = new String(h, at, n, StandardCharsets.UTF_8);
                        at += n;
                        break;
                    }
                    case SQLITE_BLOB: {
                        int n = (int) v[k];
                        values[c] = Arrays.copyOfRange(h, at, at + n);
                        at += n;
                        break;
                    }
                    default: // SQLITE_NULL
                        break;
                }
            }
            out.add(new MaterializedRow(columns, values));
        }
    }

    /** One batch, inside the statement's lock; reused. */
    private final class Batch implements SafeStmtPtr.SafePtrLongFunction<SQLException> {
        boolean positioned;
        int max;
        /** sqlite-jdbc's database: raises an error as its own ResultSet would. */
        DB db;

        @Override
        public long run(DB d, long ptr) {
            db = d;
            return NativeConnection.readRows(ptr, positioned, max, types, nums, heap, thrown);
        }
    }

    /** Reads the row r's statement is on. */
    Row read(Results r) throws SQLException {
        InLock reader = r.reader;
        if (reader == null) {
            reader = new InLock();
            if (utf8Fixed) {
                reader.textMode = TEXT_RAW; // known for the connection: no column_text at all
            }
            r.reader = reader;
        }
        Object[] values = new Object[r.columns.size()];
        reader.values = values;
        int sawText = ((CoreStatement) r.ps).pointer.safeRunInt(reader);
        reader.values = null;
        if (sawText != 0 && reader.textMode == TEXT_UNKNOWN) {
            reader.textMode = rawUtf8Text() ? TEXT_RAW : TEXT_DECODED;
        }
        return new MaterializedRow(r.columns, values);
    }

    /** Reads the current row into values, inside the statement's lock; one per result. */
    static final class InLock implements SafeStmtPtr.SafePtrIntFunction<SQLException> {
        /** The row being read; set only during {@link RowReader#read}. */
        Object[] values;
        /** How this result reads TEXT values: TEXT_UNKNOWN, TEXT_RAW or TEXT_DECODED. */
        byte textMode;

        /** {@return 1 if the row holds a TEXT value, else 0} */
        @Override
        public int run(DB db, long ptr) throws SQLException {
            Object[] out = values;
            boolean raw = textMode == TEXT_RAW;
            int text = 0;
            for (int i = 0; i < out.length; i++) {
                switch (db.column_type(ptr, i)) {
                    case SQLITE_INTEGER:
                        out[i] = db.column_long(ptr, i);
                        break;
                    case SQLITE_FLOAT:
                        out[i] = db.column_double(ptr, i);
                        break;
                    case SQLITE_BLOB:
                        out[i] = db.column_blob(ptr, i);
                        break;
                    case SQLITE_NULL:
                        out[i] = null;
                        break;
                    default:
                        byte[] utf8 = raw ? db.column_blob(ptr, i) : null;
                        out[i] = utf8 != null ? new String(utf8, StandardCharsets.UTF_8)
                                : db.column_text(ptr, i);
                        text = 1;
                        break;
                }
            }
            return text;
        }
    }

    /** The database was replaced (deserialize, restore): its encoding is asked again. */
    void forgetEncoding() {
        utf8Fixed = false;
    }

    /**
     * Whether every TEXT value this connection returns is UTF-8 in SQLite (results are always in
     * the main database's encoding, and attached databases must share it). The encoding is fixed
     * once the database has a first page (PRAGMA encoding can no longer change it), so a positive
     * answer is kept until deserialize or restore replace the database; an empty database is asked
     * again for the next result with text. On any error: false (column_text is always right).
     * The query is the engine's own: no trace, authorizer or progress callback sees it.
     */
    private boolean rawUtf8Text() {
        if (utf8Fixed) {
            return true;
        }
        boolean was = gate.enterOwnStatement(); // the user's progress handler is not called for this query
        if (nativeConn != null) {
            nativeConn.beginQuiet(); // nor SQLite's authorizer and trace
        }
        try (java.sql.Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("select e.encoding, c.page_count"
                        + " from pragma_encoding e, pragma_page_count c")) {
            utf8Fixed = rs.next() && "UTF-8".equals(rs.getString(1)) && rs.getLong(2) > 0;
        } catch (SQLException e) {
            return false;
        } finally {
            gate.exitOwnStatement(was);
            if (nativeConn != null) {
                nativeConn.endQuiet();
            }
        }
        return utf8Fixed;
    }
}
