package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.BackupOptions;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.ProgressHandler;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.RowMapper;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.internal.engine.StatementCache.SqlInfo;
import io.github.aiosqlite4j.internal.sql.ParsedSql;
import io.github.aiosqlite4j.internal.sql.ScriptSplitter;
import io.github.aiosqlite4j.internal.sql.StatementClassifier;
import io.github.aiosqlite4j.internal.sql.StatementInfo;
import io.github.aiosqlite4j.internal.nativelib.NativeConnection;
import io.github.aiosqlite4j.internal.nativelib.NativeLibrary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * The synchronous side of a connection: it owns the sqlite-jdbc connection and runs the statements
 * of every task on the connection's worker thread ({@code ConnectionWorker}; only {@link
 * #interrupt()} and the volatile reads of the transaction state come from other threads). Engine
 * orchestrates; each job is a stage in a file of its own. One statement ({@link #execute}):
 *
 * <pre>
 * StatementCache.info -> CancellationGate.checkStop -> StatementCache.acquire (SQLite's
 *   authorizer, when one is set) -> TransactionState.implicitBeginFor -> (StatementHooks.trace
 *   without the native library; SQLite's trace with it) -> Binder -> run
 *   -> TransactionState.statementSucceeded -> Results
 * its rows: Results.fetchInto -> RowReader.read ... Results.release -> StatementCache.release
 * </pre>
 *
 * <p>Where to change: (a) how a row is read (JNI, TEXT decoding, columns): {@link RowReader};
 * fetching, the step-ahead row and the deferred-error rule: {@link Results} (a cursor's buffer
 * across threads: {@code DefaultCursor}). (b) How a statement is bound: {@link Binder}; prepared
 * statements and parsed SQL: {@link StatementCache}. (c) How cancellation and deadlines reach
 * SQLite: {@link CancellationGate}, the one progress handler (a cancel sets the {@link StopSignal}
 * flag; sqlite3_interrupt is {@link #interrupt()}). (d) How transaction state is tracked, and
 * commit, rollback, the autocommit modes and transaction bodies: {@link TransactionState}. Also:
 * opening, {@link Connector}; SQLite's C API through our native library (authorizer, trace,
 * profile), {@link NativeConnection}, the trace without it, {@link StatementHooks}; functions and
 * collations, {@link UserFunctions}; backup, {@link Backup}; what a failure becomes, {@link
 * #failure}, {@link #translate} and {@link Errors}.
 */
public final class Engine {
    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");
    /** Rows of executeMany that go to SQLite together, in one native loop. */
    private static final int MANY_BATCH = 1024;

    private final SqliteConfig config;
    /** Whether the database lives in memory (no file to lock: {@link #beginSharedRead} saves nothing). */
    private final boolean inMemory;

    // The connection, set by open().
    private SQLiteConnection conn;
    private DB db;
    /** SQLite's C API on this connection (our native library), or null: see {@link #nativeMissing}. */
    private NativeConnection nativeConn;
    /** Why {@link #nativeConn} is null. */
    private String nativeMissing;

    // The stages.
    private final StatementCache statements;
    /**
     * The statements {@link #hidden} runs (BEGIN, COMMIT, ROLLBACK), apart from the user's cache:
     * SQLite asks the authorizer only when it prepares a statement, and these are prepared (or
     * re-prepared) while it is quiet, so a user's BEGIN must never be given one of them.
     */
    private final StatementCache hiddenStatements = new StatementCache(3);
    private final StatementHooks hooks = new StatementHooks();
    private final CancellationGate gate = new CancellationGate(this);

    /** {@return the progress handler's gate; worker thread only} */
    public CancellationGate gate() {
        return gate;
    }
    private final RowReader rowReader = new RowReader(gate);
    private final UserFunctions functions = new UserFunctions(this);
    private final TransactionState tx;

    /** SQLite's last_insert_rowid(), read after each statement that inserts rows. */
    private long lastInsertRowId;
    /**
     * What a user callback (function, collation, progress handler) threw inside SQLite during
     * the current statement: SQLite cannot carry it, so the statement's failure gets it as cause.
     */
    private Throwable callbackError;
    /**
     * What user code (a body, a row mapper) last threw during the current task: {@link
     * #translate} hands it to the future as it is, where anything else sqlite-jdbc threw is
     * categorised.
     */
    private Throwable userError;

    public Engine(SqliteConfig config) {
        this.config = config;
        String location = config.database();
        this.inMemory = location.isEmpty() || location.equals(":memory:") || location.contains("mode=memory")
                || location.startsWith("file::memory:");
        this.statements = new StatementCache(config.statementCacheSize());
        this.tx = new TransactionState(this, config.isolationLevel(), config.autocommit());
    }

    // ---------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Opens the database (see {@link Connector}) and sets up the stages that need it: the
     * transaction hooks, the progress handler and, in manual commit mode without an onOpen hook,
     * the always-open transaction.
     */
    public void open() throws SQLException {
        conn = Connector.open(config);
        db = conn.getDatabase();
        attachNative();
        statements.attach(conn);
        hiddenStatements.attach(conn);
        rowReader.attach(conn, nativeConn);
        functions.attach(conn);
        try {
            tx.listenTo(conn, nativeConn);
            gate.install(conn);
            if (config.onOpen() == null) {
                tx.beginIfManual(); // else after the hook: see AioSqlite.connect
            }
        } catch (SQLException e) {
            StatementCache.closeQuietly(conn);
            throw Errors.openFailed(config.database(), e);
        }
    }

    /**
     * Loads our native library on the connection (see {@link NativeConnection#attach}). Without
     * it the connection works, minus what needs the C API (the authorizer fails closed).
     */
    private void attachNative() {
        try {
            nativeConn = NativeConnection.attach(conn, config.loadExtensionEnabled(), this::setCallbackError);
        } catch (SQLException | RuntimeException e) {
            nativeMissing = e.getMessage();
            if (NativeLibrary.status().available()) {
                LOG.log(System.Logger.Level.WARNING, "the native library did not load on "
                        + config.database() + "; this connection works without it", e);
            }
        }
    }

    public void close() throws SQLException {
        if (nativeConn != null) {
            blobsBefore(null); // a blob output stream's writes are committed, as by any task
        }
        if (tx.rollsBackAtClose() && conn != null) {
            try {
                internal("ROLLBACK"); // as Python's close() in manual commit mode
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "ROLLBACK at close failed", e);
            }
        }
        statements.closeAll();
        hiddenStatements.closeAll();
        if (nativeConn != null) {
            nativeConn.close();
        }
        if (conn != null) {
            conn.close();
        }
    }

    /**
     * Any thread: sqlite3_interrupt, for the user's {@code interrupt()} and JVM shutdown (a cancel
     * goes through the {@link CancellationGate}). Callers guarantee the handle is open.
     */
    public void interrupt() {
        try {
            db.interrupt();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "interrupt failed", e);
        }
    }

    /** {@return SQLite's C API on this connection (our native library), or null without it} */
    public NativeConnection nativeConnection() {
        return nativeConn;
    }

    /**
     * Returns SQLite's C API on this connection.
     *
     * @param what the operation that needs it, for the message
     * @return SQLite's C API on this connection
     * @throws SQLException (SQLFeatureNotSupportedException) saying why it is not available
     */
    public NativeConnection requireNative(String what) throws SQLException {
        if (nativeConn == null) {
            throw Errors.notSupported(what + " needs aiosqlite4j's native library (SQLite's C API),"
                    + " which is not available on this connection: " + nativeMissing);
        }
        return nativeConn;
    }

    /** The WAL hook (see {@link NativeConnection#setWalHook}), with the connection's autocheckpoint. */
    public void setWalHook(io.github.aiosqlite4j.WalHook hook) throws SQLException {
        NativeConnection n = hook == null ? nativeConn : requireNative("setWalHook");
        if (n == null) {
            return;
        }
        int autocheckpoint;
        n.beginQuiet();
        try (java.sql.Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_autocheckpoint")) {
            autocheckpoint = rs.next() ? rs.getInt(1) : 0;
        } finally {
            n.endQuiet();
        }
        n.setWalHook(hook, autocheckpoint);
    }

    public java.sql.Connection jdbc() {
        return conn;
    }

    // ---------------------------------------------------------------------------------------
    // Tasks: what a task threw becomes what its future fails with

    /**
     * Worker: a task starts.
     *
     * @param work the task's work: unless it is an I/O of the blob whose handle the native
     *     connection keeps, that handle is closed first ({@link NativeConnection#beforeTask}),
     *     and unless it is a task of the blob output stream whose writes the engine holds in a
     *     transaction of its own, that transaction is committed first ({@link #beginBlobStream})
     */
    public void begin(StopSignal t, Object work) {
        if (nativeConn != null) {
            if (!nativeConn.jdbcStatementsSought()) {
                nativeConn.findJdbcStatements(conn);
            }
            blobsBefore(work);
        }
        gate.begin(t, tx.inTransaction());
        callbackError = null;
    }

    /** Worker: the task ended. */
    public void end() {
        gate.end();
        userError = null;
    }

    /**
     * Translates anything a task threw into what its future fails with: an exception of the
     * user's own (see {@link #userError}) and anything not an {@link SQLException} as they are,
     * sqlite-jdbc's exceptions as the categorised {@link io.github.aiosqlite4j.SqliteError}.
     */
    public Throwable translate(Throwable e) {
        Throwable cause = callbackError;
        callbackError = null;
        if (e instanceof SQLException && e != userError) {
            return Errors.translate((SQLException) e, null, cause);
        }
        return e;
    }

    /**
     * Marks an exception user code threw (a mapped cursor's failed row, raised by a later fetch)
     * so that {@link #translate} hands it to the future as it is.
     */
    public void usersOwn(Throwable e) {
        userError = e;
    }

    /**
     * Runs a user's body ({@code run}, {@code transaction}, {@code withJdbc}): what it throws
     * reaches the future unchanged.
     */
    public <A, T> T runBody(SqlFunction<A, T> body, A arg) throws SQLException {
        try {
            return body.apply(arg);
        } catch (Throwable e) {
            userError = e;
            throw e;
        }
    }

    /**
     * The raw connection for withJdbc; afterwards our cached state is refreshed. An error SQLite
     * reported through it (sqlite-jdbc's {@link org.sqlite.SQLiteException}) is categorised like
     * any other; whatever else the body throws reaches the future unchanged.
     */
    public <T> T withJdbc(SqlFunction<java.sql.Connection, T> body) throws SQLException {
        try {
            return body.apply(conn);
        } catch (Throwable e) {
            if (!(e instanceof org.sqlite.SQLiteException)) {
                userError = e;
            }
            throw e;
        } finally {
            tx.sync();
            refreshLastInsertRowId();
        }
    }

    /** Fails the running statement if a user callback (a collation, a function) threw during it. */
    void checkCallbackError(String sql) throws SQLException {
        Throwable e = callbackError;
        if (e != null) {
            callbackError = null;
            SQLException failure = Errors.create(Errors.SQLITE_ERROR,
                    "a user callback raised " + e + " [SQL: " + Errors.abbreviate(sql) + "]", sql, null);
            failure.initCause(e);
            throw failure;
        }
    }

    /** Records what a user callback threw inside SQLite, to fail the statement with. */
    void setCallbackError(Throwable e) {
        callbackError = e;
    }

    boolean hasCallbackError() {
        return callbackError != null;
    }

    // ---------------------------------------------------------------------------------------
    // Statements

    /**
     * Runs one statement with positional or named parameters (exactly one of them non-null).
     *
     * @return the results; {@code rs} is null when the statement returns no rows (and then the
     *     statement is already released)
     */
    public Results execute(String sql, Object[] positional, Map<String, ?> named) throws SQLException {
        SqlInfo si = statements.info(sql);
        Results r = new Results(sql);
        r.readOnly = si.parsed.isReadOnly();
        if (si.parsed.isEmpty()) {
            // No statement in the text: SQLite prepares nothing, so there is nothing to run (and
            // sqlite-jdbc must not be asked: it fails on a null statement and keeps it registered).
            return r;
        }
        prologue(si);
        PreparedStatement ps = null;
        try {
            ps = statements.acquire(sql);
            beforeRun(si);
            r.ps = ps;
            if (named != null) {
                Binder.bindNamed(ps, si, named);
            } else {
                Binder.bindPositional(ps, si, positional);
            }
            boolean rows = run(ps);
            checkCallbackError(sql);
            r.countsChanges = si.parsed.isDml();
            if (rows) {
                openRows(si, ps, r);
                r.rowCount = r.countsChanges ? 0 : -1; // the changes once the rows are read (done())
            } else if (r.countsChanges) {
                r.rowCount = db.changes();
            }
            epilogue(si.parsed.info());
        } catch (SQLException | RuntimeException e) {
            StatementCache.closeQuietly(ps);
            r.ps = null;
            throw failure(sql, e);
        }
        if (r.rs == null) {
            statements.release(sql, ps);
            r.ps = null;
        }
        return r;
    }

    /**
     * Takes the result set of a statement that returned rows, and its columns: those read for the
     * same statement before while SQLite has not re-prepared it ({@link StatementCache.Shape},
     * checked through our native library; without it they are read each time).
     */
    private void openRows(SqlInfo si, PreparedStatement ps, Results r) throws SQLException {
        if (nativeConn == null) {
            r.rs = ps.getResultSet();
            r.columns = RowReader.columns(ps, r.rs);
            return;
        }
        StatementCache.Shape shape = si.shape;
        if (shape != null && shape.ps() == ps && shape.reprepares() == StatementCache.reprepares(ps)) {
            shape.rs().colsMeta = shape.columns().names; // else getResultSet reads them again
            r.rs = ps.getResultSet();
            r.columns = shape.columns();
            return;
        }
        r.rs = ps.getResultSet();
        r.columns = RowReader.columns(ps, r.rs);
        if (r.rs instanceof CoreResultSet) {
            si.shape = new StatementCache.Shape(ps, (CoreResultSet) r.rs, r.columns,
                    StatementCache.reprepares(ps));
        }
    }

    /**
     * executemany: one statement, many parameter lists.
     *
     * @return the rows changed in total, or -1 for a statement that reports none (see {@link
     *     Results#rowCount})
     */
    public long executeMany(String sql, Iterable<? extends List<?>> seq) throws SQLException {
        SqlInfo si = statements.info(sql);
        if (si.parsed.isEmpty()) {
            throw Errors.misuse("executeMany() got no statement to run (the SQL holds only"
                    + " whitespace, comments or semicolons)", sql);
        }
        prologue(si);
        PreparedStatement ps = null;
        long total = 0;
        try {
            ps = statements.acquire(sql);
            if (((CoreStatement) ps).pointer.safeRunInt((d, p) -> d.column_count(p)) > 0) {
                // Refused before any row runs, as CPython refuses before running (its check is
                // sqlite3_stmt_readonly): the rows of a SELECT or a RETURNING would be lost.
                throw Errors.misuse("executeMany() can only run statements that return no rows", sql);
            }
            beforeRun(si);
            // The rows go to SQLite in batches of MANY_BATCH, one native loop each, with a
            // cancellation check between batches. Rows before a failing one stay applied, as they
            // would one by one.
            int batched = 0;
            Iterator<? extends List<?>> rows = CallerError.iterator(seq);
            while (true) {
                gate.checkStop(sql); // cancelled: rows batched but not yet run are dropped with the rest
                try {
                    if (!CallerError.hasNext(rows)) {
                        break;
                    }
                    List<?> params = CallerError.next(rows);
                    if (params == null) {
                        throw Errors.misuse("executeMany() got a null parameter list", sql);
                    }
                    Binder.bindRow(ps, si, params);
                } catch (SQLException | RuntimeException e) {
                    total += runBatch(ps, batched);
                    throw e;
                }
                ps.addBatch();
                if (++batched == MANY_BATCH) {
                    total += runBatch(ps, batched);
                    batched = 0;
                }
            }
            gate.checkStop(sql);
            total += runBatch(ps, batched);
            epilogue(si.parsed.info());
        } catch (SQLException | RuntimeException e) {
            StatementCache.closeQuietly(ps);
            throw failure(sql, e);
        }
        statements.release(sql, ps);
        return si.parsed.isDml() ? total : -1;
    }

    /** Runs the rows added with addBatch; returns the rows they changed. */
    private long runBatch(PreparedStatement ps, int rows) throws SQLException {
        if (rows == 0) {
            return 0;
        }
        long[] counts;
        NativeConnection n = authorizing();
        try {
            if (n != null) {
                n.stepping(ps);
            }
            counts = ps.executeLargeBatch();
        } catch (SQLException e) {
            ps.clearBatch();
            throw e;
        } finally {
            if (n != null) {
                n.stepping(null);
            }
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * executescript: under legacy control commit an open transaction first (whatever the level, as
     * CPython does; not a transaction body's), then each statement to completion.
     */
    public void executeScript(String script) throws SQLException {
        Values.checkSqlText(script);
        if (tx.commitsBeforeScript()) {
            internal("COMMIT");
        }
        boolean inserted = false;
        // Classified here, not through ParsedSql.of: a script's statements are mostly run once,
        // and would only crowd the texts that run again out of the shared cache.
        for (String stmt : ScriptSplitter.split(script)) {
            StatementInfo info = StatementClassifier.classify(stmt);
            gate.checkStop(stmt);
            gate.statement(info.kind() == StatementInfo.Kind.SELECT || info.kind() == StatementInfo.Kind.VALUES
                    || info.kind() == StatementInfo.Kind.EXPLAIN);
            hooks.trace(stmt);
            tx.statementStarts();
            try (PreparedStatement ps = conn.prepareStatement(stmt)) {
                if (run(ps)) {
                    try (ResultSet rs = ps.getResultSet()) {
                        while (rs.next()) {
                            // run to completion, discarding rows, as sqlite3_exec does
                        }
                    }
                }
                epilogue(info);
            } catch (SQLException | RuntimeException e) {
                throw failure(stmt, e);
            }
            inserted |= info.insertsRows();
        }
        if (inserted) {
            refreshLastInsertRowId();
        }
    }

    /** Before the statement is prepared: the task was not stopped, the text holds one statement. */
    private void prologue(SqlInfo si) throws SQLException {
        callbackError = null;
        tx.statementStarts();
        gate.checkStop(si.sql);
        gate.statement(si.parsed.isReadOnly());
        if (si.parsed.hasMultipleStatements()) {
            throw Errors.misuse("You can only execute one statement at a time; use executeScript()"
                    + " for several", si.sql);
        }
    }

    /**
     * After the statement is prepared (acquired), before it is bound and run: Python's implicit
     * BEGIN before DML, then the trace. As in CPython, a statement that fails to prepare (a syntax
     * error, an unknown table) begins no transaction.
     */
    private void beforeRun(SqlInfo si) throws SQLException {
        IsolationLevel begin = tx.implicitBeginFor(si.parsed.info());
        if (begin != null) {
            internal(begin.beginSql());
        }
        hooks.trace(si.sql);
    }

    /**
     * Runs a prepared statement (sqlite-jdbc's execute). With an authorizer installed, the native
     * side is told: see {@link NativeConnection#stepping}. Otherwise this costs one field read.
     */
    private boolean run(PreparedStatement ps) throws SQLException {
        NativeConnection n = authorizing();
        if (n == null) {
            return ps.execute();
        }
        n.stepping(ps);
        try {
            return ps.execute();
        } finally {
            n.stepping(null);
        }
    }

    /** {@return the native connection if an authorizer is installed, else null} */
    private NativeConnection authorizing() {
        NativeConnection n = nativeConn;
        return n != null && n.authorizing() ? n : null;
    }

    /** Bookkeeping after a statement succeeded. */
    private void epilogue(StatementInfo info) throws SQLException {
        tx.statementSucceeded(info);
        if (info.insertsRows()) {
            refreshLastInsertRowId();
        }
    }

    /**
     * What a statement's failure is raised as: SQLite's errors by their category, a stop we
     * caused as a timeout or a cancellation, the caller's own exception (from their parameter
     * objects) as it is, and anything else, sqlite-jdbc's unchecked exceptions included, as an
     * SQLException: none of those may escape raw.
     */
    SQLException failure(String sql, Exception e) {
        tx.sync();
        Throwable cause = callbackError;
        callbackError = null;
        if (e instanceof SQLException) {
            return Errors.translate(gate.stopped((SQLException) e, sql), sql, cause);
        }
        if (e instanceof CallerError) {
            throw ((CallerError) e).thrown();
        }
        if (e instanceof java.util.concurrent.CancellationException) {
            throw (RuntimeException) e;
        }
        return Errors.library("sqlite-jdbc failed: " + e + " [SQL: " + Errors.abbreviate(sql) + "]", e);
    }

    /** Runs a statement the library issues itself (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE). */
    void internal(String sql) throws SQLException {
        StatementInfo info = statements.info(sql).parsed.info();
        tx.statementStarts();
        hooks.trace(sql);
        PreparedStatement ps = null;
        // Never aborted by a cancel, a deadline or the user's progress handler: SQLite may report
        // such an abort after the statement took effect (a BEGIN that opened the transaction, a
        // COMMIT that committed), and we would then believe the wrong transaction state. A stop
        // request is honoured at the next statement of the task instead. This is also what lets
        // the ROLLBACK (TO) / RELEASE undoing a failed transaction body run: the body failed
        // because its task was stopped, and that stays true; aborting the rollback too would
        // leave the body's writes in an open transaction for the next commit() to publish.
        boolean was = gate.enterOwnStatement();
        try {
            ps = statements.acquire(sql);
            run(ps);
            epilogue(info);
        } catch (SQLException e) {
            StatementCache.closeQuietly(ps);
            throw failure(sql, e);
        } finally {
            gate.exitOwnStatement(was);
        }
        statements.release(sql, ps);
    }

    // ---------------------------------------------------------------------------------------
    // Shared read transactions (ConnectionWorker runs queued reads in one)

    /**
     * Whether {@code sql} is a read that may share a read transaction with the reads queued
     * beside it: one {@code SELECT} or {@code VALUES} statement (also after {@code WITH}).
     */
    public boolean isShareableRead(String sql) {
        ParsedSql parsed;
        try {
            parsed = statements.info(sql).parsed;
        } catch (SQLException e) {
            return false; // text SQLite refuses: it fails alone
        }
        StatementInfo.Kind kind = parsed.info().kind();
        return (kind == StatementInfo.Kind.SELECT || kind == StatementInfo.Kind.VALUES)
                && !parsed.hasMultipleStatements();
    }

    /**
     * Worker, between tasks: opens a read transaction for the reads about to run (SQLite takes
     * its snapshot at the first of them), hidden from the user: {@link TransactionState} still
     * reports no transaction, and no user callback sees its BEGIN or COMMIT. Each read in
     * autocommit mode otherwise opens and ends a read transaction of its own, which costs more
     * than a point select itself (on a WAL file: 6.0 us per select alone, 3.1 in fours, 2.0 in
     * tens; benchmarks/README).
     *
     * @return false, with nothing opened, if it does not apply: without our native library (the
     *     transaction state would not be exact), on an in-memory database (nothing to save), or
     *     with a transaction open
     */
    public boolean beginSharedRead() {
        if (nativeConn == null || inMemory || tx.inTransaction()) {
            return false;
        }
        if (!nativeConn.jdbcStatementsSought()) {
            nativeConn.findJdbcStatements(conn); // before the BEGIN: see begin()
        }
        blobsBefore(null); // a blob handle kept open is an active statement with its own snapshot
        try {
            hidden("BEGIN");
        } catch (SQLException e) {
            return false;
        }
        tx.engineOwned(true);
        sharedReadOpen = true;
        return true;
    }

    /** Whether the transaction {@link #beginSharedRead} opened is open. */
    private boolean sharedReadOpen;

    /** {@return whether the transaction {@link #beginSharedRead} opened is still open} */
    public boolean inSharedRead() {
        return sharedReadOpen;
    }

    /**
     * Worker, after the reads {@link #beginSharedRead} opened the transaction for, or before
     * anything else runs while it is open: ends it. Does nothing if it is not open.
     */
    public void endSharedRead() {
        if (!sharedReadOpen) {
            return;
        }
        sharedReadOpen = false;
        tx.engineOwned(false);
        try {
            commitOwn("the shared read transaction");
        } catch (SQLException e) {
            // a read transaction: nothing to lose; it was rolled back, or that was logged
        }
        tx.sync();
    }

    /**
     * Commits a transaction of the engine's own ({@link #beginSharedRead}, {@link
     * #beginBlobStream}); if that fails, rolls it back (a failure of that is logged).
     *
     * @param what the transaction, for the log
     * @throws SQLException why the COMMIT failed
     */
    private void commitOwn(String what) throws SQLException {
        try {
            hidden("COMMIT");
        } catch (SQLException e) {
            if (!nativeConn.autocommit()) {
                try {
                    hidden("ROLLBACK");
                } catch (SQLException again) {
                    e.addSuppressed(again);
                    LOG.log(System.Logger.Level.ERROR, "could not roll back " + what + " on '"
                            + config.database() + "'", again);
                }
            }
            throw e;
        }
    }

    /** Runs a statement of the engine's own that neither a stop nor a user callback sees. */
    private void hidden(String sql) throws SQLException {
        boolean was = gate.enterOwnStatement();
        nativeConn.beginQuiet();
        PreparedStatement ps = null;
        try {
            ps = hiddenStatements.acquire(sql);
            ps.execute();
        } catch (SQLException e) {
            StatementCache.closeQuietly(ps);
            throw e;
        } finally {
            nativeConn.endQuiet();
            gate.exitOwnStatement(was);
        }
        hiddenStatements.release(sql, ps);
    }

    // ---------------------------------------------------------------------------------------
    // Blob output streams outside a transaction (NativeConnection's blob I/O explains why)

    /** The output stream whose writes the engine's own transaction holds, or null. */
    private NativeConnection.StreamWrites blobStream;

    /**
     * Worker, before a task of work (null: anything else): unless it belongs to the stream the
     * engine holds a transaction for, commits that transaction (a failure goes to the stream, not
     * to the task); then lets the native connection close a blob handle work does not use. One
     * field read when no stream is held.
     */
    private void blobsBefore(Object work) {
        NativeConnection.StreamWrites s = blobStream;
        if (s != null && !(work instanceof NativeConnection.BlobWork
                && ((NativeConnection.BlobWork) work).stream() == s)) {
            try {
                endBlobStream(s);
            } catch (SQLException e) {
                s.rolledBack(Errors.translate(e, "COMMIT", null));
            }
        }
        nativeConn.beforeTask(work);
    }

    /**
     * Worker, before a chunk of a blob output stream is written: with no transaction open, opens
     * one of the engine's own for the stream's writes (BEGIN), hidden as a shared read's is: the
     * user sees no transaction, no callback sees its statements. The blob handle then stays open
     * from chunk to chunk. It is committed by {@link #endBlobStream}: at the stream's flush or
     * close, and before anything else runs ({@link #begin}, {@link #beginSharedRead}, {@link
     * #close}). Inside the user's transaction nothing is opened.
     *
     * @throws SQLException if the BEGIN fails, or if the stream's transaction was rolled back
     *     since its last chunk (by SQLite after an error, or after a failed commit)
     */
    public void beginBlobStream(NativeConnection.StreamWrites stream) throws SQLException {
        if (stream.wasRolledBack()) {
            throw Errors.create(Errors.SQLITE_ABORT, "the blob output stream's earlier writes were rolled back");
        }
        if (blobStream == stream) {
            if (!nativeConn.autocommit()) {
                return; // open since the stream's last chunk
            }
            endBlobStream(stream); // throws: SQLite rolled it back
        }
        if (tx.inTransaction()) {
            return;
        }
        hidden("BEGIN");
        blobStream = stream;
        tx.engineOwned(true);
    }

    /**
     * Worker: commits the transaction {@link #beginBlobStream} opened for stream, if it is open,
     * after closing the blob handle (an open writable handle would block the COMMIT).
     *
     * @throws SQLException why it could not commit; it is then rolled back
     */
    public void endBlobStream(NativeConnection.StreamWrites stream) throws SQLException {
        if (blobStream != stream || stream == null) {
            return;
        }
        blobStream = null;
        nativeConn.releaseBlob();
        try {
            if (nativeConn.autocommit()) {
                throw Errors.create(Errors.SQLITE_ABORT, "SQLite rolled back the transaction of the"
                        + " blob output stream's writes after an error");
            }
            commitOwn("the blob output stream's transaction");
        } finally {
            tx.engineOwned(false);
            tx.sync();
        }
    }

    /** SQLite's last_insert_rowid() after the last statement that inserted rows. */
    public long lastInsertRowId() {
        return lastInsertRowId;
    }

    /** Reads last_insert_rowid() again (after a statement that may have inserted rows). */
    public long refreshLastInsertRowId() throws SQLException {
        if (nativeConn != null) {
            lastInsertRowId = nativeConn.lastInsertRowId();
            return lastInsertRowId;
        }
        String sql = "select last_insert_rowid()";
        PreparedStatement ps = statements.acquire(sql);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            lastInsertRowId = rs.getLong(1);
        } catch (SQLException e) {
            StatementCache.closeQuietly(ps);
            throw e;
        }
        statements.release(sql, ps);
        return lastInsertRowId;
    }

    public long totalChanges() throws SQLException {
        return db.total_changes();
    }

    // ---------------------------------------------------------------------------------------
    // Rows (Results does the work; these are the tasks' calls and its calls back)

    /** Fetches up to max rows (max &lt; 0: all) of r. */
    public List<Row> fetch(Results r, int max) throws SQLException {
        return r.fetch(this, max);
    }

    /** Appends up to max rows (max &lt; 0: all) of r to out: a fetch's (see {@link Results#fetchInto}). */
    public void fetchInto(Results r, List<Row> out, int max, long deadline) throws SQLException {
        r.fetchInto(this, out, max, deadline, false);
    }

    /**
     * Appends up to max of the first rows of r to out, read ahead of any fetch: an error is kept
     * for the fetch that reaches it, never thrown as an SQLException here.
     */
    public void readAhead(Results r, List<Row> out, int max, long deadline) throws SQLException {
        r.fetchInto(this, out, max, deadline, true);
    }

    /** All rows of r, each mapped. */
    public <T> List<T> fetchMapped(Results r, RowMapper<T> mapper) throws SQLException {
        return r.fetchMapped(this, mapper);
    }

    /** Releases the statement of finished or abandoned results (null: none). */
    public void release(Results r) {
        if (r != null) {
            r.release(statements);
        }
    }

    /** Appends up to want rows of r to out: see {@link RowReader#readRows}. */
    boolean readRows(Results r, List<Row> out, int want) throws SQLException {
        return rowReader.readRows(r, out, want);
    }

    /** The rows the last finished statement changed. */
    long changes() throws SQLException {
        return db.changes();
    }

    boolean stopRequested() {
        return gate.stopRequested();
    }

    // ---------------------------------------------------------------------------------------
    // The stages tasks call directly, and settings

    /** Transaction state and control: inTransaction, commit, rollback, modes, bodies. */
    public TransactionState transactions() {
        return tx;
    }

    /** User functions and collations. */
    public UserFunctions functions() {
        return functions;
    }

    /** The trace callback: SQLite's (sqlite3_trace_v2) with our native library, else ours. */
    public void setTrace(Consumer<String> callback) throws SQLException {
        if (nativeConn != null) {
            nativeConn.setTrace(callback);
        } else {
            hooks.setTrace(callback);
        }
    }

    /** SQLite's profile trace; needs our native library (removing one not set always succeeds). */
    public void setProfile(io.github.aiosqlite4j.ProfileCallback callback) throws SQLException {
        if (nativeConn != null) {
            nativeConn.setProfile(callback == null ? null : callback::profiled);
        } else if (callback != null) {
            throw Errors.notSupported("setProfileCallback needs aiosqlite4j's"
                    + " native library (SQLite's sqlite3_trace_v2), which is not available on this"
                    + " connection: " + nativeMissing);
        }
    }

    /**
     * SQLite's authorizer. Without our native library it fails closed: a security feature never
     * quietly becomes a weaker one (removing one that is not set succeeds).
     */
    public void setAuthorizer(Authorizer a) throws SQLException {
        if (nativeConn != null) {
            nativeConn.setAuthorizer(a);
        } else if (a != null) {
            throw Errors.notSupported("setAuthorizer needs aiosqlite4j's native"
                    + " library (SQLite's sqlite3_set_authorizer), which is not available on this"
                    + " connection: " + nativeMissing);
        }
    }

    public void setProgressHandler(ProgressHandler handler, int n) throws SQLException {
        gate.setUserHandler(conn, handler, n);
    }

    public int limit(io.github.aiosqlite4j.SqliteLimit limit, int value) throws SQLException {
        // sqlite-jdbc's SQLiteConnection.getLimit returns void (bug): call DB.limit directly,
        // where a negative value reads without changing.
        return db.limit(limit.id(), value);
    }

    public void enableLoadExtension(boolean enabled) throws SQLException {
        db.enable_load_extension(enabled);
    }

    /** Through the SQL function: sqlite-jdbc does not bind sqlite3_load_extension itself. */
    public void loadExtension(String path, String entryPoint) throws SQLException {
        // load_extension(X, NULL) is load_extension(X): SQLite reads a NULL entry point as none.
        String sql = "select load_extension(?, ?)";
        hooks.trace(sql);
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, path);
            ps.setString(2, entryPoint);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        } catch (SQLException e) {
            throw Errors.translate(e, sql + " -- " + path
                    + (entryPoint == null ? "" : ", entry point " + entryPoint), null);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The database image: serialize, backup (Backup)

    public byte[] serialize(String schema) throws SQLException {
        return conn.serialize(schema);
    }

    public void deserialize(String schema, byte[] image) throws SQLException {
        conn.deserialize(schema, image);
        rowReader.forgetEncoding(); // SQLite keeps an open transaction open: so does inTransaction
    }

    public void backupToFile(String file, BackupOptions options) throws SQLException {
        Backup.toFile(db, file, options, config.busyTimeout());
    }

    public void restoreFromFile(String file) throws SQLException {
        Backup.restoreFromFile(db, file);
        rowReader.forgetEncoding(); // SQLite keeps an open transaction open: so does inTransaction
    }
}

