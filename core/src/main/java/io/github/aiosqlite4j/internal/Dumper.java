package io.github.aiosqlite4j.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Python's {@code sqlite3.Connection.iterdump()} (CPython 3.13 {@code Lib/sqlite3/dump.py}, without
 * the {@code filter} argument), as a lazy state machine: each {@link #next(int)} call produces a
 * few lines, keeping at most one open result set between calls, so a large table is streamed, not
 * loaded. The lines are byte-for-byte Python's: the INSERT text is built by SQLite's {@code
 * quote()}, as Python does. Python 3.13 adds {@code PRAGMA foreign_keys=OFF;} first when {@code
 * PRAGMA foreign_key_check} reports violations; 3.11 does not; this follows 3.13.
 */
public final class Dumper implements AutoCloseable {
    private final Connection connection;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private Iterator<String[]> tables;
    private final List<String> sequence = new ArrayList<>();
    private boolean writableSchema;
    private Statement rowsStatement;
    private ResultSet rows;
    private int stage;

    /**
     * @param connection the JDBC connection to dump, used only from the calling thread
     */
    public Dumper(Connection connection) {
        this.connection = connection;
    }

    /**
     * The next dump lines.
     *
     * @param maxLines at most this many lines
     * @return up to {@code maxLines} lines; an empty list once the dump is complete
     * @throws SQLException if reading the database fails
     */
    public List<String> next(int maxLines) throws SQLException {
        List<String> out = new ArrayList<>(Math.min(maxLines, 256));
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
        return out;
    }

    /** Moves to the next stage; false when everything was produced. */
    private boolean advance() throws SQLException {
        switch (stage) {
            case 0:
                if (!query("PRAGMA foreign_key_check").isEmpty()) {
                    pending.add("PRAGMA foreign_keys=OFF;");
                }
                pending.add("BEGIN TRANSACTION;");
                tables = query("SELECT \"name\", \"type\", \"sql\" FROM \"sqlite_master\" WHERE \"sql\""
                        + " NOT NULL AND \"type\" == 'table' ORDER BY \"name\"").iterator();
                stage = 1;
                return true;
            case 1:
                if (tables.hasNext()) {
                    table(tables.next());
                    return true;
                }
                for (String[] other : query("SELECT \"name\", \"type\", \"sql\" FROM \"sqlite_master\""
                        + " WHERE \"sql\" NOT NULL AND \"type\" IN ('index', 'trigger', 'view')")) {
                    pending.add(other[2] + ";");
                }
                if (writableSchema) {
                    pending.add("PRAGMA writable_schema=OFF;");
                }
                for (String s : sequence) {
                    pending.add(s + ";");
                }
                pending.add("COMMIT;");
                stage = 2;
                return true;
            default:
                return false;
        }
    }

    private void table(String[] t) throws SQLException {
        String name = t[0];
        String sql = t[2];
        if (name.equals("sqlite_sequence")) {
            sequence.clear();
            sequence.add("DELETE FROM \"sqlite_sequence\"");
            for (String[] row : query("SELECT * FROM \"sqlite_sequence\";")) {
                sequence.add("INSERT INTO \"sqlite_sequence\" VALUES(" + quoteValue(row[0]) + ","
                        + row[1] + ")");
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
        List<String> columns = new ArrayList<>();
        for (String[] info : query("PRAGMA table_info(" + ident + ")")) {
            columns.add(info[1]);
        }
        StringBuilder q = new StringBuilder("SELECT 'INSERT INTO ").append(ident).append(" VALUES(");
        for (int i = 0; i < columns.size(); i++) {
            q.append(i == 0 ? "'" : ",'").append("||quote(").append(quoteName(columns.get(i)))
                    .append(")||'");
        }
        q.append(")' FROM ").append(ident).append(";");
        rowsStatement = connection.createStatement();
        rows = rowsStatement.executeQuery(q.toString());
    }

    private List<String[]> query(String sql) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getString(i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }

    private static String quoteName(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String quoteValue(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private void closeRows() {
        Engine.closeQuietly(rows);
        Engine.closeQuietly(rowsStatement);
        rows = null;
        rowsStatement = null;
    }

    /** Releases the open result set, if any. Idempotent. */
    @Override
    public void close() {
        closeRows();
        stage = 2;
        pending.clear();
    }
}
