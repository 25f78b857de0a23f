package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.internal.engine.StatementCache.SqlInfo;
import io.github.aiosqlite4j.internal.sql.ParameterLayout;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * Binding parameters to a prepared statement, as CPython's sqlite3 binds them: a positional list
 * must match the statement's parameter count exactly; a map binds named parameters ({@code :name},
 * {@code @name}, {@code $name}) by name, with or without the prefix, and every placeholder must be
 * named and supplied. Values go through {@link Values} (the supported types, the UTF-16 check of
 * text); the caller's own objects (lists, maps, iterators) are called through {@link CallerError},
 * so that what they throw reaches the future unchanged. Static: no state.
 */
final class Binder {
    /** No value in a named-parameter map (a null value is bound as NULL). */
    private static final Object ABSENT = new Object();

    private Binder() {}

    /** Binds params to parameters 1..n; their number must be the statement's. */
    static void bindPositional(PreparedStatement ps, SqlInfo si, Object[] params)
            throws SQLException {
        checkCount(ps, si, params.length);
        for (int i = 0; i < params.length; i++) {
            bindValue(ps, i + 1, params[i], si.sql);
        }
    }

    /** One row of executeMany, read in place (no copy to an array) when the list allows it. */
    static void bindRow(PreparedStatement ps, SqlInfo si, List<?> row) throws SQLException {
        if (!(row instanceof java.util.RandomAccess)) {
            bindPositional(ps, si, CallerError.toArray(row));
            return;
        }
        int n = CallerError.size(row);
        checkCount(ps, si, n);
        for (int i = 0; i < n; i++) {
            bindValue(ps, i + 1, CallerError.get(row, i), si.sql);
        }
    }

    private static void checkCount(PreparedStatement ps, SqlInfo si, int supplied) throws SQLException {
        int expected = si.parameterCount(ps);
        if (expected != supplied) {
            throw Errors.misuse("Incorrect number of bindings supplied. The current statement uses "
                    + expected + ", and there are " + supplied + " supplied.", si.sql);
        }
    }

    /** Binds each named parameter to its value in named (looked up without, then with, its prefix). */
    static void bindNamed(PreparedStatement ps, SqlInfo si, Map<String, ?> named)
            throws SQLException {
        int expected = si.parameterCount(ps); // cached per SQL text, as for positional binding
        ParameterLayout p = si.parsed.parameters();
        for (int i = 1; i <= expected; i++) {
            String name = p.nameAt(i);
            if (name == null) {
                throw Errors.misuse("Binding " + i + " has no name, but you supplied a map (which"
                        + " has only names); use :name, @name or $name placeholders", si.sql);
            }
            Object value = CallerError.get(named, name.substring(1), ABSENT);
            if (value == ABSENT) {
                value = CallerError.get(named, name, ABSENT);
            }
            if (value == ABSENT) {
                throw Errors.misuse("You did not supply a value for binding parameter " + name + ".",
                        si.sql);
            }
            bindValue(ps, i, value, si.sql);
        }
    }

    /** Binds one value as its SQLite storage class, or fails naming the parameter. */
    private static void bindValue(PreparedStatement ps, int index, Object v, String sql)
            throws SQLException {
        // Fast paths for the common types: sqlite-jdbc's setObject keeps a Long, Integer, Double
        // or byte[] as given (setLong and setDouble would box the value again), and a String
        // needs only its UTF-16 check.
        if (v instanceof String) {
            Values.checkText((String) v, index, sql);
            ps.setString(index, (String) v);
            return;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Double || v instanceof byte[]) {
            ps.setObject(index, v);
            return;
        }
        Object stored = Values.toStorage(v);
        if (stored == null) {
            ps.setNull(index, Types.NULL);
        } else if (stored instanceof String) {
            Values.checkText((String) stored, index, sql);
            ps.setString(index, (String) stored);
        } else if (stored instanceof Long) {
            ps.setLong(index, (Long) stored);
        } else if (stored instanceof Double) {
            ps.setDouble(index, (Double) stored);
        } else if (stored instanceof byte[]) {
            ps.setBytes(index, (byte[]) stored);
        } else if (stored == Values.Unsupported.TOO_BIG) {
            throw Errors.badParameter("parameter " + index + " is the BigInteger " + v
                    + ", which does not fit SQLite's 64-bit INTEGER", sql);
        } else {
            throw Errors.badParameter("parameter " + index + " has unsupported type "
                    + v.getClass().getName() + "; supported: " + Values.SUPPORTED, sql);
        }
    }
}
