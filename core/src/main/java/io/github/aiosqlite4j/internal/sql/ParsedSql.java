package io.github.aiosqlite4j.internal.sql;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One SQL text, parsed once: its classification, whether it holds more than one statement, its
 * bind parameters, and the facts the driver, the pool and the engine derive from those. Immutable
 * and safe to share between threads; the parts not every caller needs (the parameter layout, the
 * statements) are computed on first use.
 *
 * <p>{@link #of(String)} returns the parsed text from a cache shared by all connections, so that a
 * text is lexed once however many layers (driver, pool, engine) look at it.
 */
public final class ParsedSql {

    /** How many texts the shared cache holds (about; see {@link ParsedSqlCache}). */
    static final int CACHE_ENTRIES = 1024;

    /**
     * The longest text the shared cache keeps, in characters: the cached texts total at most
     * {@code CACHE_ENTRIES * CACHE_MAX_LENGTH} = 8 Mi characters.
     */
    static final int CACHE_MAX_LENGTH = 8192;

    private static final ParsedSqlCache CACHE = new ParsedSqlCache(CACHE_ENTRIES, CACHE_MAX_LENGTH);

    private final String sql;
    private final StatementInfo info;
    private final boolean multiple;
    private final boolean readOnly;
    /** Computed on first use; immutable once set, so racing threads at worst compute it twice. */
    private volatile ParameterLayout parameters;
    /** Computed on first use, as parameters. */
    private volatile List<String> statements;

    /** Parses a text; {@link #of} returns it cached. */
    ParsedSql(String sql) {
        this.sql = sql;
        this.info = StatementClassifier.classify(sql);
        this.multiple = ScriptSplitter.count(sql, 2) > 1;
        this.readOnly = !multiple && readsOnly(sql, info.kind());
    }

    /**
     * Returns the parsed form of a SQL text, from a cache shared by all connections when it was
     * parsed before.
     *
     * <p>A hit costs one {@link java.util.concurrent.ConcurrentHashMap} lookup; a miss parses the
     * text on the calling thread, without holding any lock. The cache never blocks and is bounded:
     * it holds about {@value #CACHE_ENTRIES} texts of at most {@value #CACHE_MAX_LENGTH}
     * characters (a longer text is parsed on every call), dropping an arbitrary one for each one
     * added beyond that (see {@link ParsedSqlCache}).
     *
     * @param sql the SQL text, not {@code null}
     * @return the parsed text
     * @throws NullPointerException if {@code sql} is {@code null}
     */
    public static ParsedSql of(String sql) {
        return CACHE.get(Objects.requireNonNull(sql, "sql"));
    }

    /** Whether the shared cache holds the text (tests: which callers go through it). */
    static boolean isCached(String sql) {
        return CACHE.contains(sql);
    }

    /**
     * Returns the SQL text.
     *
     * @return the text as given to {@link #of}
     */
    public String sql() {
        return sql;
    }

    /**
     * Returns the classification of the (first) statement.
     *
     * @return the statement kind, savepoint name and whether it starts with {@code WITH}
     */
    public StatementInfo info() {
        return info;
    }

    /**
     * Tells whether the text holds no statement: nothing but whitespace, comments and
     * semicolons. SQLite prepares nothing for it.
     *
     * @return {@code true} for {@link StatementInfo.Kind#EMPTY}
     */
    public boolean isEmpty() {
        return info.kind() == StatementInfo.Kind.EMPTY;
    }

    /**
     * Tells whether the text holds more than one statement (as {@link ScriptSplitter#split}
     * counts them: empty and comment-only statements do not count).
     *
     * @return {@code true} if there are at least two statements
     */
    public boolean hasMultipleStatements() {
        return multiple;
    }

    /**
     * Returns the statements of the text, as {@link ScriptSplitter#split} cuts them (each without
     * its semicolon; empty ones dropped).
     *
     * @return an unmodifiable list, empty if the text holds no statement
     */
    public List<String> statements() {
        List<String> s = statements;
        if (s == null) {
            s = Collections.unmodifiableList(ScriptSplitter.split(sql));
            statements = s;
        }
        return s;
    }

    /**
     * Returns the bind parameters of the (first) statement, as SQLite numbers them.
     *
     * @return the parameter layout
     */
    public ParameterLayout parameters() {
        ParameterLayout p = parameters;
        if (p == null) {
            p = ParameterLayout.of(sql);
            parameters = p;
        }
        return p;
    }

    /**
     * Tells whether this is DML by Python sqlite3's rule: see {@link StatementInfo#isDml()}.
     *
     * @return {@code true} for INSERT, REPLACE, UPDATE or DELETE not after {@code WITH}
     */
    public boolean isDml() {
        return info.isDml();
    }

    /**
     * Tells whether the statement changes rows, also after {@code WITH}: see {@link
     * StatementInfo#modifiesRows()}.
     *
     * @return {@code true} for INSERT, REPLACE, UPDATE or DELETE
     */
    public boolean modifiesRows() {
        return info.modifiesRows();
    }

    /**
     * Tells whether the statement controls the transaction: see {@link
     * StatementInfo#isTransactionControl()}.
     *
     * @return {@code true} for BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE and ROLLBACK TO
     */
    public boolean isTransactionControl() {
        return info.isTransactionControl();
    }

    /**
     * Tells whether the statement is {@code ATTACH} or {@code DETACH}.
     *
     * @return {@code true} for those two kinds
     */
    public boolean isAttachOrDetach() {
        return info.isAttachOrDetach();
    }

    /**
     * Tells whether the text only reads, as a pool decides whether it may run on a reader: one
     * statement that is a {@code SELECT}, {@code VALUES} or {@code EXPLAIN} (also after {@code
     * WITH}), or a PRAGMA known to only read. The rule is conservative: anything else is not
     * read-only (the writer runs a read fine too), and a wrong guess the other way fails loudly
     * on a {@code query_only} reader rather than writing.
     *
     * @return {@code true} if the text may run on a read-only connection
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Returns a debugging description.
     *
     * @return a string with the classification and the flags
     */
    @Override
    public String toString() {
        return "ParsedSql[" + info + ", multiple=" + multiple + ", readOnly=" + readOnly + "]";
    }

    private static boolean readsOnly(String sql, StatementInfo.Kind kind) {
        switch (kind) {
            case SELECT:
            case VALUES:
            case EXPLAIN:
                return true;
            case PRAGMA:
                return ReadOnlyPragmas.isReadOnly(sql);
            default:
                return false;
        }
    }
}
