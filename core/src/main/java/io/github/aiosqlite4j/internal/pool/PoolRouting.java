package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.internal.sql.ParsedSql;

/**
 * Decides, before anything runs, where a pool sends one statement: a reader or the writer. The
 * rule is {@link ParsedSql#isReadOnly()}'s, which is conservative: a statement goes to a reader
 * only if it is a {@code SELECT}, {@code VALUES} or {@code EXPLAIN} (also after {@code WITH}), or
 * a PRAGMA known to only read, and the text holds one statement. Everything else goes to the
 * writer, where a read runs fine too; the readers are {@code query_only}, so a wrong guess in the
 * other direction would fail loudly rather than write.
 */
public final class PoolRouting {
    private PoolRouting() {}

    /** Where a statement runs. */
    public enum Route {
        /** A reader: the statement only reads. */
        READER,
        /** The writer. */
        WRITER,
        /** Nowhere: the pool refuses it (transaction control, ATTACH/DETACH). */
        REFUSED
    }

    /**
     * Routes one statement.
     *
     * @param sql the statement, parsed (the caller keeps the parse for what it asks next)
     * @return where it runs
     */
    public static Route route(ParsedSql sql) {
        if (sql.isTransactionControl() || sql.isAttachOrDetach()) {
            return Route.REFUSED;
        }
        return sql.isReadOnly() ? Route.READER : Route.WRITER;
    }
}
