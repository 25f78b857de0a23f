package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.ProgressHandler;
import java.sql.SQLException;
import java.util.concurrent.CancellationException;
import org.sqlite.SQLiteConnection;

/**
 * How cancellation and deadlines reach SQLite: the connection's one progress handler, always
 * installed, where three things meet. Every {@link #STOP_CHECK_PERIOD} VM instructions (or the
 * user's period, if shorter) it aborts the running statement if its task was cancelled ({@link
 * StopSignal#stopRequested}) or its deadline passed ({@link StopSignal#markTimedOut}), and calls
 * the user's {@link ProgressHandler} every n instructions. The abort ends the statement with
 * SQLITE_INTERRUPT, which {@link #stopped} turns into the cancellation or timeout the caller
 * sees; {@link #checkStop} refuses to start a statement of a task already stopped.
 *
 * <p>Statements of the engine's own (BEGIN, COMMIT, ROLLBACK, its encoding query) run between
 * {@link #enterOwnStatement} and {@link #exitOwnStatement}: the handler never aborts them and
 * does not call the user's handler for them (see {@code Engine.internal}).
 *
 * <p>A statement that may write, running inside a transaction that was open before its task
 * began, is not aborted either ({@link #mayAbort}): SQLite answers the abort of such a statement
 * by rolling back the whole transaction (sqlite3VdbeHalt: SQLITE_INTERRUPT in a statement that
 * is not read-only), which would silently undo what earlier tasks wrote in it, while the
 * statements queued after it would go on in autocommit mode. That statement runs to its end and
 * the stop takes effect at the task's next statement ({@link #checkStop}): a transaction body
 * nested in the open transaction then rolls back to its own savepoint, and the transaction stays
 * the caller's to commit or roll back. A read is aborted at once anywhere, and so is a write whose
 * transaction is the task's own (autocommit, its implicit or explicit BEGIN): the rollback then
 * only undoes the task itself.
 *
 * <p>{@code sqlite3_interrupt} is not used for cancellation (its flag would also hit the next
 * task's statement); it stays for the user's {@code interrupt()} ({@code Engine.interrupt}).
 * Worker thread only; the task's stop flag is set from any thread.
 */
public final class CancellationGate {
    /** VM instructions between progress callbacks when the user installed no handler. */
    private static final int STOP_CHECK_PERIOD = 500;

    /** Where a user handler's exception is recorded, to fail the statement with. */
    private final Engine engine;

    /** The running task, or null between tasks. */
    private StopSignal task;
    /** True while a statement of the engine's own runs: the handler must not abort it. */
    private boolean ownStatement;
    /** Whether a transaction was open when the running task began (see {@link #mayAbort}). */
    private boolean transactionBeforeTask;
    /** Whether the statement now running only reads (see {@link #statement}). */
    private boolean readOnly;

    // The user's progress handler and its period; called every userEvery callbacks.
    private ProgressHandler userHandler;
    private int userPeriod = STOP_CHECK_PERIOD;
    private int userEvery = 1;
    private int progressCalls;

    CancellationGate(Engine engine) {
        this.engine = engine;
    }

    /**
     * Worker: a task starts.
     *
     * @param inTransaction whether a transaction is open as it starts
     */
    void begin(StopSignal t, boolean inTransaction) {
        task = t;
        transactionBeforeTask = inTransaction;
        readOnly = false; // until a statement says so: a raw JDBC body's statements may write
    }

    /**
     * Worker: a statement of the task starts running or stepping on (a fetch of its rows).
     *
     * @param onlyReads whether the statement is known to only read ({@code
     *     ParsedSql.isReadOnly}); when unsure, false
     */
    void statement(boolean onlyReads) {
        readOnly = onlyReads;
    }

    /**
     * Whether a stop may abort the running statement now: unless it may write inside a
     * transaction the task did not open, whose whole work SQLite would roll back with it (see the
     * class comment). The stop then waits for the task's next statement.
     */
    private boolean mayAbort() {
        return readOnly || !transactionBeforeTask;
    }

    /** Worker: the task ended. */
    void end() {
        task = null;
    }

    /** Installs the progress handler on conn, for the user's handler as set (none at first). */
    void install(SQLiteConnection conn) throws SQLException {
        int period = userHandler == null ? STOP_CHECK_PERIOD : Math.min(userPeriod, STOP_CHECK_PERIOD);
        userEvery = userHandler == null ? 1 : Math.max(1, userPeriod / period);
        progressCalls = 0;
        org.sqlite.ProgressHandler.setHandler(conn, period, new org.sqlite.ProgressHandler() {
            @Override
            protected int progress() {
                return onProgress();
            }
        });
    }

    /** Sets (or, with null, removes) the user's handler, called every n instructions. */
    void setUserHandler(SQLiteConnection conn, ProgressHandler handler, int n) throws SQLException {
        userHandler = handler;
        userPeriod = handler == null ? STOP_CHECK_PERIOD : n;
        install(conn);
    }

    /**
     * Set by the worker: run at each progress callback while it holds finished tasks back from
     * the completion executor, so that a long statement does not delay results finished before it.
     */
    private Runnable whileHolding;

    /** Worker: sets (or, with null, clears) what each progress callback runs first. */
    public void whileHolding(Runnable action) {
        whileHolding = action;
    }

    /** {@return non-zero to abort the running statement} */
    private int onProgress() {
        Runnable holding = whileHolding;
        if (holding != null) {
            holding.run();
        }
        if (ownStatement) {
            return 0;
        }
        StopSignal t = task;
        if (t != null) {
            if (t.stopRequested()) {
                if (mayAbort()) {
                    return 1;
                }
            } else {
                long deadline = t.deadline();
                if (deadline != 0 && System.nanoTime() - deadline > 0) {
                    t.markTimedOut(); // (then checkStop refuses the task's next statement)
                    if (mayAbort()) {
                        return 1;
                    }
                }
            }
        }
        ProgressHandler h = userHandler;
        if (h != null && ++progressCalls % userEvery == 0) {
            try {
                return h.abort() ? 1 : 0;
            } catch (Throwable e) {
                engine.setCallbackError(e);
                return 1;
            }
        }
        return 0;
    }

    /**
     * Marks the start of a statement of the engine's own, which nothing aborts.
     *
     * @return the previous state, for {@link #exitOwnStatement}
     */
    boolean enterOwnStatement() {
        boolean was = ownStatement;
        ownStatement = true;
        return was;
    }

    void exitOwnStatement(boolean was) {
        ownStatement = was;
    }

    /** {@return whether the running task was cancelled or timed out} */
    boolean stopRequested() {
        StopSignal t = task;
        return t != null && t.stopRequested();
    }

    /** Before each statement of a task: do not start one for a stopped task. */
    void checkStop(String sql) throws SQLException {
        StopSignal t = task;
        if (t == null) {
            return;
        }
        long deadline = t.deadline();
        if (deadline != 0 && System.nanoTime() - deadline > 0) {
            t.markTimedOut();
        }
        if (t.stopRequested()) {
            if (t.timedOut()) {
                throw Errors.timeout(sql);
            }
            throw new CancellationException(
                    "the operation was cancelled before this statement ran: " + Errors.abbreviate(sql));
        }
    }

    /** After a statement failed: an abort we caused is a timeout or a cancellation. */
    SQLException stopped(SQLException e, String sql) {
        StopSignal t = task;
        if (t != null && t.stopRequested() && e.getErrorCode() == Errors.SQLITE_INTERRUPT) {
            if (t.timedOut()) {
                SQLException timeout = Errors.timeout(sql);
                timeout.initCause(e);
                return timeout;
            }
            CancellationException c = new CancellationException(
                    "the operation was cancelled while running: " + Errors.abbreviate(sql));
            c.initCause(e);
            throw c;
        }
        return e;
    }
}
