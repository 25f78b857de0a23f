package io.github.aiosqlite4j.internal.nativelib;

import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.internal.engine.Errors;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;
import org.sqlite.core.NativeDB;

/**
 * SQLite's C API on one sqlite-jdbc connection, through aiosqlite4j's native library, which SQLite
 * loaded as an extension (on the first connection: see {@link #attach}): the authorizer ({@code
 * sqlite3_set_authorizer}), trace and profile ({@code sqlite3_trace_v2}), and the connection
 * state sqlite-jdbc does not bind. Worker thread only,
 * callbacks included (SQLite calls them on the thread inside it). What a user callback throws
 * never reaches SQLite: an authorizer's exception denies (as Python's), and goes to the engine as
 * the statement's cause; a trace or profile callback's is logged.
 */
public final class NativeConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");
    private static final String ENTRY_POINT = "aiosqlite4j_init";
    /** Bytes per JNI call of blob I/O (each goes through a buffer of this size in C). */
    private static final int BLOB_CHUNK = 1 << 20;

    /** The connection's sqlite3*. */
    private final long db;
    /** Our hooks struct in C (its global reference to this object); 0 once closed. */
    private long hooks;
    private final Consumer<Throwable> callbackErrors;

    private Authorizer authorizer;
    private Consumer<String> trace;
    private ObjLongConsumer<String> profile;
    private Consumer<io.github.aiosqlite4j.StatementStatus> statementStatus;
    private io.github.aiosqlite4j.WalHook walHook;
    /** The autocheckpoint our WAL hook does (SQLite's own hook's setting when ours was installed). */
    private int walAutocheckpoint;
    /** Above 0 while the engine runs a query of its own that no user callback may see. */
    private int quiet;
    /** While {@link #tablesRead} prepares: the tables SQLite reports reading (SQLITE_READ). */
    private Set<String> reads;

    private NativeConnection(long db, Consumer<Throwable> callbackErrors) {
        this.db = db;
        this.callbackErrors = callbackErrors;
    }

    /**
     * Attaches the native library to conn, just opened. The first time, SQLite loads it as an
     * extension on conn (which gives it SQLite's API); extension loading is switched on for this
     * one load unless the user enabled it, and off again after (sqlite3_enable_load_extension(db,
     * 0) clears the C API's and the SQL function's flag alike). Later connections take their
     * sqlite3* from sqlite-jdbc directly ({@link #extensionLoaded}).
     *
     * @param userEnabledExtensions whether the user's config enabled load_extension()
     * @param callbackErrors where an authorizer's exception goes (the engine's current statement)
     * @return the native connection
     * @throws SQLException if the library is not available ({@link NativeLibrary#status()}) or
     *     the extension could not be loaded on this connection
     */
    public static NativeConnection attach(SQLiteConnection conn, boolean userEnabledExtensions,
            Consumer<Throwable> callbackErrors) throws SQLException {
        NativeLibrary.Status status = NativeLibrary.status();
        if (!status.available()) {
            throw Errors.notSupported(status.reason());
        }
        DB jdbc = conn.getDatabase();
        long handle = extensionLoaded ? sqliteJdbcHandle(jdbc) : 0;
        if (handle == 0) {
            handle = load(conn, jdbc, status, userEnabledExtensions);
            loads.incrementAndGet();
            if (!extensionLoaded && sqliteJdbcHandle(jdbc) == handle) {
                extensionLoaded = true;
            }
        }
        NativeConnection c = new NativeConnection(handle, callbackErrors);
        c.hooks = NativeApi.attach(handle, c);
        if (c.hooks == 0) {
            throw Errors.nativeCall(7, "attaching the native library", "out of memory");
        }
        return c;
    }

    /**
     * Whether SQLite has loaded the library as an extension on some connection of this JVM (so
     * its pointer to SQLite's API is set, and stays: the JVM holds the library), and sqlite-jdbc's
     * own field gave that connection's sqlite3* there. A connection opened after that attaches to
     * the sqlite3* of that field: no extension load, no SQL at all (the load's first prepare reads
     * the schema, then load_extension and aiosqlite4j_handle(): about 9 of the 40 us an open took;
     * benchmarks/README, "Issue #14: open and close").
     */
    private static volatile boolean extensionLoaded;
    /** Extension loads so far (tests). */
    static final AtomicInteger loads = new AtomicInteger();
    /** sqlite-jdbc's NativeDB.pointer, its sqlite3*; null where that package is not open to us. */
    private static final VarHandle POINTER = pointerField();

    private static VarHandle pointerField() {
        try {
            return MethodHandles.privateLookupIn(NativeDB.class, MethodHandles.lookup())
                    .findVarHandle(NativeDB.class, "pointer", long.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // On the module path sqlite-jdbc does not open org.sqlite.core: load on every connection.
            LOG.log(System.Logger.Level.DEBUG, "sqlite-jdbc's connection handle is not readable;"
                    + " the native library loads on every connection", e);
            return null;
        }
    }

    /** {@return sqlite-jdbc's sqlite3* of jdbc, or 0 if it cannot be read} */
    static long sqliteJdbcHandle(DB jdbc) {
        if (POINTER == null || !(jdbc instanceof NativeDB)) {
            return 0;
        }
        return (long) POINTER.get((NativeDB) jdbc);
    }

    /** Loads the library as an extension on conn; returns its sqlite3*, as the library read it. */
    private static long load(SQLiteConnection conn, DB jdbc, NativeLibrary.Status status,
            boolean userEnabledExtensions) throws SQLException {
        if (!userEnabledExtensions) {
            jdbc.enable_load_extension(true);
        }
        try (PreparedStatement ps = conn.prepareStatement("select load_extension(?, ?)")) {
            ps.setString(1, status.path().toString());
            ps.setString(2, ENTRY_POINT);
            ps.executeQuery().close();
        } finally {
            if (!userEnabledExtensions) {
                jdbc.enable_load_extension(false);
            }
        }
        long handle;
        try (PreparedStatement ps = conn.prepareStatement("select aiosqlite4j_handle()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            handle = rs.getLong(1);
        }
        int rc = NativeApi.dropHandleFunction(handle);
        if (rc != 0) {
            throw Errors.nativeCall(rc, "removing aiosqlite4j_handle()", NativeApi.errmsg(handle));
        }
        return handle;
    }

    /** Whether {@link #findJdbcStatements} ran (before the first task). */
    private boolean jdbcStatementsSought;

    /** {@return whether {@link #findJdbcStatements} ran} */
    public boolean jdbcStatementsSought() {
        return jdbcStatementsSought;
    }

    /**
     * Worker, before the first task, when none of the user's statements exists and no callback
     * is installed: makes sqlite-jdbc prepare its "begin;" and "commit;", which it does after the
     * first statement that ends in SQLITE_DONE (DB.ensureAutoCommit), and finds them, so that the
     * trace can tell them from the user's. Not at open: the first statement prepared on a
     * connection reads the schema, which an open that runs no statement need not pay (about 8
     * us; benchmarks/README, "Issue #14: open and close").
     *
     * @param conn the connection this is attached to
     */
    public void findJdbcStatements(SQLiteConnection conn) {
        jdbcStatementsSought = true;
        try (PreparedStatement ps = conn.prepareStatement("select 1 where 0")) {
            ps.execute();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "preparing sqlite-jdbc's begin/commit statements failed", e);
        }
        if (NativeApi.findJdbcStatements(hooks) != 2) {
            LOG.log(System.Logger.Level.DEBUG, "sqlite-jdbc's begin/commit statements not found:"
                    + " the trace may show them");
        }
    }

    /** {@return the connection's sqlite3*} */
    public long handle() {
        return db;
    }

    /** Installs (null: removes) the authorizer; SQLite expires the prepared statements. */
    public void setAuthorizer(Authorizer a) throws SQLException {
        check(NativeApi.setAuthorizer(hooks, a != null), "sqlite3_set_authorizer");
        authorizer = a;
    }

    /** Sets (null: clears) the trace callback: each statement as run, bound values expanded. */
    public void setTrace(Consumer<String> callback) throws SQLException {
        traceMask(callback != null, profile != null, statementStatus != null);
        trace = callback;
    }

    /** Sets (null: clears) the profile callback: each statement's text and its nanoseconds. */
    public void setProfile(ObjLongConsumer<String> callback) throws SQLException {
        traceMask(trace != null, callback != null, statementStatus != null);
        profile = callback;
    }

    /** Sets (null: clears) the statement status callback: each finished statement's counters. */
    public void setStatementStatus(Consumer<io.github.aiosqlite4j.StatementStatus> callback)
            throws SQLException {
        traceMask(trace != null, profile != null, callback != null);
        statementStatus = callback;
    }

    private void traceMask(boolean statements, boolean profiles, boolean status) throws SQLException {
        int mask = (statements ? NativeApi.TRACE_STMT : 0) | (profiles ? NativeApi.TRACE_PROFILE : 0)
                | (status ? NativeApi.STMT_STATUS : 0);
        check(NativeApi.setTrace(hooks, mask), "sqlite3_trace_v2");
    }

    /**
     * Sets (null: removes) the WAL hook. SQLite's own WAL hook is what checkpoints automatically,
     * so ours checkpoints as that one did, at autocheckpoint pages (the connection's {@code PRAGMA
     * wal_autocheckpoint}, 0: never); removing ours gives SQLite back its own with that setting.
     */
    public void setWalHook(io.github.aiosqlite4j.WalHook hook, int autocheckpoint) {
        // With ours installed the pragma reads 0 (unless a PRAGMA wal_autocheckpoint replaced
        // it): keep the setting it was installed with.
        int n = walHook != null && autocheckpoint == 0 ? walAutocheckpoint : autocheckpoint;
        NativeApi.setWalHook(hooks, hook != null, n);
        walHook = hook;
        walAutocheckpoint = n;
    }

    /** {@return sqlite3_get_autocommit: false while a transaction is open} */
    public boolean autocommit() {
        return NativeApi.autocommit(db);
    }

    /**
     * Returns sqlite3_txn_state: 0 none, 1 read, 2 write.
     *
     * @param schema a schema name, or null for the highest state of all
     * @return sqlite3_txn_state: 0 none, 1 read, 2 write
     * @throws SQLException if there is no such schema
     */
    public int txnState(String schema) throws SQLException {
        int state = NativeApi.txnState(db, schema == null ? null : NativeApi.utf8z(schema));
        if (state == -1) {
            throw Errors.create(1, "txnState: no such schema: " + schema); // SQLITE_ERROR
        }
        if (state < 0) {
            throw Errors.nativeCall(7, "sqlite3_txn_state", "out of memory");
        }
        return state;
    }

    /**
     * sqlite3_db_config on a boolean option (the caller checked op is one).
     *
     * @param value 1 or 0 to set it, -1 to only read it
     * @return the option's state after the call
     */
    public boolean dbConfig(int op, int value) throws SQLException {
        int r = NativeApi.dbConfig(db, op, value);
        if (r < 0) {
            throw Errors.nativeCall(-1 - r, "sqlite3_db_config(" + op + ")", NativeApi.errmsg(db));
        }
        return r != 0;
    }

    /** {@return sqlite3_db_status64: {current, highwater}} */
    public long[] dbStatus(int op, boolean reset) throws SQLException {
        long[] out = new long[2];
        check(NativeApi.dbStatus(db, op, reset, out), "sqlite3_db_status64(" + op + ")");
        return out;
    }

    /** {@return whether an authorizer is installed (then the engine reports its steps: {@link #stepping})} */
    public boolean authorizing() {
        return authorizer != null;
    }

    /**
     * The engine runs a statement (sqlite-jdbc's execute or batch; null: it is done): sqlite-jdbc
     * may then step its own "begin;"/"commit;" after the statement, which the authorizer must not
     * be asked about (Python never runs them). Called only while {@link #authorizing()}.
     */
    public void stepping(java.sql.PreparedStatement ps) throws SQLException {
        NativeApi.stepping(hooks, ps == null ? 0
                : ((org.sqlite.core.CoreStatement) ps).pointer.safeRunLong((d, p) -> p));
    }

    /**
     * Returns how many times SQLite re-prepared a statement after a schema change
     * ({@code SQLITE_STMTSTATUS_REPREPARE}): while it stays the same, the statement's result
     * columns (names, declared types) are those it had. Needs only the library, not a connection's
     * hooks; call inside the statement's lock, as {@code pointer.safeRunInt} does.
     *
     * @param stmt sqlite-jdbc's statement pointer
     * @return the re-prepare count
     */
    public static int reprepares(long stmt) {
        return NativeApi.stmtStatus(stmt, NativeApi.STMTSTATUS_REPREPARE);
    }

    /** {@link #readRows} read max rows; the last one is the statement's current row. */
    public static final int ROWS_MORE = 0;
    /** {@link #readRows} stopped before the current row, which does not fit in heap (extra: its bytes). */
    public static final int ROWS_POSITIONED = 1;
    /** {@link #readRows} met the statement's end (SQLITE_DONE). */
    public static final int ROWS_DONE = 2;
    /** {@link #readRows} met an error (extra: SQLite's extended result code). */
    public static final int ROWS_ERROR = 3;
    /** A Java callback run inside {@code sqlite3_step} threw: the exception is in thrown[0]. */
    public static final int ROWS_THROWN = 4;

    /**
     * Reads up to max rows of a statement sqlite-jdbc ran, stepping between them, in one JNI call:
     * the current row first if positioned (stepped to and not read yet), else it steps first. Cell
     * k = row * columns + column gets types[k] (SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB, _NULL) and
     * nums[k]: the integer, the double's bits ({@link Double#longBitsToDouble}), or the byte length
     * of a TEXT (UTF-8) or BLOB value, whose bytes follow each other in heap. A row is read whole
     * or not at all; max is cut to what nums holds. Needs only the library; call inside the
     * statement's lock ({@code pointer.safeRunLong}), on the worker thread.
     *
     * @param stmt sqlite-jdbc's statement pointer
     * @param thrown one slot, for the exception of a Java callback (state {@link #ROWS_THROWN})
     * @return rows read | state &lt;&lt; 32 | extra &lt;&lt; 36, state one of {@code ROWS_*}
     */
    public static long readRows(long stmt, boolean positioned, int max, byte[] types, long[] nums,
            byte[] heap, Object[] thrown) {
        return NativeApi.readRows(stmt, positioned, max, types, nums, heap, thrown);
    }

    /**
     * The tables a statement reads, as SQLite's authorizer reports them while preparing it
     * ({@code SQLITE_READ}, views, CTEs, subqueries expanded): the statement is prepared on the
     * side and finalized. The user's authorizer, if any, stays installed and is not consulted for
     * this prepare; without one the C callback is installed for the prepare and removed after
     * (either way SQLite expires the connection's prepared statements, which re-prepare).
     *
     * @param conn the sqlite-jdbc connection this native connection is attached to
     * @param sql one statement
     * @return the lower-cased names of the tables (and views) read, without schema
     * @throws SQLException if SQLite cannot prepare sql
     */
    public Set<String> tablesRead(java.sql.Connection conn, String sql) throws SQLException {
        boolean install = authorizer == null;
        if (install) {
            check(NativeApi.setAuthorizer(hooks, true), "sqlite3_set_authorizer");
        }
        Set<String> out = new HashSet<>();
        reads = out;
        try {
            conn.prepareStatement(sql).close();
        } finally {
            reads = null;
            if (install) {
                check(NativeApi.setAuthorizer(hooks, false), "sqlite3_set_authorizer");
            }
        }
        return out;
    }

    /** Starts a query of the engine's own that the user's callbacks must not see; see {@link #endQuiet}. */
    public void beginQuiet() {
        quiet++;
    }

    public void endQuiet() {
        quiet--;
    }

    // -------------------------------------------------------------------------------------
    // Incremental blob I/O: one sqlite3_blob* kept between the tasks of one AsyncBlob.
    //
    // An open sqlite3_blob is an active statement: it holds a read (or write) transaction, a
    // writable one blocks COMMIT ("SQL statements in progress", which sqlite-jdbc's own
    // "begin;"/"commit;" after every statement would meet), and SQLite aborts it when its row
    // changes. So a handle is kept only while nothing else runs on the connection: the worker
    // calls beforeTask for every task, and any task that is not an I/O of the same AsyncBlob
    // closes it first. A run of reads or writes (a stream) then uses one handle, and SQLite's
    // overflow-page cache on it, so each call costs the bytes it touches; anything in between
    // costs one reopen. A write outside a transaction closes its handle before its task ends:
    // that close commits the write, and a failure to commit reaches the write's future.
    //
    // But a fresh handle reaches an offset by walking the value's overflow pages from its start,
    // so an output stream committing each chunk that way would cost O(size^2 / page size). So
    // outside a transaction an output stream's chunks run in a transaction of the engine's own
    // (Engine.beginBlobStream: hidden from the user like a shared read), where the handle stays
    // open from chunk to chunk; the engine commits it, after releaseBlob, at the stream's flush
    // or close, and before any other task (Engine.begin, the shared reads, the connection's close).

    /** The work of a task that uses the blob handle kept for {@link #blobKey()} (see {@link #beforeTask}). */
    public interface BlobWork {
        /** {@return the object that identifies one AsyncBlob} */
        Object blobKey();

        /**
         * {@return the output stream this task writes or commits for, or null: its writes
         * outside a transaction stay in the engine's transaction for it across its tasks}
         */
        default StreamWrites stream() {
            return null;
        }
    }

    /** An AsyncBlob output stream, whose writes outside a transaction the engine holds in one of its own. */
    public interface StreamWrites {
        /**
         * Worker: another task (or the connection's close) ended that transaction and its commit
         * failed, so it was rolled back: what the stream wrote since its last commit is lost,
         * which the stream's next call must say. Must not throw.
         *
         * @param cause why the commit failed
         */
        void rolledBack(Exception cause);

        /** {@return whether {@link #rolledBack} was called: the stream writes nothing more} */
        boolean wasRolledBack();
    }

    /** The kept sqlite3_blob*, or 0. */
    private long blob;
    /** The AsyncBlob {@link #blob} belongs to. */
    private Object blobKey;
    private boolean blobWritable;

    /**
     * Worker, before each task: closes the kept blob handle unless work is an I/O of its
     * AsyncBlob ({@link BlobWork}). One field read when no handle is kept.
     */
    public void beforeTask(Object work) {
        if (blob != 0 && !(work instanceof BlobWork && ((BlobWork) work).blobKey() == blobKey)) {
            releaseBlob();
        }
    }

    /** Closes the kept blob handle, if any: what it read or wrote is done (see above). */
    public void releaseBlob() {
        long b = blob;
        if (b != 0) {
            blob = 0;
            blobKey = null;
            int rc = NativeApi.blobClose(b);
            if (rc != 0) {
                // nothing of the user's is lost: a write outside a transaction closed its handle
                // itself, and the commit after this one (a stream's) reports its own failure
                LOG.log(System.Logger.Level.DEBUG, "sqlite3_blob_close: " + rc + " " + NativeApi.errmsg(db));
            }
        }
    }

    /**
     * Opens one value for blob I/O (Python's {@code blobopen}) and keeps the handle for the
     * AsyncBlob key's next call (see above).
     *
     * @return the value's size in bytes
     * @throws SQLException SQLite's error (no such table, column or rowid; not a blob or text;
     *     a read-only database or an indexed column for writing)
     */
    public int blobOpen(Object key, String schema, String table, String column, long rowId,
            boolean writable) throws SQLException {
        releaseBlob();
        long b = open(schema, table, column, rowId, writable, null);
        keep(key, b, writable);
        int size = NativeApi.blobBytes(b);
        if (writable) {
            endWrite();
        }
        return size;
    }

    /**
     * Reads buf.length bytes at offset of the value AsyncBlob key opened (length bytes then).
     *
     * @throws SQLException SQLite's error, or the row changed or went since blobOpen
     */
    public void blobRead(Object key, String schema, String table, String column, long rowId,
            int length, byte[] buf, int offset) throws SQLException {
        long b = handle(key, schema, table, column, rowId, length, false);
        io(b, schema, table, column, rowId, null, buf, offset);
    }

    /**
     * Writes data at offset of the value AsyncBlob key opened (length bytes then); outside a
     * transaction the write is committed when this returns.
     *
     * @throws SQLException SQLite's error, or the row changed or went since blobOpen
     */
    public void blobWrite(Object key, String schema, String table, String column, long rowId,
            int length, byte[] data, int offset) throws SQLException {
        long b = handle(key, schema, table, column, rowId, length, true);
        try {
            io(b, schema, table, column, rowId, data, null, offset);
        } finally {
            endWrite();
        }
    }

    /** The kept handle of key if it serves (writable if a write needs it), else a new one, kept. */
    private long handle(Object key, String schema, String table, String column, long rowId,
            int length, boolean write) throws SQLException {
        if (blob != 0 && blobKey == key && (blobWritable || !write)) {
            return blob;
        }
        releaseBlob();
        long b = open(schema, table, column, rowId, write, "since blobOpen");
        int size = NativeApi.blobBytes(b);
        if (size != length) {
            NativeApi.blobClose(b);
            throw Errors.create(4, "blob I/O on " + where(schema, table, column, rowId) + ": the value was"
                    + " replaced since blobOpen (" + size + " bytes now, " + length + " then);"
                    + " open it again"); // SQLITE_ABORT
        }
        keep(key, b, write);
        return b;
    }

    private long open(String schema, String table, String column, long rowId, boolean writable,
            String since) throws SQLException {
        long[] out = new long[1];
        int rc = NativeApi.blobOpen(db, NativeApi.utf8z(schema), NativeApi.utf8z(table),
                NativeApi.utf8z(column), rowId, writable, out);
        if (rc != 0) {
            String text = NativeApi.errmsg(db);
            throw since == null ? Errors.create(rc, text) : Errors.nativeCall(rc, "opening "
                    + where(schema, table, column, rowId) + " again (its row changed " + since + "?)", text);
        }
        return out[0];
    }

    private void keep(Object key, long b, boolean writable) {
        blob = b;
        blobKey = key;
        blobWritable = writable;
    }

    /** After a write: outside a transaction, close the handle, which commits (an error throws). */
    private void endWrite() throws SQLException {
        if (blob != 0 && NativeApi.autocommit(db)) {
            long b = blob;
            blob = 0;
            blobKey = null;
            check(NativeApi.blobClose(b), "committing the blob write (sqlite3_blob_close)");
        }
    }

    /** Reads into buf or writes data at offset, a chunk per JNI call; a failure drops the handle. */
    private void io(long b, String schema, String table, String column, long rowId, byte[] data,
            byte[] buf, int offset) throws SQLException {
        byte[] bytes = data != null ? data : buf;
        for (int done = 0; done < bytes.length; done += BLOB_CHUNK) {
            int n = Math.min(BLOB_CHUNK, bytes.length - done);
            int rc = data != null ? NativeApi.blobWrite(b, data, done, n, offset + done)
                    : NativeApi.blobRead(b, buf, done, n, offset + done);
            if (rc != 0) {
                String text = NativeApi.errmsg(db);
                releaseBlob();
                if ((rc & 0xFF) == 4) { // SQLITE_ABORT: the handle is dead
                    throw Errors.nativeCall(rc, "blob I/O on " + where(schema, table, column, rowId)
                            + " (its row was changed or deleted, or its transaction rolled back,"
                            + " while the blob was open; open it again)", text);
                }
                throw Errors.nativeCall(rc, "blob I/O on " + where(schema, table, column, rowId), text);
            }
        }
    }

    private static String where(String schema, String table, String column, long rowId) {
        return schema + "." + table + "." + column + " of rowid " + rowId;
    }

    /**
     * Python's {@code backup}: copies schema options.name() of this connection into "main" of
     * dest with sqlite3_backup_*, options.pages() per step (all if not positive), calling the
     * progress callback after each step and sleeping options.sleep() when a step met a busy or
     * locked database. The caller holds both connections' workers (nothing else uses either
     * meanwhile) and runs this on one of them.
     *
     * @throws SQLException SQLite's error (from dest), or what the progress callback threw (the
     *     backup is then abandoned)
     */
    public void backupTo(NativeConnection dest, io.github.aiosqlite4j.BackupOptions options)
            throws SQLException, InterruptedException {
        long b = NativeApi.backupInit(dest.db, NativeApi.utf8z("main"), db, NativeApi.utf8z(options.name()));
        if (b == 0) {
            throw Errors.create(NativeApi.extendedErrcode(dest.db), NativeApi.errmsg(dest.db));
        }
        int pages = options.pages() <= 0 ? -1 : options.pages();
        int rc;
        boolean finished = false;
        try {
            do {
                rc = NativeApi.backupStep(b, pages);
                io.github.aiosqlite4j.BackupOptions.Progress progress = options.progress();
                if (progress != null) {
                    progress.onProgress(rc, NativeApi.backupRemaining(b), NativeApi.backupPagecount(b));
                }
                if (rc == 5 || rc == 6) { // SQLITE_BUSY, SQLITE_LOCKED: no progress, wait
                    Thread.sleep(options.sleep().toMillis());
                }
            } while (rc == 0 || rc == 5 || rc == 6);
            finished = true;
            rc = NativeApi.backupFinish(b);
        } finally {
            if (!finished) {
                NativeApi.backupFinish(b);
            }
        }
        if (rc != 0) {
            throw Errors.create(NativeApi.extendedErrcode(dest.db), NativeApi.errmsg(dest.db));
        }
    }

    /** {@return sqlite3_last_insert_rowid} */
    public long lastInsertRowId() {
        return NativeApi.lastInsertRowid(db);
    }

    /** Removes the callbacks and frees the native state: before the connection closes. */
    @Override
    public void close() {
        releaseBlob(); // before the connection closes: an open blob would keep it from closing
        if (hooks != 0) {
            NativeApi.detach(hooks);
            hooks = 0;
        }
        authorizer = null;
        trace = null;
        profile = null;
        statementStatus = null;
        walHook = null;
    }

    private void check(int rc, String what) throws SQLException {
        if (rc != 0) {
            throw Errors.nativeCall(rc, what, NativeApi.errmsg(db));
        }
    }

    // -------------------------------------------------------------------------------------
    // Called from C, on the worker thread inside SQLite. Nothing may be thrown out of these.

    int authorize(int action, String arg1, String arg2, String dbName, String source) {
        Set<String> r = reads;
        if (r != null) {
            if (action == Authorizer.SQLITE_READ && arg1 != null) {
                r.add(arg1.toLowerCase(Locale.ROOT));
            }
            return Authorizer.SQLITE_OK;
        }
        Authorizer a = authorizer;
        if (a == null || quiet > 0) {
            return Authorizer.SQLITE_OK;
        }
        try {
            return a.authorize(action, arg1, arg2, dbName, source);
        } catch (Throwable e) {
            try {
                callbackErrors.accept(e);
            } catch (Throwable ignored) {
                // nothing may unwind into SQLite
            }
            return Authorizer.SQLITE_DENY;
        }
    }

    void traced(String sql) {
        Consumer<String> t = trace;
        if (t == null || quiet > 0) {
            return;
        }
        try {
            t.accept(sql);
        } catch (Throwable e) {
            logIgnored("trace", e);
        }
    }

    void profiled(String sql, long nanos) {
        ObjLongConsumer<String> p = profile;
        if (p == null || quiet > 0) {
            return;
        }
        try {
            p.accept(sql, nanos);
        } catch (Throwable e) {
            logIgnored("profile", e);
        }
    }

    void statused(String sql, long nanos, int fullscanSteps, int sorts, int autoindexes, int vmSteps,
            int reprepares, int runs, int filterMisses, int filterHits, int memUsed) {
        Consumer<io.github.aiosqlite4j.StatementStatus> c = statementStatus;
        if (c == null || quiet > 0) {
            return;
        }
        try {
            c.accept(new io.github.aiosqlite4j.StatementStatus(sql, nanos, fullscanSteps, sorts,
                    autoindexes, vmSteps, reprepares, runs, filterMisses, filterHits, memUsed));
        } catch (Throwable e) {
            logIgnored("statement status", e);
        }
    }

    void walCommitted(String schema, int pages) {
        io.github.aiosqlite4j.WalHook h = walHook;
        if (h == null) {
            return;
        }
        try {
            h.committed(schema, pages);
        } catch (Throwable e) {
            logIgnored("WAL hook", e);
        }
    }

    private static void logIgnored(String which, Throwable e) {
        try {
            LOG.log(System.Logger.Level.WARNING, which + " callback threw; ignored", e);
        } catch (Throwable ignored) {
            // nothing may unwind into SQLite
        }
    }
}
