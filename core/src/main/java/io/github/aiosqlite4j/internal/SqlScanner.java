package io.github.aiosqlite4j.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small lexer for SQLite SQL: statement splitting, completeness, bind parameters and statement
 * classification.
 *
 * <p>The lexer follows SQLite's tokenizer ({@code tokenize.c}) for everything that matters here:
 * {@code '...'} strings ({@code ''} escape), {@code "..."} and {@code `...`} identifiers (doubled
 * quote escape), {@code [...]} identifiers, {@code --} line comments, <code>/* ... *&#47;</code>
 * block comments (an unterminated one runs to the end), {@code x'..'} blobs, numbers, and the variables
 * {@code ?}, {@code ?NNN}, {@code :name}, {@code @name}, {@code $name}, {@code #name}. Every method
 * runs in time linear in the input length and never throws: malformed input (unterminated quotes,
 * stray characters, {@code null}) yields a best-effort answer.
 */
public final class SqlScanner {

    private SqlScanner() {}

    // ---------------------------------------------------------------- lexer token types

    private static final int EOF = -1;
    private static final int WS = 0;
    private static final int COMMENT = 1;
    private static final int SEMI = 2;
    private static final int WORD = 3;
    private static final int STRING = 4;
    private static final int QUOTED_ID = 5;
    private static final int NUMBER = 6;
    private static final int BLOB = 7;
    private static final int PARAM = 8;
    private static final int OTHER = 9;

    // ------------------------------------------------- sqlite3_complete() tokens and states

    private static final int TK_SEMI = 0;
    private static final int TK_WS = 1;
    private static final int TK_OTHER = 2;
    private static final int TK_EXPLAIN = 3;
    private static final int TK_CREATE = 4;
    private static final int TK_TEMP = 5;
    private static final int TK_TRIGGER = 6;
    private static final int TK_END = 7;

    /** State 0 (INVALID, nothing but whitespace seen yet) is the initial state. */
    private static final int ST_INVALID = 0;
    /** At the start of a statement, right after a statement-ending semicolon. */
    private static final int ST_START = 1;

    /** Transition table of sqlite3_complete() in SQLite's complete.c, verbatim. */
    private static final int[][] TRANS = {
        /* Token:         SEMI  WS  OTHER  EXPLAIN  CREATE  TEMP  TRIGGER  END */
        /* 0 INVALID: */ {1, 0, 2, 3, 4, 2, 2, 2},
        /* 1   START: */ {1, 1, 2, 3, 4, 2, 2, 2},
        /* 2  NORMAL: */ {1, 2, 2, 2, 2, 2, 2, 2},
        /* 3 EXPLAIN: */ {1, 3, 3, 2, 4, 2, 2, 2},
        /* 4  CREATE: */ {1, 4, 2, 2, 2, 4, 5, 2},
        /* 5 TRIGGER: */ {6, 5, 5, 5, 5, 5, 5, 5},
        /* 6    SEMI: */ {6, 6, 5, 5, 5, 5, 5, 7},
        /* 7     END: */ {1, 7, 5, 5, 5, 5, 5, 5},
    };

    /**
     * Largest {@code ?NNN} accepted: the SQLITE_MAX_VARIABLE_NUMBER sqlite-jdbc is compiled with.
     * Larger (or zero) numbers are rejected by SQLite at prepare time and are not reported here.
     */
    private static final int MAX_VARIABLE_NUMBER = 250_000;

    // ---------------------------------------------------------------------- public API

    /**
     * Splits a script into complete statements as {@code sqlite3_complete()} and
     * {@code sqlite3_exec()} see them.
     *
     * <p>Semicolons inside strings, quoted identifiers and comments do not split, and a {@code
     * CREATE [TEMP|TEMPORARY] TRIGGER ... BEGIN ...; END;} stays one statement. Each element is
     * the statement's text from its first to its last non-whitespace character, without the
     * terminating semicolon; comments within (or leading) a statement are kept. Statements made
     * only of whitespace and comments are dropped; a final statement without a semicolon is
     * included as is.
     *
     * @param script the SQL script; {@code null} is treated as empty
     * @return the statements in order, never {@code null}
     */
    public static List<String> splitStatements(String script) {
        String s = script == null ? "" : script;
        List<String> out = new ArrayList<>();
        Lexer lx = new Lexer(s);
        int state = ST_INVALID;
        int first = -1;
        int last = -1;
        boolean content = false;
        while (lx.advance()) {
            int tk = completeToken(lx);
            int next = TRANS[state][tk];
            if (tk == TK_SEMI && next == ST_START) {
                if (content) {
                    out.add(s.substring(first, last));
                }
                first = -1;
                content = false;
            } else if (lx.type != WS) {
                if (first < 0) {
                    first = lx.start;
                }
                last = lx.end;
                if (lx.type != COMMENT) {
                    content = true;
                }
            }
            state = next;
        }
        if (content) {
            out.add(s.substring(first, last));
        }
        return out;
    }

    /**
     * Tells whether the text ends a complete statement, with the meaning of {@code
     * sqlite3_complete()}: the last token is a semicolon outside strings, comments and trigger
     * bodies (trailing whitespace and comments allowed).
     *
     * @param sql the SQL text; {@code null} is treated as empty
     * @return {@code true} if the text is complete; {@code false} for blank text, an unterminated
     *     string, identifier or block comment, or a missing semicolon
     */
    public static boolean isComplete(String sql) {
        Lexer lx = new Lexer(sql == null ? "" : sql);
        int state = ST_INVALID;
        while (lx.advance()) {
            if (lx.unterminated) {
                return false; // unterminated string, identifier, blob or block comment
            }
            state = TRANS[state][completeToken(lx)];
        }
        return state == ST_START;
    }

    /**
     * Describes the bind parameters of one statement exactly as SQLite numbers them.
     *
     * <p>{@code ?} takes the largest index so far plus one; {@code ?NNN} takes index NNN; a named
     * parameter ({@code :name}, {@code @name}, {@code $name}, {@code #name}) takes the next index
     * at its first appearance and shares it on repeats. Only the first statement of the text is
     * examined (leading empty statements are skipped), as {@code sqlite3_prepare} does; the text
     * after its terminating semicolon is ignored. Tokens SQLite rejects ({@code ?0}, a too large
     * {@code ?NNN}, a lone {@code :}, a {@code ::name} cast-like sequence) are not parameters.
     *
     * @param sql the statement; {@code null} is treated as empty
     * @return the parameters, never {@code null}
     */
    public static Parameters parameters(String sql) {
        String s = sql == null ? "" : sql;
        Lexer lx = new Lexer(s);
        Parameters.Builder b = new Parameters.Builder();
        int state = ST_INVALID;
        boolean content = false;
        while (lx.advance()) {
            int tk = completeToken(lx);
            int next = TRANS[state][tk];
            if (tk == TK_SEMI) {
                if (next == ST_START && content) {
                    break;
                }
            } else if (tk != TK_WS) {
                content = true;
            }
            state = next;
            if (lx.type == PARAM) {
                b.add(s, lx.start, lx.end);
            }
        }
        return b.build();
    }

    /**
     * Classifies one statement by its first keyword (case-insensitive), skipping whitespace,
     * comments and leading empty statements ({@code ;}).
     *
     * <p>A {@code WITH} statement takes the kind of its main statement, found after the common
     * table expressions. {@code SAVEPOINT}, {@code RELEASE} and {@code ROLLBACK TO} report the
     * savepoint name with its quoting removed.
     *
     * @param sql the statement; {@code null} is treated as empty
     * @return the classification, never {@code null}
     */
    public static StatementInfo classify(String sql) {
        Lexer lx = new Lexer(sql == null ? "" : sql);
        do {
            if (!lx.nextSignificant()) {
                return new StatementInfo(StatementInfo.Kind.EMPTY, null, false);
            }
        } while (lx.type == SEMI);
        if (lx.type != WORD) {
            return simple(StatementInfo.Kind.OTHER);
        }
        switch (upperAscii(lx.text())) {
            case "SELECT":
                return simple(StatementInfo.Kind.SELECT);
            case "VALUES":
                return simple(StatementInfo.Kind.VALUES);
            case "INSERT":
                return simple(StatementInfo.Kind.INSERT);
            case "REPLACE":
                return simple(StatementInfo.Kind.REPLACE);
            case "UPDATE":
                return simple(StatementInfo.Kind.UPDATE);
            case "DELETE":
                return simple(StatementInfo.Kind.DELETE);
            case "BEGIN":
                return simple(StatementInfo.Kind.BEGIN);
            case "COMMIT":
            case "END":
                return simple(StatementInfo.Kind.COMMIT);
            case "ROLLBACK":
                return rollback(lx);
            case "SAVEPOINT":
                lx.nextSignificant();
                return new StatementInfo(StatementInfo.Kind.SAVEPOINT, nameOf(lx), false);
            case "RELEASE":
                lx.nextSignificant();
                if (lx.isWord("SAVEPOINT")) {
                    lx.nextSignificant();
                }
                return new StatementInfo(StatementInfo.Kind.RELEASE, nameOf(lx), false);
            case "CREATE":
                return simple(StatementInfo.Kind.CREATE);
            case "DROP":
                return simple(StatementInfo.Kind.DROP);
            case "ALTER":
                return simple(StatementInfo.Kind.ALTER);
            case "PRAGMA":
                return simple(StatementInfo.Kind.PRAGMA);
            case "ATTACH":
                return simple(StatementInfo.Kind.ATTACH);
            case "DETACH":
                return simple(StatementInfo.Kind.DETACH);
            case "VACUUM":
                return simple(StatementInfo.Kind.VACUUM);
            case "ANALYZE":
                return simple(StatementInfo.Kind.ANALYZE);
            case "REINDEX":
                return simple(StatementInfo.Kind.REINDEX);
            case "EXPLAIN":
                return simple(StatementInfo.Kind.EXPLAIN);
            case "WITH":
                return new StatementInfo(withMainKind(lx), null, true);
            default:
                return simple(StatementInfo.Kind.OTHER);
        }
    }

    // ---------------------------------------------------------------------- Parameters

    /**
     * The bind parameters of one statement, numbered as SQLite numbers them. Immutable.
     */
    public static final class Parameters {

        private final int count;
        private final boolean positional;
        private final Map<String, Integer> indexByName;
        private final Map<Integer, String> nameByIndex;
        private final List<String> names;
        private final List<Integer> occurrences;
        private final int[] starts;
        private final int[] ends;

        private Parameters(Builder b) {
            this.count = b.count;
            this.positional = b.positional;
            this.indexByName = b.indexByName;
            this.nameByIndex = b.nameByIndex;
            this.names = Collections.unmodifiableList(new ArrayList<>(b.indexByName.keySet()));
            this.occurrences = Collections.unmodifiableList(b.occurrences);
            this.starts = b.starts.stream().mapToInt(Integer::intValue).toArray();
            this.ends = b.ends.stream().mapToInt(Integer::intValue).toArray();
        }

        /**
         * Returns the number of parameters: the largest index used, as {@code
         * sqlite3_bind_parameter_count} reports it (indexes below it may be unused).
         *
         * @return the parameter count, {@code 0} if none
         */
        public int count() {
            return count;
        }

        /**
         * Returns the distinct named parameters in index order, each with its prefix (e.g. {@code
         * ":id"}).
         *
         * @return an unmodifiable list, empty if there are none
         */
        public List<String> names() {
            return names;
        }

        /**
         * Returns the 1-based index of a named parameter. A name with its prefix ({@code :},
         * {@code @}, {@code $}, {@code #}) matches exactly; a bare name is looked up as {@code
         * :name}, then {@code @name}, then {@code $name}, then {@code #name}.
         *
         * @param name the parameter name, with or without prefix
         * @return the index, or {@code -1} if there is no such parameter (or {@code name} is
         *     {@code null} or empty)
         */
        public int indexOf(String name) {
            if (name == null || name.isEmpty()) {
                return -1;
            }
            if (isVarPrefix(name.charAt(0))) {
                return indexByName.getOrDefault(name, -1);
            }
            for (char prefix : new char[] {':', '@', '$', '#'}) {
                Integer index = indexByName.get(prefix + name);
                if (index != null) {
                    return index;
                }
            }
            return -1;
        }

        /**
         * Tells whether the statement has at least one named parameter.
         *
         * @return {@code true} if {@link #names()} is not empty
         */
        public boolean hasNamed() {
            return !names.isEmpty();
        }

        /**
         * Tells whether the statement has at least one positional parameter ({@code ?} or {@code
         * ?NNN}).
         *
         * @return {@code true} if a positional parameter occurs
         */
        public boolean hasPositional() {
            return positional;
        }

        /**
         * Returns the named parameter bound to a 1-based index.
         *
         * @param index the 1-based parameter index
         * @return the name with its prefix, or {@code null} if the index is positional, unused or
         *     out of range
         */
        public String nameAt(int index) {
            return nameByIndex.get(index);
        }

        /**
         * Returns the index of each parameter occurrence, in textual order (a repeated named
         * parameter appears once per occurrence, with the same index).
         *
         * @return an unmodifiable list, parallel to {@link #spans()}
         */
        public List<Integer> occurrences() {
            return occurrences;
        }

        /**
         * Returns the character range of each parameter occurrence in the statement text, in
         * textual order, as {@code {start, end}} with {@code end} exclusive.
         *
         * @return a new list of new arrays, parallel to {@link #occurrences()}
         */
        public List<int[]> spans() {
            List<int[]> out = new ArrayList<>(starts.length);
            for (int i = 0; i < starts.length; i++) {
                out.add(new int[] {starts[i], ends[i]});
            }
            return out;
        }

        /**
         * Returns a debugging description.
         *
         * @return a string with the count, names and occurrences
         */
        @Override
        public String toString() {
            return "Parameters[count=" + count + ", names=" + names + ", occurrences=" + occurrences
                    + "]";
        }

        /** Accumulates occurrences following sqlite3ExprAssignVarNumber() in expr.c. */
        private static final class Builder {
            private int count;
            private boolean positional;
            private final Map<String, Integer> indexByName = new LinkedHashMap<>();
            private final Map<Integer, String> nameByIndex = new HashMap<>();
            private final List<Integer> occurrences = new ArrayList<>();
            private final List<Integer> starts = new ArrayList<>();
            private final List<Integer> ends = new ArrayList<>();

            void add(String s, int start, int end) {
                int index;
                if (s.charAt(start) == '?') {
                    if (end - start == 1) {
                        index = ++count;
                    } else {
                        index = parseIndex(s, start + 1, end);
                        if (index < 1) {
                            return; // SQLite: "variable number must be between ?1 and ?N"
                        }
                        count = Math.max(count, index);
                    }
                    positional = true;
                } else {
                    String name = s.substring(start, end);
                    Integer known = indexByName.get(name);
                    if (known == null) {
                        index = ++count;
                        indexByName.put(name, index);
                        nameByIndex.put(index, name);
                    } else {
                        index = known;
                    }
                }
                occurrences.add(index);
                starts.add(start);
                ends.add(end);
            }

            private static int parseIndex(String s, int from, int to) {
                long value = 0;
                for (int i = from; i < to; i++) {
                    value = value * 10 + (s.charAt(i) - '0');
                    if (value > MAX_VARIABLE_NUMBER) {
                        return -1;
                    }
                }
                return (int) value;
            }

            Parameters build() {
                return new Parameters(this);
            }
        }
    }

    // ------------------------------------------------------------------- StatementInfo

    /**
     * The classification of one statement.
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
            if (startsWithWith) {
                return false;
            }
            return kind == Kind.INSERT
                    || kind == Kind.REPLACE
                    || kind == Kind.UPDATE
                    || kind == Kind.DELETE;
        }

        /**
         * Tells whether the statement begins or ends a transaction or a savepoint: {@code BEGIN},
         * {@code COMMIT}/{@code END}, {@code ROLLBACK}, {@code ROLLBACK TO}, {@code SAVEPOINT},
         * {@code RELEASE}. The one list of transaction-control statements (pool routing and the
         * R2DBC driver's auto-commit handling use it).
         *
         * @return {@code true} for a transaction-control statement
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
         * Tells whether the statement inserts rows (and so may change {@code
         * last_insert_rowid()}): {@code INSERT} or {@code REPLACE}, also after {@code WITH}.
         *
         * @return {@code true} for {@link Kind#INSERT} and {@link Kind#REPLACE}
         */
        public boolean insertsRows() {
            return kind == Kind.INSERT || kind == Kind.REPLACE;
        }
    }

    // ------------------------------------------------------------------------ internals

    private static StatementInfo simple(StatementInfo.Kind kind) {
        return new StatementInfo(kind, null, false);
    }

    private static StatementInfo rollback(Lexer lx) {
        lx.nextSignificant();
        if (lx.isWord("TRANSACTION")) {
            lx.nextSignificant();
            if (lx.isName() && !lx.isWord("TO")) {
                lx.nextSignificant(); // "ROLLBACK TRANSACTION name": the name is ignored
            }
        }
        if (!lx.isWord("TO")) {
            return simple(StatementInfo.Kind.ROLLBACK);
        }
        lx.nextSignificant();
        if (lx.isWord("SAVEPOINT")) {
            lx.nextSignificant();
        }
        return new StatementInfo(StatementInfo.Kind.ROLLBACK_TO, nameOf(lx), false);
    }

    /** The lexer stands on WITH: find the kind of the main statement after the CTE list. */
    /**
     * Where the main statement of a {@code WITH ...} statement starts (its INSERT, UPDATE,
     * DELETE, SELECT... keyword), so that its target can be read past the common table
     * expressions; 0 for any other statement or when there is no main keyword.
     *
     * @param sql one statement
     * @return the offset of the main keyword, or 0
     */
    static int mainStatementStart(String sql) {
        Lexer lx = new Lexer(sql);
        do {
            if (!lx.nextSignificant()) {
                return 0;
            }
        } while (lx.type == SEMI);
        if (!lx.isWord("WITH")) {
            return 0;
        }
        return withMainKind(lx) == StatementInfo.Kind.OTHER ? 0 : lx.start;
    }

    private static StatementInfo.Kind withMainKind(Lexer lx) {
        int afterWith = lx.pos;
        StatementInfo.Kind kind = withStructured(lx);
        if (kind != null) {
            return kind;
        }
        // Unexpected shape: fall back to the first main keyword at parenthesis depth 0.
        lx.pos = afterWith;
        int depth = 0;
        while (lx.nextSignificant()) {
            if (lx.isChar('(')) {
                depth++;
            } else if (lx.isChar(')')) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0) {
                StatementInfo.Kind main = mainKind(lx);
                if (main != StatementInfo.Kind.OTHER) {
                    return main;
                }
            }
        }
        return StatementInfo.Kind.OTHER;
    }

    /**
     * Parses {@code [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...) [, ...] main}.
     *
     * @return the main statement's kind, or {@code null} if the text does not have that shape
     */
    private static StatementInfo.Kind withStructured(Lexer lx) {
        lx.nextSignificant();
        if (lx.isWord("RECURSIVE")) {
            lx.nextSignificant();
        }
        while (true) {
            if (!lx.isName()) {
                return null;
            }
            lx.nextSignificant();
            if (lx.isChar('(')) {
                if (!lx.skipParens()) {
                    return null;
                }
                lx.nextSignificant();
            }
            if (!lx.isWord("AS")) {
                return null;
            }
            lx.nextSignificant();
            if (lx.isWord("NOT")) {
                lx.nextSignificant();
            }
            if (lx.isWord("MATERIALIZED")) {
                lx.nextSignificant();
            }
            if (!lx.isChar('(') || !lx.skipParens()) {
                return null;
            }
            lx.nextSignificant();
            if (!lx.isChar(',')) {
                return mainKind(lx);
            }
            lx.nextSignificant();
        }
    }

    private static StatementInfo.Kind mainKind(Lexer lx) {
        if (lx.isWord("SELECT")) {
            return StatementInfo.Kind.SELECT;
        } else if (lx.isWord("VALUES")) {
            return StatementInfo.Kind.VALUES;
        } else if (lx.isWord("INSERT")) {
            return StatementInfo.Kind.INSERT;
        } else if (lx.isWord("REPLACE")) {
            return StatementInfo.Kind.REPLACE;
        } else if (lx.isWord("UPDATE")) {
            return StatementInfo.Kind.UPDATE;
        } else if (lx.isWord("DELETE")) {
            return StatementInfo.Kind.DELETE;
        }
        return StatementInfo.Kind.OTHER;
    }

    /** The unquoted name of the current token, or null if it cannot be a name. */
    private static String nameOf(Lexer lx) {
        switch (lx.type) {
            case WORD:
                return lx.text();
            case STRING:
            case QUOTED_ID:
                return unquote(lx.text());
            default:
                return null;
        }
    }

    private static String unquote(String token) {
        char open = token.charAt(0);
        char close = open == '[' ? ']' : open;
        int to = token.length();
        if (to >= 2 && token.charAt(to - 1) == close) {
            to--;
        }
        String body = token.substring(1, to);
        if (open == '[') {
            return body;
        }
        String quote = String.valueOf(open);
        return body.replace(quote + quote, quote);
    }

    /** Maps a lexer token to a sqlite3_complete() token. */
    private static int completeToken(Lexer lx) {
        switch (lx.type) {
            case SEMI:
                return TK_SEMI;
            case WS:
            case COMMENT:
                return TK_WS;
            case WORD:
                if (lx.isWord("CREATE")) {
                    return TK_CREATE;
                } else if (lx.isWord("TRIGGER")) {
                    return TK_TRIGGER;
                } else if (lx.isWord("TEMP") || lx.isWord("TEMPORARY")) {
                    return TK_TEMP;
                } else if (lx.isWord("END")) {
                    return TK_END;
                } else if (lx.isWord("EXPLAIN")) {
                    return TK_EXPLAIN;
                }
                return TK_OTHER;
            default:
                return TK_OTHER;
        }
    }

    private static String upperAscii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
        }
        return sb.toString();
    }

    /** Whitespace as SQLite's tokenizer sees it (vertical tab is not whitespace there). */
    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** SQLite's IdChar(): letters, digits, '_', '$' and every non-ASCII character. */
    private static boolean isIdChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || isDigit(c)
                || c == '_'
                || c == '$'
                || c >= 0x80;
    }

    private static boolean isVarPrefix(char c) {
        return c == ':' || c == '@' || c == '$' || c == '#';
    }

    /** A cursor over the tokens of a string, following sqlite3GetToken() in tokenize.c. */
    private static final class Lexer {
        private final String s;
        private final int n;
        int pos;
        int type = EOF;
        int start;
        int end;
        boolean unterminated;

        Lexer(String s) {
            this.s = s;
            this.n = s.length();
        }

        private int at(int i) {
            return i < n ? s.charAt(i) : -1;
        }

        String text() {
            return s.substring(start, end);
        }

        boolean isWord(String upperKeyword) {
            if (type != WORD || end - start != upperKeyword.length()) {
                return false;
            }
            for (int i = 0; i < upperKeyword.length(); i++) {
                char c = s.charAt(start + i);
                if (c >= 'a' && c <= 'z') {
                    c = (char) (c - ('a' - 'A'));
                }
                if (c != upperKeyword.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        boolean isChar(char c) {
            return type == OTHER && end - start == 1 && s.charAt(start) == c;
        }

        boolean isName() {
            return type == WORD || type == QUOTED_ID || type == STRING;
        }

        /** Advances to the next token that is not whitespace or a comment. */
        boolean nextSignificant() {
            while (advance()) {
                if (type != WS && type != COMMENT) {
                    return true;
                }
            }
            return false;
        }

        /** The current token is '(': advance to its matching ')'. */
        boolean skipParens() {
            int depth = 1;
            while (nextSignificant()) {
                if (isChar('(')) {
                    depth++;
                } else if (isChar(')') && --depth == 0) {
                    return true;
                }
            }
            return false;
        }

        /** Reads the next token; returns false (type EOF) at the end of the input. */
        boolean advance() {
            if (pos >= n) {
                type = EOF;
                start = n;
                end = n;
                unterminated = false;
                return false;
            }
            start = pos;
            unterminated = false;
            int i = pos;
            char c = s.charAt(i);
            if (isSpace(c)) {
                i++;
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                type = WS;
            } else if (c == '-' && at(i + 1) == '-') {
                int nl = s.indexOf('\n', i + 2);
                i = nl < 0 ? n : nl;
                type = COMMENT;
            } else if (c == '/' && at(i + 1) == '*' && i + 2 < n) {
                // ("/*" that ends the text is no comment for SQLite but '/' then '*')
                int close = s.indexOf("*/", i + 2);
                if (close < 0) {
                    i = n;
                    unterminated = true;
                } else {
                    i = close + 2;
                }
                type = COMMENT;
            } else if (c == ';') {
                i++;
                type = SEMI;
            } else if (c == '\'') {
                i = quoted(i, c);
                type = STRING;
            } else if (c == '"' || c == '`') {
                i = quoted(i, c);
                type = QUOTED_ID;
            } else if (c == '[') {
                int close = s.indexOf(']', i + 1);
                if (close < 0) {
                    i = n;
                    unterminated = true;
                } else {
                    i = close + 1;
                }
                type = QUOTED_ID;
            } else if ((c == 'x' || c == 'X') && at(i + 1) == '\'') {
                i = blob(i);
                type = BLOB;
            } else if (c == '?') {
                i++;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                type = PARAM;
            } else if (isVarPrefix(c)) {
                i = variable(i);
            } else if (isDigit(c) || (c == '.' && isDigit(at(i + 1)))) {
                i = number(i);
                type = NUMBER;
            } else if (isIdChar(c)) {
                i++;
                while (i < n && isIdChar(s.charAt(i))) {
                    i++;
                }
                type = WORD;
            } else {
                i++;
                type = OTHER;
            }
            end = i;
            pos = i;
            return true;
        }

        /** A quoted token starting at i, where a doubled quote is an escape. */
        private int quoted(int i, char q) {
            int j = i + 1;
            while (true) {
                int close = s.indexOf(q, j);
                if (close < 0) {
                    unterminated = true;
                    return n;
                }
                if (at(close + 1) != q) {
                    return close + 1;
                }
                j = close + 2;
            }
        }

        /** x'..': hex digits then a quote; an invalid blob still runs to the next quote. */
        private int blob(int i) {
            int j = i + 2;
            while (j < n && isHex(s.charAt(j))) {
                j++;
            }
            if (at(j) != '\'' || (j - i) % 2 != 0) {
                while (j < n && s.charAt(j) != '\'') {
                    j++;
                }
            }
            if (j < n) {
                return j + 1;
            }
            unterminated = true;
            return n;
        }

        /** :name @name $name #name, with SQLite's TCL extensions ("::" and a "(...)" suffix). */
        private int variable(int i) {
            int j = i + 1;
            int nId = 0;
            boolean illegal = false;
            while (j < n) {
                char d = s.charAt(j);
                if (isIdChar(d)) {
                    nId++;
                    j++;
                } else if (d == '(' && nId > 0) {
                    j++;
                    while (j < n && !isSpace(s.charAt(j)) && s.charAt(j) != 0x0b
                            && s.charAt(j) != ')') {
                        j++;
                    }
                    if (j < n && s.charAt(j) == ')') {
                        j++;
                    } else {
                        illegal = true;
                    }
                    break;
                } else if (d == ':' && at(j + 1) == ':') {
                    j += 2;
                } else {
                    break;
                }
            }
            if (s.charAt(i) == '#' && isDigit(at(i + 1))) {
                illegal = true; // "#N" is a register reference, a syntax error outside SQLite
            }
            if (nId > 0 && !illegal) {
                type = PARAM;
                return j;
            }
            type = OTHER;
            if (nId == 0 && s.charAt(i) == ':' && at(i + 1) == ':') {
                // A "::type" cast-like sequence (an error in SQLite): not a parameter.
                int k = i + 2;
                while (k < n && isIdChar(s.charAt(k))) {
                    k++;
                }
                j = Math.max(j, k);
            }
            return j; // an illegal token ends where SQLite's scan stopped (keeps this linear)
        }

        /** A numeric literal; trailing identifier characters belong to it (as in SQLite). */
        private int number(int i) {
            int j = i;
            if (s.charAt(j) == '0' && (at(j + 1) == 'x' || at(j + 1) == 'X') && isHex(at(j + 2))) {
                j += 3;
            } else {
                while (isDigit(at(j)) || (at(j) == '_' && isDigit(at(j + 1)))) {
                    j++;
                }
                if (at(j) == '.') {
                    j++;
                    while (isDigit(at(j)) || (at(j) == '_' && isDigit(at(j + 1)))) {
                        j++;
                    }
                }
                boolean signed = at(j + 1) == '+' || at(j + 1) == '-';
                if ((at(j) == 'e' || at(j) == 'E')
                        && (isDigit(at(j + 1)) || (signed && isDigit(at(j + 2))))) {
                    j += 2;
                    while (isDigit(at(j))) {
                        j++;
                    }
                }
            }
            while (j < n && isIdChar(s.charAt(j))) {
                j++;
            }
            return j;
        }
    }
}
