package io.github.aiosqlite4j.internal.nativelib;

/**
 * The JNI entry points of aiosqlite4j's native library ({@code native/src/aiosqlite4j.c}): thin
 * calls of SQLite's C API through the API table sqlite-jdbc's SQLite handed the library when it
 * was loaded as an extension. Callable only once {@link NativeLibrary} loaded the library and a
 * connection loaded the extension; every call on a connection's handle runs on its worker thread.
 * Strings go in as NUL-terminated UTF-8 ({@link #utf8z}); a {@code long} handle is a C pointer.
 */
final class NativeApi {
    private NativeApi() {}

    /** SQLITE_TRACE_STMT, for {@link #setTrace}. */
    static final int TRACE_STMT = 0x01;
    /** SQLITE_TRACE_PROFILE, for {@link #setTrace}. */
    static final int TRACE_PROFILE = 0x02;
    /** Our own bit for {@link #setTrace}: the statement status callback (on SQLITE_TRACE_PROFILE). */
    static final int STMT_STATUS = 0x100;

    static byte[] utf8z(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    static native int dropHandleFunction(long db);

    /** {@return the hooks of the connection (a C pointer), 0 when out of memory} */
    static native long attach(long db, NativeConnection target);

    static native void detach(long hooks);

    /** {@return how many of sqlite-jdbc's "begin;" and "commit;" statements it found (0 to 2)} */
    static native int findJdbcStatements(long hooks);

    static native void stepping(long hooks, long stmt);

    static native int setAuthorizer(long hooks, boolean on);

    static native int setTrace(long hooks, int mask);

    static native String errmsg(long db);

    static native int extendedErrcode(long db);

    static native long lastInsertRowid(long db);

    static native boolean autocommit(long db);

    /** {@return SQLITE_TXN_NONE/READ/WRITE, -1 for no such schema, -2 out of memory} */
    static native int txnState(long db, byte[] schema);

    /** {@return the boolean option's state after the call (value negative: read only), or -1 - rc} */
    static native int dbConfig(long db, int op, int value);

    /** Fills out[0] with the current value, out[1] with the highwater; returns the rc. */
    static native int dbStatus(long db, int op, boolean reset, long[] out);

    static native void setWalHook(long hooks, boolean on, int autocheckpoint);

    static native int blobOpen(long db, byte[] schema, byte[] table, byte[] column, long rowid,
            boolean writable, long[] out);

    static native int blobBytes(long blob);

    static native int blobRead(long blob, byte[] buf, int at, int n, int offset);

    static native int blobWrite(long blob, byte[] buf, int at, int n, int offset);

    static native int blobClose(long blob);

    static native long backupInit(long dest, byte[] destName, long src, byte[] srcName);

    static native int backupStep(long backup, int pages);

    static native int backupRemaining(long backup);

    static native int backupPagecount(long backup);

    static native int backupFinish(long backup);

    /** SQLITE_STMTSTATUS_REPREPARE, for {@link #stmtStatus}. */
    static final int STMTSTATUS_REPREPARE = 5;

    /** {@return sqlite3_stmt_status(stmt, op, 0) of a statement sqlite-jdbc prepared} */
    static native int stmtStatus(long stmt, int op);

    /**
     * Reads up to max rows of a statement sqlite-jdbc ran, stepping between them (the current row
     * first if positioned, else it steps first): see {@code NativeConnection.readRows}.
     *
     * @return rows | state &lt;&lt; 32 | extra &lt;&lt; 36 ({@code NativeConnection.ROWS_*})
     */
    static native long readRows(long stmt, boolean positioned, int max, byte[] types, long[] nums,
            byte[] heap, Object[] thrown);
}
