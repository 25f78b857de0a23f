package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;

/**
 * A connection's prepared statements, kept by SQL text (an LRU of {@code statementCacheSize}
 * entries, like Python's {@code cached_statements}), and the parsed facts about each SQL text
 * ({@link SqlInfo}: the text's {@link ParsedSql}, shared by all connections, and SQLite's parameter
 * count), kept in a second LRU of at least 64 entries. Worker thread only.
 *
 * <p>A statement is taken out of the cache while it runs ({@link #acquire}) and put back when its
 * rows are read or dropped ({@link #release}), so two open cursors on the same SQL never share
 * one sqlite-jdbc statement.
 */
final class StatementCache {
    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");

    /** Prepared statements not in use, by SQL text; evicted ones are closed. */
    private final LinkedHashMap<String, PreparedStatement> cache;
    /** Parsed facts by SQL text; never holds a native handle. */
    private final LinkedHashMap<String, SqlInfo> infos;
    /** 0: statements are closed after use, never kept. */
    private final int size;
    /** Set by {@link #attach} when the connection opens. */
    private Connection conn;

    StatementCache(int size) {
        this.size = size;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() > size) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
        int infoSize = Math.max(size, 64);
        this.infos = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SqlInfo> eldest) {
                return size() > infoSize;
            }
        };
    }

    /** The connection statements are prepared on. */
    void attach(Connection connection) {
        this.conn = connection;
    }

    /**
     * Facts about one SQL text, cached by text: its parse (the one the pool and the driver routed
     * it by, from {@link ParsedSql#of}'s shared cache) and what this connection learnt of it.
     */
    static final class SqlInfo {
        final String sql;
        final ParsedSql parsed;
        /** SQLite's parameter count for this text (fixed for the text); -1 until first asked. */
        private int parameterCount = -1;
        /** The result columns one statement of this text last had, or null (see {@link Shape}). */
        Shape shape;

        SqlInfo(String sql) {
            this.sql = sql;
            this.parsed = ParsedSql.of(sql);
        }

        int parameterCount(PreparedStatement ps) throws SQLException {
            if (parameterCount < 0) {
                parameterCount = ps.getParameterMetaData().getParameterCount();
            }
            return parameterCount;
        }
    }

    /**
     * The result columns of one prepared statement, read once and kept while SQLite has not
     * re-prepared the statement ({@link #reprepares}): a schema change (another connection's
     * too) re-prepares it, and only then can its column names or declared types change. Reading
     * them per execution costs a JNI call and a string per column (sqlite-jdbc's names, our
     * declared types), more than a point select's own work.
     *
     * @param ps the statement they belong to (another statement of the same text reads its own)
     * @param rs ps's result set object (sqlite-jdbc keeps one per statement)
     * @param columns the names and declared types
     * @param reprepares {@code SQLITE_STMTSTATUS_REPREPARE} when they were read
     */
    record Shape(PreparedStatement ps, CoreResultSet rs, Columns columns, int reprepares) {}

    /** {@return SQLITE_STMTSTATUS_REPREPARE of ps (our native library must be loaded)} */
    static int reprepares(PreparedStatement ps) throws SQLException {
        return ((CoreStatement) ps).pointer.safeRunInt((d, p) -> NativeConnection.reprepares(p));
    }

    /** The facts about sql, parsed on first use (a text with a lone surrogate is refused). */
    SqlInfo info(String sql) throws SQLException {
        SqlInfo si = infos.get(sql);
        if (si == null) {
            Values.checkSqlText(sql);
            si = new SqlInfo(sql);
            infos.put(sql, si);
        }
        return si;
    }

    /** A prepared statement for sql: the cached one (taken out of the cache) or a new one. */
    PreparedStatement acquire(String sql) throws SQLException {
        PreparedStatement ps = cache.remove(sql);
        return ps != null ? ps : conn.prepareStatement(sql);
    }

    /** Puts a statement back for the next use of sql (closes it when nothing is cached). */
    void release(String sql, PreparedStatement ps) {
        if (size == 0 || ps == null) {
            closeQuietly(ps);
            return;
        }
        PreparedStatement old = cache.put(sql, ps);
        if (old != null && old != ps) {
            closeQuietly(old);
        }
    }

    /** Closes every cached statement (the connection is closing). */
    void closeAll() {
        for (PreparedStatement ps : cache.values()) {
            closeQuietly(ps);
        }
        cache.clear();
    }

    /** Closes c (a statement, a result set, the connection), logging a failure at DEBUG. */
    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed", e);
        }
    }
}
