package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.AggregateFunction;
import io.github.aiosqlite4j.ScalarFunction;
import io.github.aiosqlite4j.WindowFunction;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.function.Supplier;
import org.sqlite.Collation;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

/**
 * A connection's user functions and collations: their registration, and the adapters from our
 * function interfaces to sqlite-jdbc's {@link Function} classes. sqlite-jdbc keeps its argument
 * and result accessors protected, so each adapter exposes them through {@link Access} and the
 * conversions live once, in {@link #read} and {@link #write}.
 *
 * <p>SQLite cannot carry a Java exception out of a callback: what a function or collation throws
 * is recorded in the engine ({@link Engine#setCallbackError}) and the statement fails with it as
 * its cause. Worker thread only.
 */
public final class UserFunctions {
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;

    /** Where the callbacks' exceptions are recorded. */
    private final Engine engine;
    /** Set by {@link #attach} when the connection opens. */
    private SQLiteConnection conn;
    /** Whether the blob-write function is registered. */
    private boolean blobSplice;

    UserFunctions(Engine engine) {
        this.engine = engine;
    }

    void attach(SQLiteConnection connection) {
        this.conn = connection;
    }

    /** Registers (or, with null, removes) a scalar function. */
    public void createFunction(String name, int nArgs, ScalarFunction fn, boolean deterministic)
            throws SQLException {
        if (fn == null) {
            if (nArgs == -1) {
                Function.destroy(conn, name);
            } else {
                // sqlite-jdbc's destroy_function only unregisters the nArgs == -1 variant, so a
                // fixed-arity function is replaced by one that fails as an unknown function would.
                Function.create(conn, name, new Function() {
                    @Override
                    protected void xFunc() throws SQLException {
                        error("no such function: " + name);
                    }
                }, nArgs, 0);
            }
            return;
        }
        Function f = new ScalarAdapter(engine, name, fn);
        Function.create(conn, name, f, nArgs, deterministic ? Function.FLAG_DETERMINISTIC : 0);
    }

    /** Registers (or, with a null factory, removes) an aggregate. */
    public void createAggregate(String name, int nArgs, Supplier<? extends AggregateFunction> factory)
            throws SQLException {
        createPerGroup(name, nArgs,
                factory == null ? null : new AggregateAdapter(engine, name, factory));
    }

    /** Registers (or, with a null factory, removes) a window function. */
    public void createWindowFunction(String name, int nArgs, Supplier<? extends WindowFunction> factory)
            throws SQLException {
        createPerGroup(name, nArgs,
                factory == null ? null : new WindowAdapter(engine, name, factory));
    }

    /**
     * Registers an adapter that makes the user's object per group, or with null removes the name
     * (sqlite-jdbc's destroy unregisters only its {@code nArgs == -1} variant).
     */
    private void createPerGroup(String name, int nArgs, Function adapter) throws SQLException {
        if (adapter == null) {
            Function.destroy(conn, name);
            return;
        }
        Function.create(conn, name, adapter, nArgs, 0);
    }

    /** Registers (or, with null, removes) a collation. */
    public void createCollation(String name, Comparator<String> comparator) throws SQLException {
        if (comparator == null) {
            Collation.destroy(conn, name);
            return;
        }
        Collation.create(conn, name, new Collation() {
            @Override
            protected int xCompare(String a, String b) {
                try {
                    return Integer.signum(comparator.compare(a, b));
                } catch (Throwable e) {
                    // SQLite cannot fail a comparison: remember the error, fail the statement after.
                    if (!engine.hasCallbackError()) {
                        engine.setCallbackError(e);
                    }
                    return 0;
                }
            }
        });
    }

    /** Registers the internal function blob writes use: splice bytes into a copy, same size. */
    public void ensureBlobSplice() throws SQLException {
        if (blobSplice) {
            return;
        }
        createFunction("aiosqlite4j_blob_splice", 3, args -> {
            byte[] old = (byte[]) args[0];
            int offset = ((Long) args[1]).intValue();
            byte[] data = (byte[]) args[2];
            byte[] out = old.clone();
            System.arraycopy(data, 0, out, offset, data.length);
            return out;
        }, true);
        blobSplice = true;
    }

    /** The protected accessors of a sqlite-jdbc function, made reachable. */
    interface Access {
        int argCount() throws SQLException;

        int type(int i) throws SQLException;

        long longArg(int i) throws SQLException;

        double doubleArg(int i) throws SQLException;

        String textArg(int i) throws SQLException;

        byte[] blobArg(int i) throws SQLException;

        void nullResult() throws SQLException;

        void longResult(long v) throws SQLException;

        void doubleResult(double v) throws SQLException;

        void textResult(String v) throws SQLException;

        void blobResult(byte[] v) throws SQLException;

        void fail(String message) throws SQLException;
    }

    static Object[] read(Access a) throws SQLException {
        int n = a.argCount();
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            switch (a.type(i)) {
                case SQLITE_INTEGER:
                    out[i] = a.longArg(i);
                    break;
                case SQLITE_FLOAT:
                    out[i] = a.doubleArg(i);
                    break;
                case SQLITE_TEXT:
                    out[i] = a.textArg(i);
                    break;
                case SQLITE_BLOB:
                    out[i] = a.blobArg(i);
                    break;
                default:
                    out[i] = null;
            }
        }
        return out;
    }

    static void write(Access a, String name, Object r) throws SQLException {
        if (r == null) {
            a.nullResult();
        } else if (r instanceof String) {
            a.textResult((String) r);
        } else if (r instanceof Double || r instanceof Float) {
            a.doubleResult(((Number) r).doubleValue());
        } else if (r instanceof Long || r instanceof Integer || r instanceof Short
                || r instanceof Byte) {
            a.longResult(((Number) r).longValue());
        } else if (r instanceof Boolean) {
            a.longResult(((Boolean) r) ? 1L : 0L);
        } else if (r instanceof byte[]) {
            a.blobResult((byte[]) r);
        } else {
            a.fail("user-defined function " + name + " returned unsupported type "
                    + r.getClass().getName() + "; return null, a Number, Boolean, String or byte[]");
        }
    }

    /** Records a callback's exception for the statement's error, and fails the call. */
    static void raise(Engine engine, Access a, String name, Throwable e) throws SQLException {
        engine.setCallbackError(e);
        a.fail("user-defined function " + name + " raised " + e);
    }

    /** A scalar function. */
    static final class ScalarAdapter extends Function implements Access {
        private final Engine engine;
        private final String name;
        private final ScalarFunction fn;

        ScalarAdapter(Engine engine, String name, ScalarFunction fn) {
            this.engine = engine;
            this.name = name;
            this.fn = fn;
        }

        @Override
        protected void xFunc() throws SQLException {
            Object r;
            try {
                r = fn.apply(read(this));
            } catch (Throwable e) {
                raise(engine, this, name, e);
                return;
            }
            write(this, name, r);
        }

        // CHECKSTYLE:OFF accessors
        @Override public int argCount() throws SQLException { return args(); }
        @Override public int type(int i) throws SQLException { return value_type(i); }
        @Override public long longArg(int i) throws SQLException { return value_long(i); }
        @Override public double doubleArg(int i) throws SQLException { return value_double(i); }
        @Override public String textArg(int i) throws SQLException { return value_text(i); }
        @Override public byte[] blobArg(int i) throws SQLException { return value_blob(i); }
        @Override public void nullResult() throws SQLException { result(); }
        @Override public void longResult(long v) throws SQLException { result(v); }
        @Override public void doubleResult(double v) throws SQLException { result(v); }
        @Override public void textResult(String v) throws SQLException { result(v); }
        @Override public void blobResult(byte[] v) throws SQLException { result(v); }
        @Override public void fail(String message) throws SQLException { error(message); }
        // CHECKSTYLE:ON
    }

    /**
     * An aggregate. sqlite-jdbc clones the registered object for every group, so the user's
     * instance is created lazily in the clone, one per group.
     */
    static class AggregateAdapter extends Function.Aggregate implements Access {
        final Engine engine;
        final String name;
        private final Supplier<? extends AggregateFunction> factory;
        AggregateFunction impl;

        AggregateAdapter(Engine engine, String name, Supplier<? extends AggregateFunction> factory) {
            this.engine = engine;
            this.name = name;
            this.factory = factory;
        }

        AggregateFunction impl() {
            if (impl == null) {
                impl = factory.get();
                if (impl == null) {
                    throw new IllegalStateException("the factory of aggregate " + name
                            + " returned null");
                }
            }
            return impl;
        }

        @Override
        protected void xStep() throws SQLException {
            try {
                impl().step(read(this));
            } catch (Throwable e) {
                raise(engine, this, name, e);
            }
        }

        @Override
        protected void xFinal() throws SQLException {
            Object r;
            try {
                r = impl().finish();
            } catch (Throwable e) {
                raise(engine, this, name, e);
                return;
            }
            write(this, name, r);
        }

        @Override
        public Object clone() throws CloneNotSupportedException {
            AggregateAdapter copy = (AggregateAdapter) super.clone();
            copy.impl = null;
            return copy;
        }

        // CHECKSTYLE:OFF accessors
        @Override public int argCount() throws SQLException { return args(); }
        @Override public int type(int i) throws SQLException { return value_type(i); }
        @Override public long longArg(int i) throws SQLException { return value_long(i); }
        @Override public double doubleArg(int i) throws SQLException { return value_double(i); }
        @Override public String textArg(int i) throws SQLException { return value_text(i); }
        @Override public byte[] blobArg(int i) throws SQLException { return value_blob(i); }
        @Override public void nullResult() throws SQLException { result(); }
        @Override public void longResult(long v) throws SQLException { result(v); }
        @Override public void doubleResult(double v) throws SQLException { result(v); }
        @Override public void textResult(String v) throws SQLException { result(v); }
        @Override public void blobResult(byte[] v) throws SQLException { result(v); }
        @Override public void fail(String message) throws SQLException { error(message); }
        // CHECKSTYLE:ON
    }

    /** A window function: sqlite-jdbc's Window is an Aggregate with inverse and value. */
    static final class WindowAdapter extends Function.Window implements Access {
        private AggregateAdapter core;

        WindowAdapter(Engine engine, String name, Supplier<? extends WindowFunction> factory) {
            this.core = new AggregateAdapter(engine, name, factory);
        }

        private WindowFunction impl() {
            return (WindowFunction) core.impl();
        }

        @Override
        protected void xStep() throws SQLException {
            try {
                impl().step(read(this));
            } catch (Throwable e) {
                raise(core.engine, this, core.name, e);
            }
        }

        @Override
        protected void xInverse() throws SQLException {
            try {
                impl().inverse(read(this));
            } catch (Throwable e) {
                raise(core.engine, this, core.name, e);
            }
        }

        @Override
        protected void xValue() throws SQLException {
            Object r;
            try {
                r = impl().value();
            } catch (Throwable e) {
                raise(core.engine, this, core.name, e);
                return;
            }
            write(this, core.name, r);
        }

        @Override
        protected void xFinal() throws SQLException {
            Object r;
            try {
                r = impl().finish();
            } catch (Throwable e) {
                raise(core.engine, this, core.name, e);
                return;
            }
            write(this, core.name, r);
        }

        @Override
        public Object clone() throws CloneNotSupportedException {
            WindowAdapter copy = (WindowAdapter) super.clone();
            copy.core = (AggregateAdapter) core.clone();
            return copy;
        }

        // CHECKSTYLE:OFF accessors
        @Override public int argCount() throws SQLException { return args(); }
        @Override public int type(int i) throws SQLException { return value_type(i); }
        @Override public long longArg(int i) throws SQLException { return value_long(i); }
        @Override public double doubleArg(int i) throws SQLException { return value_double(i); }
        @Override public String textArg(int i) throws SQLException { return value_text(i); }
        @Override public byte[] blobArg(int i) throws SQLException { return value_blob(i); }
        @Override public void nullResult() throws SQLException { result(); }
        @Override public void longResult(long v) throws SQLException { result(v); }
        @Override public void doubleResult(double v) throws SQLException { result(v); }
        @Override public void textResult(String v) throws SQLException { result(v); }
        @Override public void blobResult(byte[] v) throws SQLException { result(v); }
        @Override public void fail(String message) throws SQLException { error(message); }
        // CHECKSTYLE:ON
    }
}
