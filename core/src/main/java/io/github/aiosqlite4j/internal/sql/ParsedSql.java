package io.github.aiosqlite4j.internal.sql;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One SQL text, parsed once: its classification, whether it holds more than one statement, its
 * bind parameters, and the facts the driver, the pool and the engine derive from those. Immutable
 * and safe to share between threads; the parts not every caller needs (the parameter layout, the
 * statements) are computed on first use.
 *
 * <p>{@link #of(String)} returns the parsed text from a cache shared by all connections, so that a
 * text is lexed once however many layers look at it.
 */
public final class ParsedSql {

    /**
     * The cache holds at most about this many texts (it may briefly hold a few more while threads
     * add at once); beyond it, an arbitrary entry is dropped for each one added.
     */
    static final int MAX_ENTRIES = 1024;

    /**
     * Texts longer than this many characters are parsed on every {@link #of} and not cached, so
     * the cached texts total at most {@code MAX_ENTRIES * MAX_CACHED_LENGTH} characters (8 Mi;
     * what is derived from them, such as {@link #statements()}, is proportional) whatever the
     * application sends.
     */
    static final int MAX_CACHED_LENGTH = 8192;

    private static final ConcurrentHashMap<String, ParsedSql> CACHE =
            new ConcurrentHashMap<>(2 * MAX_ENTRIES);

    private final String sql;
    private final StatementInfo info;
    private final boolean multiple;
    private final boolean readOnly;
    /** Computed on first use; immutable once set, so racing threads at worst compute it twice. */
    private volatile ParameterLayout parameters;
    /** Computed on first use, as parameters. */
    private volatile List<String> statements;

    private ParsedSql(String sql) {
        this.sql = sql;
        this.info = StatementClassifier.classify(sql);
        this.multiple = ScriptSplitter.count(sql, 2) > 1;
        this.readOnly = !multiple && readsOnly(sql, info.kind());
    }

    /**
     * Returns the parsed form of a SQL text, from the shared cache when it was parsed before.
     *
     * <p>A hit costs one {@link ConcurrentHashMap} lookup; a miss parses the text on the calling
     * thread, without holding any lock, and caches it (see {@link #MAX_ENTRIES} and {@link
     * #MAX_CACHED_LENGTH} for the bounds). Threads racing on the same new text all get the same
     * instance, the one cached first.
     *
     * @param sql the SQL text, not {@code null}
     * @return the parsed text
     * @throws NullPointerException if {@code sql} is {@code null}
     */
    public static ParsedSql of(String sql) {
        Objects.requireNonNull(sql, "sql");
        ParsedSql hit = CACHE.get(sql);
        if (hit != null) {
            return hit;
        }
        ParsedSql parsed = new ParsedSql(sql);
        if (sql.length() > MAX_CACHED_LENGTH) {
            return parsed;
        }
        ParsedSql first = CACHE.putIfAbsent(sql, parsed);
        if (first != null) {
            return first;
        }
        if (CACHE.size() > MAX_ENTRIES) {
            evict(sql);
        }
        return parsed;
    }

    /** Drops arbitrary entries, other than the one just added, until the cache is in bounds. */
    private static void evict(String added) {
        Iterator<String> keys = CACHE.keySet().iterator();
        while (CACHE.size() > MAX_ENTRIES && keys.hasNext()) {
            if (keys.next() != added) { // the very key this thread put
                keys.remove();
            }
        }
    }

    /** The number of cached texts, for tests. */
    static int cacheSize() {
        return CACHE.size();
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
