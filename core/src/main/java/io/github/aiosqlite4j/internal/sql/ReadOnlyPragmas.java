package io.github.aiosqlite4j.internal.sql;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PRAGMAs known to only read, as a pool decides whether one may run on a reader. The rule is
 * conservative: an unusual shape (a comment inside, a value assigned) is not read-only, since the
 * writer runs a read fine too.
 */
final class ReadOnlyPragmas {
    private ReadOnlyPragmas() {}

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
     * Tells whether a PRAGMA statement only reads: a known reading PRAGMA without a value, or one
     * whose parenthesised argument names an object or a limit.
     *
     * @param sql a statement classified as {@link StatementInfo.Kind#PRAGMA}
     * @return {@code true} if it only reads
     */
    static boolean isReadOnly(String sql) {
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
