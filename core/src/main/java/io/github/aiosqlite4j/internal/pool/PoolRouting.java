package io.github.aiosqlite4j.internal.pool;

import io.github.aiosqlite4j.internal.SqlScanner;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, before anything runs, where a pool sends one statement: a reader or the writer. The
 * rule is conservative: a statement goes to a reader only if {@link SqlScanner#classify} says it
 * is a {@code SELECT}, {@code VALUES} or {@code EXPLAIN} (also after {@code WITH}), or it is a
 * PRAGMA known to only read, and the text holds one statement. Everything else goes to the
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

    /** PRAGMAs that only read when called without a value or with a schema object argument. */
    private static final Set<String> READ_PRAGMAS = Set.of(
            "application_id", "auto_vacuum", "collation_list", "compile_options", "data_version",
            "database_list", "encoding", "foreign_key_check", "foreign_key_list", "foreign_keys",
            "freelist_count", "function_list", "index_info", "index_list", "index_xinfo",
            "integrity_check", "journal_mode", "module_list", "page_count", "page_size",
            "pragma_list", "quick_check", "schema_version", "table_info", "table_list",
            "table_xinfo", "user_version");

    /** PRAGMAs whose parenthesised argument names an object or a limit, not a new value. */
    private static final Set<String> ARGUMENT_PRAGMAS = Set.of(
            "foreign_key_check", "foreign_key_list", "index_info", "index_list", "index_xinfo",
            "integrity_check", "quick_check", "table_info", "table_list", "table_xinfo");

    private static final Pattern PRAGMA = Pattern.compile(
            "\\s*PRAGMA\\s+(?:[A-Za-z_][A-Za-z0-9_]*\\s*\\.\\s*)?([A-Za-z_][A-Za-z0-9_]*)\\s*(\\(|;|$)",
            Pattern.CASE_INSENSITIVE);

    /**
     * Routes one statement.
     *
     * @param sql the statement
     * @return where it runs
     */
    public static Route route(String sql) {
        SqlScanner.StatementInfo info = SqlScanner.classify(sql);
        if (info.isTransactionControl()) {
            return Route.REFUSED;
        }
        switch (info.kind()) {
            case ATTACH:
            case DETACH:
                return Route.REFUSED;
            case SELECT:
            case VALUES:
            case EXPLAIN:
                return single(sql) ? Route.READER : Route.WRITER;
            case PRAGMA:
                return readOnlyPragma(sql) && single(sql) ? Route.READER : Route.WRITER;
            default:
                return Route.WRITER;
        }
    }

    private static boolean single(String sql) {
        return SqlScanner.splitStatements(sql).size() <= 1;
    }

    private static boolean readOnlyPragma(String sql) {
        Matcher m = PRAGMA.matcher(sql);
        if (!m.lookingAt()) {
            return false; // a value (=), a comment, or an unusual shape: the writer is always right
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        if (m.group(2).equals("(")) {
            return ARGUMENT_PRAGMAS.contains(name);
        }
        return READ_PRAGMAS.contains(name);
    }
}
