package io.github.aiosqlite4j.internal.sql;

import java.util.Objects;

/**
 * The classification of one statement, made by {@link StatementClassifier#classify}.
 *
 * @param kind the statement kind, from the first keyword (for {@code WITH}, from the main
 *     statement)
 * @param savepointName the unquoted savepoint name for {@link Kind#SAVEPOINT}, {@link
 *     Kind#RELEASE} and {@link Kind#ROLLBACK_TO} (or {@code null} if missing), {@code null}
 *     for other kinds
 * @param startsWithWith whether the statement's first keyword is {@code WITH}
 */
public record StatementInfo(Kind kind, String savepointName, boolean startsWithWith) {

    /** Statement kinds, named after the first keyword. */
    public enum Kind {
        /** Nothing but whitespace, comments and semicolons. */
        EMPTY,
        /** {@code SELECT}. */
        SELECT,
        /** {@code VALUES}. */
        VALUES,
        /** {@code INSERT}. */
        INSERT,
        /** {@code REPLACE}. */
        REPLACE,
        /** {@code UPDATE}. */
        UPDATE,
        /** {@code DELETE}. */
        DELETE,
        /** {@code BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION]}. */
        BEGIN,
        /** {@code COMMIT} or {@code END}, with optional {@code TRANSACTION}. */
        COMMIT,
        /** {@code ROLLBACK [TRANSACTION]} without {@code TO}. */
        ROLLBACK,
        /** {@code ROLLBACK [TRANSACTION] TO [SAVEPOINT] name}. */
        ROLLBACK_TO,
        /** {@code SAVEPOINT name}. */
        SAVEPOINT,
        /** {@code RELEASE [SAVEPOINT] name}. */
        RELEASE,
        /** {@code CREATE}. */
        CREATE,
        /** {@code DROP}. */
        DROP,
        /** {@code ALTER}. */
        ALTER,
        /** {@code PRAGMA}. */
        PRAGMA,
        /** {@code ATTACH}. */
        ATTACH,
        /** {@code DETACH}. */
        DETACH,
        /** {@code VACUUM}. */
        VACUUM,
        /** {@code ANALYZE}. */
        ANALYZE,
        /** {@code REINDEX}. */
        REINDEX,
        /** {@code EXPLAIN} or {@code EXPLAIN QUERY PLAN}. */
        EXPLAIN,
        /** Anything else, including malformed text. */
        OTHER
    }

    /**
     * Validates the components.
     *
     * @param kind the statement kind, not {@code null}
     * @param savepointName the savepoint name or {@code null}
     * @param startsWithWith whether the statement starts with {@code WITH}
     */
    public StatementInfo {
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Tells whether this is DML by Python sqlite3's rule ({@code is_dml}): the first keyword is
     * {@code INSERT}, {@code REPLACE}, {@code UPDATE} or {@code DELETE} (a {@code WITH ...
     * INSERT} is not). The one rule for both an implicit {@code BEGIN} and whether a
     * statement reports the rows it changed ({@code rowcount}; -1 for every other statement).
     *
     * @return {@code true} for a DML statement that does not start with {@code WITH}
     */
    public boolean isDml() {
        return !startsWithWith && modifiesRows();
    }

    /**
     * Tells whether the statement's main statement changes rows: {@code INSERT}, {@code REPLACE},
     * {@code UPDATE} or {@code DELETE}, also after {@code WITH} (unlike {@link #isDml()}). Such a
     * statement takes a {@code RETURNING} clause.
     *
     * @return {@code true} for the four row-changing kinds
     */
    public boolean modifiesRows() {
        return kind == Kind.INSERT
                || kind == Kind.REPLACE
                || kind == Kind.UPDATE
                || kind == Kind.DELETE;
    }

    /**
     * Tells whether the statement inserts rows (and so may change {@code
     * last_insert_rowid()}): {@code INSERT} or {@code REPLACE}, also after {@code WITH}.
     *
     * @return {@code true} for {@link Kind#INSERT} and {@link Kind#REPLACE}
     */
    public boolean insertsRows() {
        return kind == Kind.INSERT || kind == Kind.REPLACE;
    }

    /**
     * Tells whether the statement controls the transaction: {@code BEGIN}, {@code COMMIT} (or
     * {@code END}), {@code ROLLBACK}, {@code SAVEPOINT}, {@code RELEASE} or {@code ROLLBACK TO}.
     * The one list of them: a connection tracks its transaction state by these, a pool refuses
     * them (each statement may run on another connection), and the R2DBC driver begins no
     * transaction of its own before them.
     *
     * @return {@code true} for the six transaction-control kinds
     */
    public boolean isTransactionControl() {
        switch (kind) {
            case BEGIN:
            case COMMIT:
            case ROLLBACK:
            case ROLLBACK_TO:
            case SAVEPOINT:
            case RELEASE:
                return true;
            default:
                return false;
        }
    }

    /**
     * Tells whether the statement is {@code ATTACH} or {@code DETACH}: it changes the databases
     * of the one connection it runs on, so a pool refuses it.
     *
     * @return {@code true} for {@link Kind#ATTACH} and {@link Kind#DETACH}
     */
    public boolean isAttachOrDetach() {
        return kind == Kind.ATTACH || kind == Kind.DETACH;
    }
}
