package io.github.aiosqlite4j.internal.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A port of Python's {@code sqlite3.Connection.iterdump()}: the database as SQL text, one
 * statement per line, byte-for-byte as CPython 3.13's {@code Lib/sqlite3/dump.py} produces it,
 * with its {@code filter} argument: a {@code LIKE} pattern that both schema listings below apply to
 * the object's own {@code name} (so an index, trigger or view is dumped when its name matches,
 * whatever table it belongs to, and {@code sqlite_sequence} only when that name matches).
 *
 * <p>The dump is produced lazily, a chunk per {@link #next(int)} call, so a large table is
 * streamed rather than loaded: between calls at most one {@link Statement} with its
 * {@link ResultSet} (the rows of the table being dumped) stays open, and other statements may run
 * on the same connection in between. The schema listings and {@code sqlite_sequence} are read
 * whole, as Python does. The {@code INSERT} text is built by SQLite itself with {@code quote()},
 * as in Python, so reals, blobs, {@code NULL} and text are formatted by the SQLite library in use.
 *
 * <p>The output, in order:
 * <ol>
 *   <li>{@code PRAGMA foreign_keys=OFF;} only if {@code PRAGMA foreign_key_check} reports a
 *       violation, then {@code BEGIN TRANSACTION;}</li>
 *   <li>for each table of {@code sqlite_master} by name: its {@code CREATE} statement (or, for a
 *       virtual table, {@code PRAGMA writable_schema=ON;} once and an {@code INSERT INTO
 *       sqlite_master}; for {@code sqlite_stat1}, {@code ANALYZE "sqlite_master";}; other
 *       {@code sqlite_} tables are skipped), followed by one {@code INSERT} per row;</li>
 *   <li>the indexes, triggers and views, in {@code sqlite_master} order;</li>
 *   <li>{@code PRAGMA writable_schema=OFF;} if it was turned on, the {@code sqlite_sequence}
 *       statements, and {@code COMMIT;}.</li>
 * </ol>
 *
 * <p>Differences between Python versions, and what this class follows:
 * <ul>
 *   <li>Python 3.11 and 3.12 do not check foreign keys: they never emit
 *       {@code PRAGMA foreign_keys=OFF;}. Early 3.13 development builds emitted it
 *       unconditionally. Python 3.13 emits it first only when {@code PRAGMA foreign_key_check}
 *       returns a row; this class does the same.</li>
 *   <li>Python 3.11 writes the {@code sqlite_sequence} table names as {@code 'name'} without
 *       doubling single quotes inside; 3.13 doubles them ({@code _quote_value}); this class follows
 *       3.13.</li>
 *   <li>A table whose name contains a single quote makes Python 3.11, and 3.13 before the
 *       CPython gh-153658 fix (July 2026, backported), fail with {@code OperationalError}: the
 *       quoted name was pasted into a SQL string literal unescaped. The fix doubles the quotes in
 *       that literal; this class includes it, so such a table dumps as
 *       {@code INSERT INTO "a'b" VALUES(...);} instead of failing. Other names are unaffected.</li>
 * </ul>
 *
 * <p>Not thread-safe: use an instance from one thread at a time (typically the connection's
 * worker thread). After an exception from {@link #next(int)} the dump is over, like a Python
 * generator that raised: the open statement is closed and later calls return an empty list.
 */
public final class Dumper implements AutoCloseable {

    /** The two schema listings; {@code %s} is where {@link #FILTER_CLAUSE} goes, if any. */
    private static final String TABLES_QUERY = "SELECT \"name\", \"type\", \"sql\""
            + " FROM \"sqlite_master\" WHERE \"sql\" NOT NULL AND \"type\" == 'table'%s"
            + " ORDER BY \"name\"";
    private static final String OTHERS_QUERY = "SELECT \"name\", \"type\", \"sql\""
            + " FROM \"sqlite_master\" WHERE \"sql\" NOT NULL"
            + " AND \"type\" IN ('index', 'trigger', 'view')%s";
    /** What Python adds to both queries when a filter is given. */
    private static final String FILTER_CLAUSE = " AND \"name\" LIKE ?";

    /** Where the state machine is. */
    private enum Stage {
        /** Nothing read yet. */
        START,
        /** Walking the table list; {@link #rows} may be open on the current table's rows. */
        TABLES,
        /** Every line is produced or queued in {@link #pending}. */
        DONE
    }

    private final Connection connection;
    /** The LIKE pattern, or null for every object. */
    private final String filter;
    /** Lines produced but not yet returned. */
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    /** The {@code sqlite_sequence} statements, without the trailing semicolon, for the end. */
    private final List<String> sequence = new ArrayList<>();
    private Stage stage = Stage.START;
    /** (name, type, sql) of each table in {@code sqlite_master}, read whole as Python does. */
    private Iterator<String[]> tables;
    private boolean writableSchema;
    private Statement rowsStatement;
    private ResultSet rows;

    /**
     * Creates a dumper of the whole database; nothing is read until the first {@link #next(int)}.
     *
     * @param connection the open SQLite connection to dump; it stays owned by the caller and is
     *     only used from the thread calling {@link #next(int)}
     */
    public Dumper(Connection connection) {
        this(connection, null);
    }

    /**
     * Creates a dumper of the objects whose name matches {@code filter}; nothing is read until the
     * first {@link #next(int)}.
     *
     * @param connection the open SQLite connection to dump, as for {@link #Dumper(Connection)}
     * @param filter a {@code LIKE} pattern; null or empty means every object, as in Python (whose
     *     {@code if filter:} treats {@code ""} as no filter)
     */
    public Dumper(Connection connection, String filter) {
        this.connection = Objects.requireNonNull(connection, "connection must not be null");
        this.filter = filter == null || filter.isEmpty() ? null : filter;
    }

    /**
     * Returns the next lines of the dump, each one SQL statement ending in {@code ;} (a statement
     * may itself contain newlines, e.g. text values or a multi-line {@code CREATE}).
     *
     * <p>The list has exactly {@code maxLines} lines unless the dump ends within this chunk; it is
     * empty once the dump is finished, after {@link #close()}, or after a previous call failed.
     *
     * @param maxLines the most lines to return; at least 1
     * @return up to {@code maxLines} further lines, fewer only at the end of the dump
     * @throws IllegalArgumentException if {@code maxLines} is less than 1
     * @throws SQLException if reading the database fails; the dump is then over
     */
    public List<String> next(int maxLines) throws SQLException {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be at least 1, was " + maxLines);
        }
        List<String> out = new ArrayList<>(Math.min(maxLines, 1024));
        try {
            while (out.size() < maxLines) {
                if (!pending.isEmpty()) {
                    out.add(pending.poll());
                } else if (rows != null) {
                    if (rows.next()) {
                        out.add(rows.getString(1) + ";");
                    } else {
                        closeRows();
                    }
                } else if (!advance()) {
                    break;
                }
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
        return out;
    }

    /**
     * Queues the lines of the next step, or opens the next table's rows.
     *
     * @return false when there is nothing more to do
     */
    private boolean advance() throws SQLException {
        switch (stage) {
            case START:
                if (hasRow("PRAGMA foreign_key_check")) {
                    pending.add("PRAGMA foreign_keys=OFF;");
                }
                pending.add("BEGIN TRANSACTION;");
                tables = readSchema(TABLES_QUERY).iterator();
                stage = Stage.TABLES;
                return true;
            case TABLES:
                if (tables.hasNext()) {
                    String[] table = tables.next();
                    startTable(table[0], table[2]);
                } else {
                    tables = null;
                    finish();
                }
                return true;
            case DONE:
            default:
                return false;
        }
    }

    /** One iteration of Python's loop over the tables. */
    private void startTable(String name, String sql) throws SQLException {
        if (name.equals("sqlite_sequence")) {
            sequence.clear();
            sequence.add("DELETE FROM \"sqlite_sequence\"");
            for (String[] row : readAll("SELECT * FROM \"sqlite_sequence\";", 1, 2)) {
                if (row[0] == null) {
                    throw Errors.library("NULL table name in sqlite_sequence", null);
                }
                // Python formats the value with str(): None for NULL.
                sequence.add("INSERT INTO \"sqlite_sequence\" VALUES(" + quoteValue(row[0]) + ","
                        + (row[1] == null ? "None" : row[1]) + ")");
            }
            return;
        } else if (name.equals("sqlite_stat1")) {
            pending.add("ANALYZE \"sqlite_master\";");
        } else if (name.startsWith("sqlite_")) {
            return;
        } else if (sql.startsWith("CREATE VIRTUAL TABLE")) {
            if (!writableSchema) {
                writableSchema = true;
                pending.add("PRAGMA writable_schema=ON;");
            }
            pending.add("INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql)VALUES('table',"
                    + quoteValue(name) + "," + quoteValue(name) + ",0," + quoteValue(sql) + ");");
        } else {
            pending.add(sql + ";");
        }
        String ident = quoteName(name);
        // SELECT 'INSERT INTO "t" VALUES('||quote("a")||','||quote("b")||')' FROM "t";
        StringBuilder q = new StringBuilder("SELECT 'INSERT INTO ")
                .append(escapeSingleQuotes(ident)).append(" VALUES('");
        String separator = "";
        for (String[] info : readAll("PRAGMA table_info(" + ident + ")", 2, 2)) {
            q.append(separator).append("||quote(").append(quoteName(info[0])).append(")||");
            separator = "','";
        }
        q.append("')' FROM ").append(ident).append(';');
        Statement statement = connection.createStatement();
        try {
            rows = statement.executeQuery(q.toString());
            rowsStatement = statement;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(statement);
            throw e;
        }
    }

    /** Queues everything after the table rows. */
    private void finish() throws SQLException {
        for (String[] other : readSchema(OTHERS_QUERY)) {
            pending.add(other[2] + ";");
        }
        if (writableSchema) {
            pending.add("PRAGMA writable_schema=OFF;");
        }
        for (String line : sequence) {
            pending.add(line + ";");
        }
        sequence.clear();
        pending.add("COMMIT;");
        stage = Stage.DONE;
    }

    private boolean hasRow(String sql) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        }
    }

    /** (name, type, sql) of each row of a {@code sqlite_master} query, with the filter if any. */
    private List<String[]> readSchema(String query) throws SQLException {
        if (filter == null) {
            return readAll(String.format(query, ""), 1, 3);
        }
        try (PreparedStatement ps = connection.prepareStatement(String.format(query, FILTER_CLAUSE))) {
            ps.setString(1, filter);
            try (ResultSet rs = ps.executeQuery()) {
                return readAll(rs, 1, 3);
            }
        }
    }

    /** Every row of {@code sql}, as the text of columns {@code from..to} (1-based). */
    private List<String[]> readAll(String sql, int from, int to) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return readAll(rs, from, to);
        }
    }

    private static List<String[]> readAll(ResultSet rs, int from, int to) throws SQLException {
        List<String[]> out = new ArrayList<>();
        while (rs.next()) {
            String[] row = new String[to - from + 1];
            for (int i = from; i <= to; i++) {
                row[i - from] = rs.getString(i);
            }
            out.add(row);
        }
        return out;
    }

    /** Python's {@code _quote_name}: a double-quoted identifier. */
    private static String quoteName(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Python's {@code _quote_value}: a single-quoted string literal. */
    private static String quoteValue(String value) {
        return "'" + escapeSingleQuotes(value) + "'";
    }

    private static String escapeSingleQuotes(String value) {
        return value.replace("'", "''");
    }

    private void closeRows() {
        closeQuietly(rows);
        closeQuietly(rowsStatement);
        rows = null;
        rowsStatement = null;
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Nothing useful to do: the dump is over or the error being thrown matters more.
            }
        }
    }

    /**
     * Ends the dump: closes the open statement and result set, if any, and makes later
     * {@link #next(int)} calls return an empty list. Does not close the connection. Idempotent.
     */
    @Override
    public void close() {
        closeRows();
        stage = Stage.DONE;
        tables = null;
        pending.clear();
        sequence.clear();
    }
}
