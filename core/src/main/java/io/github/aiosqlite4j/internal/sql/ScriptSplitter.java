package io.github.aiosqlite4j.internal.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Where statements end: splitting a script into statements and telling whether text ends a
 * complete one, both with the state machine of {@code sqlite3_complete()} in SQLite's
 * {@code complete.c}.
 *
 * <p>Semicolons inside strings, quoted identifiers and comments end nothing, and a {@code CREATE
 * [TEMP|TEMPORARY] TRIGGER ... BEGIN ...; END;} is one statement. Every method runs in time linear
 * in the input length and never throws.
 */
public final class ScriptSplitter {

    private ScriptSplitter() {}

    // ------------------------------------------------- sqlite3_complete() tokens and states

    static final int TK_SEMI = 0;
    static final int TK_WS = 1;
    private static final int TK_OTHER = 2;
    private static final int TK_EXPLAIN = 3;
    private static final int TK_CREATE = 4;
    private static final int TK_TEMP = 5;
    private static final int TK_TRIGGER = 6;
    private static final int TK_END = 7;

    /** State 0 (INVALID, nothing but whitespace seen yet) is the initial state. */
    static final int ST_INVALID = 0;
    /** At the start of a statement, right after a statement-ending semicolon. */
    static final int ST_START = 1;

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
    public static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        walk(script == null ? "" : script, out, Integer.MAX_VALUE);
        return out;
    }

    /**
     * Counts the statements {@link #split} would return, stopping once {@code limit} are seen
     * (so {@code count(sql, 2) > 1} tells whether the text holds several, without copying any).
     *
     * @param sql the SQL text, not {@code null}
     * @param limit where counting stops, at least 1
     * @return the number of statements, at most {@code limit}
     */
    static int count(String sql, int limit) {
        return walk(sql, null, limit);
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
        SqlLexer lx = new SqlLexer(sql == null ? "" : sql);
        int state = ST_INVALID;
        while (lx.advance()) {
            if (lx.unterminated) {
                return false; // unterminated string, identifier, blob or block comment
            }
            state = next(state, completeToken(lx));
        }
        return state == ST_START;
    }

    /**
     * Walks the statements of s: adds each one's text to out (if not null) and returns how many
     * there are, or {@code limit} as soon as a statement that reaches it has begun.
     */
    private static int walk(String s, List<String> out, int limit) {
        SqlLexer lx = new SqlLexer(s);
        int count = 0;
        int state = ST_INVALID;
        int first = -1;
        int last = -1;
        boolean content = false;
        while (lx.advance()) {
            int tk = completeToken(lx);
            int next = next(state, tk);
            if (tk == TK_SEMI && next == ST_START) {
                if (content) {
                    if (out != null) {
                        out.add(s.substring(first, last));
                    }
                    count++;
                }
                first = -1;
                content = false;
            } else if (lx.type != SqlLexer.WS) {
                if (first < 0) {
                    first = lx.start;
                }
                last = lx.end;
                if (lx.type != SqlLexer.COMMENT && !content) {
                    content = true;
                    if (count + 1 >= limit) {
                        return limit; // this statement will count: no need to find its end
                    }
                }
            }
            state = next;
        }
        if (content) {
            if (out != null) {
                out.add(s.substring(first, last));
            }
            count++;
        }
        return count;
    }

    /** The sqlite3_complete() state after a token (of {@link #completeToken}) in a state. */
    static int next(int state, int token) {
        return TRANS[state][token];
    }

    /** Maps a lexer token to a sqlite3_complete() token. */
    static int completeToken(SqlLexer lx) {
        switch (lx.type) {
            case SqlLexer.SEMI:
                return TK_SEMI;
            case SqlLexer.WS:
            case SqlLexer.COMMENT:
                return TK_WS;
            case SqlLexer.WORD:
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
}
