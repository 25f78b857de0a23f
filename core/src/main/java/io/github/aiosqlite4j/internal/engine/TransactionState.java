package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Autocommit;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.internal.sql.StatementInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/**
 * How transaction state is tracked, and the transaction control built on it. With aiosqlite4j's
 * native library, SQLite says whether a transaction is open ({@code sqlite3_get_autocommit}, read
 * after every statement): whatever opened or ended it, a BEGIN in {@code withJdbc}, a savepoint
 * name the scanner reads differently. Without it (sqlite-jdbc does not bind that call) it is
 * tracked here:
 *
 * <ul>
 *   <li>from each statement that succeeded, by its kind ({@link #statementSucceeded}: BEGIN,
 *       COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK TO, with the savepoint names);
 *   <li>from SQLite's commit and rollback hooks, which say that a transaction ended whatever we
 *       thought ({@link #sync}, after every statement, failed ones too, and after {@code
 *       withJdbc}): an error that rolled the transaction back, a COMMIT reported as failed after
 *       it committed.
 * </ul>
 *
 * <p>The control follows Python's sqlite3: the transaction control mode ({@link Autocommit}) and
 * isolation level decide what {@link #commit}, {@link #rollback} and the setters run, and which
 * statement gets an implicit BEGIN ({@link #implicitBeginFor}); {@link #transaction} runs a body
 * in a transaction, or in a savepoint when one is open. The statements run through {@link
 * Engine#internal}, which never lets a cancel abort them.
 *
 * <p>Worker thread only, except the volatile fields other threads read ({@link #inTransaction},
 * {@link #level}, {@link #autocommit}).
 */
public final class TransactionState {
    /** OFF: the BEGIN that keeps a transaction open (Python's plain, deferred BEGIN). */
    private static final String MANUAL_BEGIN = IsolationLevel.DEFERRED.beginSql();

    /** Runs the control statements and the bodies. */
    private final Engine engine;

    // The mode, as Python's isolation_level and autocommit attributes.
    private volatile IsolationLevel level;
    private volatile Autocommit autocommit;
    /** What to BEGIN before DML when no transaction is open (legacy control), or null: nothing. */
    private IsolationLevel implicitBegin;

    // What is open.
    private volatile boolean inTransaction;
    /** The open transaction began with a SAVEPOINT (it ends when that savepoint is released). */
    private boolean txnBySavepoint;
    /** The open savepoints, outermost first. */
    private final List<String> savepoints = new ArrayList<>();

    // SQLite's hooks during the current statement (cleared by statementStarts).
    /**
     * The commit hook fired. SQLite can report a COMMIT as failed (SQLITE_INTERRUPT from a
     * progress handler invoked as the statement returns) after it committed; this tells us so.
     */
    private boolean committedByHook;
    private boolean rolledBackByHook;
    /** SQLite's C API on the connection, or null: then the state is tracked as above. */
    private io.github.aiosqlite4j.internal.nativelib.NativeConnection nativeConn;

    // Transaction bodies.
    /** Transaction bodies running (nested ones included): executeScript does not commit theirs. */
    private int bodies;
    /** Numbers the savepoints of nested bodies. */
    private int savepointSeq;

    TransactionState(Engine engine, IsolationLevel level, Autocommit autocommit) {
        this.engine = engine;
        this.level = level;
        this.autocommit = autocommit;
        this.implicitBegin = implicitBegin();
    }

    /** Reads the state from SQLite through nativeConn if not null, else tracks it from conn's hooks. */
    void listenTo(SQLiteConnection conn, io.github.aiosqlite4j.internal.nativelib.NativeConnection nativeConn) {
        this.nativeConn = nativeConn;
        if (nativeConn != null) {
            return;
        }
        conn.addCommitListener(new SQLiteCommitListener() {
            @Override
            public void onCommit() {
                committedByHook = true;
            }

            @Override
            public void onRollback() {
                rolledBackByHook = true;
            }
        });
    }

    // ---------------------------------------------------------------------------------------
    // Tracking

    public boolean inTransaction() {
        return inTransaction;
    }

    public IsolationLevel level() {
        return level;
    }

    public Autocommit autocommit() {
        return autocommit;
    }

    /**
     * While a transaction of the engine's own is open (a shared read, {@code
     * Engine.beginSharedRead}; a blob output stream's writes, {@code Engine.beginBlobStream}):
     * SQLite's autocommit flag is off for it, which is no transaction of the user's.
     */
    private boolean engineOwned;

    void engineOwned(boolean open) {
        engineOwned = open;
    }

    /** Before each statement: only a commit or rollback during this statement counts. */
    void statementStarts() {
        committedByHook = false;
        rolledBackByHook = false;
    }

    /** Bookkeeping after a statement succeeded. */
    void statementSucceeded(StatementInfo info) {
        if (nativeConn != null) {
            // A query that succeeded leaves SQLite's autocommit flag as it found it (only
            // transaction control and an error's automatic rollback move it); every other path
            // (withJdbc, failures, the hooks) refreshes the flag itself.
            if (info.kind() != StatementInfo.Kind.SELECT && info.kind() != StatementInfo.Kind.VALUES) {
                inTransaction = !engineOwned && !nativeConn.autocommit();
            }
            return;
        }
        switch (info.kind()) {
            case BEGIN:
                inTransaction = true;
                txnBySavepoint = false;
                savepoints.clear();
                break;
            case COMMIT:
            case ROLLBACK:
                inTransaction = false;
                savepoints.clear();
                break;
            case SAVEPOINT:
                if (!inTransaction) {
                    inTransaction = true;
                    txnBySavepoint = true;
                    savepoints.clear();
                }
                savepoints.add(String.valueOf(info.savepointName()));
                break;
            case RELEASE:
                popSavepoints(info.savepointName(), true);
                if (savepoints.isEmpty() && txnBySavepoint) {
                    inTransaction = false;
                }
                break;
            case ROLLBACK_TO:
                popSavepoints(info.savepointName(), false);
                break;
            default:
                break;
        }
        sync();
    }

    private void popSavepoints(String name, boolean inclusive) {
        for (int i = savepoints.size() - 1; i >= 0; i--) {
            if (savepoints.get(i).equalsIgnoreCase(String.valueOf(name))) {
                int to = inclusive ? i : i + 1;
                while (savepoints.size() > to) {
                    savepoints.remove(savepoints.size() - 1);
                }
                return;
            }
        }
    }

    /**
     * After a statement (also a failed one): a commit or rollback hook fired during it, so
     * whatever we thought, no transaction is open now. {@link #committedByHook} is cleared
     * before each statement, since every autocommit statement fires the commit hook too.
     */
    void sync() {
        if (nativeConn != null) {
            inTransaction = !engineOwned && !nativeConn.autocommit();
            return;
        }
        if (committedByHook) {
            committedByHook = false;
            inTransaction = false;
            savepoints.clear();
        }
        if (rolledBackByHook) {
            rolledBackByHook = false;
            if (inTransaction) {
                inTransaction = false;
                savepoints.clear();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Rules of the transaction control mode

    private IsolationLevel implicitBegin() {
        return autocommit == Autocommit.LEGACY && level != IsolationLevel.AUTOCOMMIT ? level : null;
    }

    /**
     * Python's implicit BEGIN (legacy control): the level to begin before the statement, or null.
     * Only DML, and only when no transaction is open.
     */
    IsolationLevel implicitBeginFor(StatementInfo info) {
        IsolationLevel begin = implicitBegin;
        return begin != null && !inTransaction && info.isDml() ? begin : null;
    }

    /**
     * Whether executeScript commits first: under legacy control an open transaction is committed
     * (whatever the level, as CPython does), but not a transaction body's.
     */
    boolean commitsBeforeScript() {
        return autocommit == Autocommit.LEGACY && inTransaction && bodies == 0;
    }

    /** Whether close() rolls back: as Python's close() in manual commit mode (OFF). */
    boolean rollsBackAtClose() {
        return autocommit == Autocommit.OFF && inTransaction;
    }

    /** Python's commit(): what it runs depends on the transaction control (see Autocommit). */
    public void commit() throws SQLException {
        end("COMMIT");
    }

    /** Python's rollback(). */
    public void rollback() throws SQLException {
        end("ROLLBACK");
    }

    private void end(String sql) throws SQLException {
        switch (autocommit) {
            case LEGACY:
                if (inTransaction) {
                    engine.internal(sql);
                }
                break;
            case OFF:
                engine.internal(sql); // fails, as in Python, if a COMMIT run as SQL ended the transaction
                engine.internal(MANUAL_BEGIN);
                break;
            default: // ON: nothing
                break;
        }
    }

    /** OFF: opens the always-open transaction if none is open. */
    void beginIfManual() throws SQLException {
        if (autocommit == Autocommit.OFF && !inTransaction) {
            engine.internal(MANUAL_BEGIN);
        }
    }

    /** Python's isolation_level setter: the level changes, and None runs commit(). */
    public void setLevel(IsolationLevel newLevel) throws SQLException {
        level = newLevel;
        implicitBegin = implicitBegin();
        if (newLevel == IsolationLevel.AUTOCOMMIT) {
            commit();
        }
    }

    /**
     * Python's autocommit setter: the mode changes, then ON commits an open transaction and OFF
     * begins one if none is open.
     */
    public void setAutocommit(Autocommit mode) throws SQLException {
        autocommit = mode;
        implicitBegin = implicitBegin();
        if (mode == Autocommit.ON && inTransaction) {
            engine.internal("COMMIT");
        }
        beginIfManual();
    }

    // ---------------------------------------------------------------------------------------
    // Transaction bodies

    /**
     * BEGIN (or SAVEPOINT when a transaction is already open), body, COMMIT (or RELEASE); on any
     * exception ROLLBACK (or ROLLBACK TO + RELEASE) and rethrow.
     */
    public <T> T transaction(IsolationLevel requested, SqlFunction<SqliteSession, T> body,
            SqliteSession session) throws SQLException {
        if (inTransaction) {
            String sp = "aiosqlite4j_sp_" + (++savepointSeq);
            engine.internal("SAVEPOINT " + sp);
            T result;
            try {
                result = body(body, session);
            } catch (Throwable e) {
                undoSavepoint(sp, e);
                throw sneaky(e);
            }
            try {
                engine.internal("RELEASE " + sp);
            } catch (SQLException | RuntimeException e) {
                // not released (a cancel that landed after the body, for one): undo, not half-done
                undoSavepoint(sp, e);
                throw e;
            }
            return result;
        }
        IsolationLevel lvl = requested != null ? requested
                : level == IsolationLevel.AUTOCOMMIT ? IsolationLevel.DEFERRED : level;
        engine.internal(lvl.beginSql());
        T result;
        try {
            result = body(body, session);
        } catch (Throwable e) {
            rollBackIfOpen(e);
            throw sneaky(e);
        }
        if (inTransaction) {
            try {
                engine.internal("COMMIT");
            } catch (SQLException | RuntimeException e) {
                // BUSY, or a cancel that landed after the body: roll back rather than leave the
                // transaction open for the next caller's statements and commit()
                rollBackIfOpen(e);
                throw e;
            }
        }
        return result;
    }

    /** A transaction body: counted in {@link #bodies}, its exception recorded by {@link Engine#runBody}. */
    private <T> T body(SqlFunction<SqliteSession, T> body, SqliteSession session) throws SQLException {
        bodies++;
        try {
            return engine.runBody(body, session);
        } finally {
            bodies--;
        }
    }

    /** Undoes and ends the savepoint of a failed nested body; a failure to is suppressed in e. */
    private void undoSavepoint(String sp, Throwable e) {
        try {
            engine.internal("ROLLBACK TO " + sp);
            engine.internal("RELEASE " + sp);
        } catch (SQLException rollbackFailure) {
            e.addSuppressed(rollbackFailure);
        }
    }

    /** Rolls back the transaction of a failed body if it is still open; a failure to is suppressed in e. */
    private void rollBackIfOpen(Throwable e) {
        try {
            if (inTransaction) {
                engine.internal("ROLLBACK");
            }
        } catch (SQLException rollbackFailure) {
            e.addSuppressed(rollbackFailure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
