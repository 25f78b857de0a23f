package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Row;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;
import org.sqlite.core.SafeStmtPtr;

/**
 * How a row is read: straight from the statement over JNI, one native-lock section per row, and
 * per column the storage class then the value ({@code ResultSet.getObject} would take the lock
 * twice per column and box small integers as Integer first); and a result's columns, once per
 * execution ({@link #columns}).
 *
 * <p>A TEXT value is read as its stored bytes ({@code column_blob}) and decoded here once the
 * database is known to store UTF-8 (see {@link #rawUtf8Text}): the same bytes {@code column_text}
 * would give, without the direct ByteBuffer sqlite-jdbc builds for each text value through JNI.
 * Until then (the first row of each result that holds text) it is read with {@code column_text}.
 * One per connection, worker thread only; each result has its own {@link InLock}.
 */
final class RowReader {
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
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
    private io.github.aiosqlite4j.internal.nativelib.NativeConnection nativeConn;
    /** Set once the main database is known to store text as UTF-8 for good. */
    private boolean utf8Fixed;

    RowReader(CancellationGate gate) {
        this.gate = gate;
    }

    void attach(Connection connection, io.github.aiosqlite4j.internal.nativelib.NativeConnection nativeConnection) {
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
