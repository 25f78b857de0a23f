package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.RowMapper;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.engine.Results;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/** The synchronous session over the engine, valid on the worker during one body. */
final class DefaultSession implements SqliteSession {
    private final Engine engine;
    private long changes;

    DefaultSession(Engine engine) {
        this.engine = engine;
    }

    @Override
    public long execute(String sql, Object... params) throws SQLException {
        Objects.requireNonNull(sql, "sql must not be null");
        Results r = engine.execute(sql, params == null ? new Object[0] : params, null);
        engine.fetch(r, -1);
        changes = Math.max(r.rowCount, 0);
        return r.rowCount;
    }

    @Override
    public List<Row> query(String sql, Object... params) throws SQLException {
        Objects.requireNonNull(sql, "sql must not be null");
        return engine.fetch(engine.execute(sql, params == null ? new Object[0] : params, null), -1);
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        return engine.fetchMapped(engine.execute(sql, params == null ? new Object[0] : params, null),
                mapper);
    }

    @Override
    public long executeMany(String sql, Iterable<? extends List<?>> paramsSeq) throws SQLException {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(paramsSeq, "paramsSeq must not be null");
        long n = engine.executeMany(sql, paramsSeq);
        changes = Math.max(n, 0);
        return n;
    }

    @Override
    public void executeScript(String script) throws SQLException {
        Objects.requireNonNull(script, "script must not be null");
        engine.executeScript(script);
    }

    @Override
    public <T> T transaction(SqlFunction<SqliteSession, T> body) throws SQLException {
        Objects.requireNonNull(body, "body must not be null");
        return engine.transactions().transaction(null, body, this);
    }

    @Override
    public long lastRowId() {
        return engine.lastInsertRowId();
    }

    @Override
    public long changes() {
        return changes;
    }

    @Override
    public boolean inTransaction() {
        return engine.transactions().inTransaction();
    }

    /** Runs a body as a transaction at a given level (null: the connection's, or DEFERRED). */
    <T> T transaction(IsolationLevel level, SqlFunction<SqliteSession, T> body) throws SQLException {
        return engine.transactions().transaction(level, body, this);
    }
}
