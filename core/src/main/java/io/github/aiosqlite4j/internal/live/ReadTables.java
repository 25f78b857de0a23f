package io.github.aiosqlite4j.internal.live;

import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tables one query reads, as SQLite itself resolves them (views, CTEs, subqueries and indexes
 * included), never by parsing SQL. With our native library: the authorizer's {@code SQLITE_READ}
 * reports while SQLite prepares the statement on the side ({@link NativeConnection#tablesRead}).
 * A query reading a virtual table counts every change (its changes reach the update hook as its
 * shadow tables', if at all), which the program tells ({@code VOpen}). Without the library: the
 * statement's program ({@code EXPLAIN}), whose {@code OpenRead} instructions name
 * the root pages of the b-trees it reads, mapped to their tables through each schema's {@code
 * sqlite_schema}. Worker thread only (runs on the engine).
 */
public final class ReadTables {
    private ReadTables() {
    }

    /**
     * Returns lower-cased table names; null when they cannot all be known (a virtual table): then
     * every change counts.
     *
     * @param engine the engine of the connection the query will run on (or one of the same file)
     * @param sql one read-only statement
     * @return lower-cased table names; null when they cannot all be known (a virtual table): then
     *     every change counts
     * @throws SQLException if SQLite cannot prepare sql
     */
    public static Set<String> of(Engine engine, String sql) throws SQLException {
        NativeConnection n = engine.nativeConnection();
        if (n != null) {
            Set<String> read = n.tablesRead(engine.jdbc(), sql);
            // A virtual table's changes reach the update hook as its shadow tables' (if at all).
            n.beginQuiet(); // the user's authorizer is not asked about our EXPLAIN
            try {
                return opened(engine.jdbc(), sql) == null ? null : read;
            } finally {
                n.endQuiet();
            }
        }
        return fromProgram(engine.jdbc(), sql);
    }

    /** {@return the b-trees the program opens for reading ({database index, root page}); null if it opens a virtual table} */
    private static List<long[]> opened(Connection conn, String sql) throws SQLException {
        List<long[]> opened = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("EXPLAIN " + sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String op = rs.getString(2);
                if ("OpenRead".equals(op) || "ReopenIdx".equals(op)) {
                    opened.add(new long[] {rs.getLong(5), rs.getLong(4)});
                } else if ("VOpen".equals(op)) {
                    return null;
                }
            }
        }
        return opened;
    }

    /** The EXPLAIN way: OpenRead root pages (tables and indexes) mapped to their tables. */
    static Set<String> fromProgram(Connection conn, String sql) throws SQLException {
        List<long[]> opened = opened(conn, sql);
        if (opened == null) {
            return null;
        }
        Set<String> tables = new HashSet<>();
        if (opened.isEmpty()) {
            return tables;
        }
        Map<Long, Map<Long, String>> rootsBySchema = new HashMap<>();
        for (long[] o : opened) {
            Map<Long, String> roots = rootsBySchema.get(o[0]);
            if (roots == null) {
                roots = roots(conn, o[0]);
                rootsBySchema.put(o[0], roots);
            }
            String table = roots.get(o[1]);
            if (table == null) {
                return null; // a b-tree we cannot name: count every change
            }
            tables.add(table);
        }
        return tables;
    }

    /** Root page -> the table it belongs to (an index's table) in schema number seq. */
    private static Map<Long, String> roots(Connection conn, long seq) throws SQLException {
        String schema = null;
        try (PreparedStatement ps = conn.prepareStatement("PRAGMA database_list");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getLong(1) == seq) {
                    schema = rs.getString(2);
                }
            }
        }
        Map<Long, String> roots = new HashMap<>();
        if (schema == null) {
            return roots;
        }
        roots.put(1L, "sqlite_schema");
        String q = "\"" + schema.replace("\"", "\"\"") + "\"";
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT rootpage, tbl_name FROM " + q + ".sqlite_schema WHERE rootpage > 0");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                roots.put(rs.getLong(1), rs.getString(2).toLowerCase(Locale.ROOT));
            }
        }
        return roots;
    }
}
