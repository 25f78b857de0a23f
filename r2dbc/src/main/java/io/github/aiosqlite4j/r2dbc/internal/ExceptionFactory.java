package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.SqliteError;
import io.github.aiosqlite4j.internal.engine.Errors;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns the core's {@link SQLException} categories into the R2DBC SPI's exception categories. The
 * one place that knows the table of the README:
 *
 * <table>
 *   <caption>core category to R2DBC category</caption>
 *   <tr><th>core (JDK)</th><th>R2DBC</th></tr>
 *   <tr><td>SQLIntegrityConstraintViolationException, SQLDataException</td>
 *       <td>R2dbcDataIntegrityViolationException</td></tr>
 *   <tr><td>SQLTimeoutException</td><td>R2dbcTimeoutException</td></tr>
 *   <tr><td>SQLTransactionRollbackException</td><td>R2dbcRollbackException</td></tr>
 *   <tr><td>SQLTransientException (BUSY, LOCKED, queue full)</td>
 *       <td>R2dbcTransientResourceException</td></tr>
 *   <tr><td>SQLSyntaxErrorException</td><td>R2dbcBadGrammarException</td></tr>
 *   <tr><td>SQLNonTransientConnectionException</td><td>R2dbcNonTransientResourceException</td></tr>
 *   <tr><td>SQLNonTransientException (READONLY, PERM, AUTH)</td>
 *       <td>R2dbcPermissionDeniedException</td></tr>
 *   <tr><td>anything else</td><td>R2dbcNonTransientResourceException</td></tr>
 * </table>
 *
 * <p>Every exception made here also implements {@link SqliteError}, so callers catch the standard
 * category and cast for SQLite's result codes. {@link CancellationException} passes through.
 */
public final class ExceptionFactory {

    private ExceptionFactory() {}

    /**
     * Maps a failure of a core future (possibly wrapped in {@link CompletionException}).
     *
     * @param error the failure
     * @return the R2DBC exception, or the unwrapped error itself when it is not a SQL failure
     *     (argument errors, cancellation)
     */
    public static Throwable translate(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof R2dbcException) {
            return e;
        }
        if (e instanceof TimeoutException) {
            return new Timeout(String.valueOf(e.getMessage()), null, Errors.LIBRARY, Errors.LIBRARY,
                    null, e);
        }
        if (!(e instanceof SQLException)) {
            return e;
        }
        SQLException s = (SQLException) e;
        String message = s.getMessage() == null ? s.getClass().getSimpleName() : s.getMessage();
        String state = s.getSQLState();
        // Not a SqliteError: no SQLite result code to report.
        int code = s instanceof SqliteError ? ((SqliteError) s).resultCode() : Errors.LIBRARY;
        int extended = s instanceof SqliteError ? ((SqliteError) s).extendedResultCode() : code;
        String sql = s instanceof SqliteError ? ((SqliteError) s).sql() : null;
        if (s instanceof SQLIntegrityConstraintViolationException || s instanceof SQLDataException) {
            return new IntegrityViolation(message, state, code, extended, sql, s);
        }
        if (s instanceof SQLTimeoutException) {
            return new Timeout(message, state, code, extended, sql, s);
        }
        if (s instanceof SQLTransactionRollbackException) {
            return new Rollback(message, state, code, extended, sql, s);
        }
        if (s instanceof SQLTransientException) {
            return new TransientResource(message, state, code, extended, sql, s);
        }
        if (s instanceof SQLSyntaxErrorException) {
            return new BadGrammar(message, state, code, extended, sql, s);
        }
        if (s instanceof SQLNonTransientConnectionException) {
            return new NonTransientResource(message, state, code, extended, sql, s);
        }
        if (s instanceof SQLNonTransientException) {
            return new PermissionDenied(message, state, code, extended, sql, s);
        }
        return new NonTransientResource(message, state, code, extended, sql, s);
    }

    /**
     * Removes {@link CompletionException} and {@link ExecutionException} layers.
     *
     * @param error the failure
     * @return the innermost meaningful cause
     */
    public static Throwable unwrap(Throwable error) {
        return Errors.unwrap(error);
    }

    /**
     * A closed connection, as an R2DBC exception.
     *
     * @param what what was attempted
     * @return the exception to signal
     */
    public static R2dbcNonTransientResourceException closed(String what) {
        return new NonTransientResource("Cannot " + what + ": the connection is closed", "08003",
                Errors.LIBRARY, Errors.LIBRARY, null, null);
    }

    /**
     * A feature this kind of connection does not offer (SQLState 0A000), as an R2DBC exception.
     *
     * @param message what is refused, why, and what to use instead
     * @return the exception to signal
     */
    public static R2dbcNonTransientResourceException unsupported(String message) {
        return new NonTransientResource(message, "0A000", Errors.LIBRARY, Errors.LIBRARY, null,
                null);
    }

    static final class IntegrityViolation extends R2dbcDataIntegrityViolationException implements Errors.Detailed {
        private static final long serialVersionUID = 1L;
        private final Errors.Details details;

        IntegrityViolation(String m, String state, int code, int extended, String sql, Throwable c) {
            super(m, state, code, sql, c);
            this.details = new Errors.Details(sql, code, extended);
        }

        @Override
        public Errors.Details details() {
            return details;
        }
    }

    static final class Timeout extends R2dbcTimeoutException implements Errors.Detailed {
        private static final long serialVersionUID = 1L;
        private final Errors.Details details;

        Timeout(String m, String state, int code, int extended, String sql, Throwable c) {
            super(m, state, code, sql, c);
            this.details = new Errors.Details(sql, code, extended);
        }

        @Override
        public Errors.Details details() {
            return details;
        }
    }

    static final class Rollback extends R2dbcRollbackException implements Errors.Detailed {
        private static final long serialVersionUID = 1L;
        private final Errors.Details details;

        Rollback(String m, String state, int code, int extended, String sql, Throwable c) {
            super(m, state, code, sql, c);
            this.details = new Errors.Details(sql, code, extended);
        }

        @Override
        public Errors.Details details() {
            return details;
        }
    }

    static final class TransientResource extends R2dbcTransientResourceException implements Errors.Detailed {
        private static final long serialVersionUID = 1L;
        private final Errors.Details details;

        TransientResource(String m, String state, int code, int extended, String sql, Throwable c) {
            super(m, state, code, sql, c);
            this.details = new Errors.Details(sql, code, extended);
        }

        @Override
        public Errors.Details details() {
            return details;
        }
    }

    static final class BadGrammar extends R2dbcBadGrammarException implements Errors.Detailed {
        private static final long serialVersionUID = 1L;
        private final Errors.Details details;

        BadGrammar(String m, String state, int code, int extended, String sql, Throwable c) {
            super(m, state, code, sql, c);
            this.details = new Errors.Details(sql, code, extended);
        }

        @Override
        public Errors.Details details() {
            return details;
        }
    }

    static final class NonTransientResource extends R2dbcNonTransientResourceException implements Errors.Detailed {
        private static final long serialVersionUID = 1L;
        private final Errors.Details details;

        NonTransientResource(String m, String state, int code, int extended, String sql, Throwable c) {
            super(m, state, code, sql, c);
            this.details = new Errors.Details(sql, code, extended);
        }

        @Override
        public Errors.Details details() {
            return details;
        }
    }

    static final class PermissionDenied extends R2dbcPermissionDeniedException implements Errors.Detailed {
        private static final long serialVersionUID = 1L;
        private final Errors.Details details;

        PermissionDenied(String m, String state, int code, int extended, String sql, Throwable c) {
            super(m, state, code, sql, c);
            this.details = new Errors.Details(sql, code, extended);
        }

        @Override
        public Errors.Details details() {
            return details;
        }
    }
}
