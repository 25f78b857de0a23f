package io.github.aiosqlite4j.internal.sql;

/**
 * Classifies one statement by its first keyword: its {@link StatementInfo.Kind}, the savepoint a
 * savepoint statement names, and where the main statement of a {@code WITH} statement starts.
 * Every method runs in time linear in the input length and never throws.
 */
public final class StatementClassifier {

    private StatementClassifier() {}

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
        SqlLexer lx = new SqlLexer(sql == null ? "" : sql);
        do {
            if (!lx.nextSignificant()) {
                return new StatementInfo(StatementInfo.Kind.EMPTY, null, false);
            }
        } while (lx.type == SqlLexer.SEMI);
        if (lx.type != SqlLexer.WORD) {
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

    /**
     * Where the main statement of a {@code WITH ...} statement starts (its INSERT, UPDATE,
     * DELETE, SELECT... keyword), so that its target can be read past the common table
     * expressions; 0 for any other statement or when there is no main keyword.
     *
     * @param sql one statement, not {@code null}
     * @return the offset of the main keyword, or 0
     */
    public static int mainStatementStart(String sql) {
        SqlLexer lx = new SqlLexer(sql);
        do {
            if (!lx.nextSignificant()) {
                return 0;
            }
        } while (lx.type == SqlLexer.SEMI);
        if (!lx.isWord("WITH")) {
            return 0;
        }
        return withMainKind(lx) == StatementInfo.Kind.OTHER ? 0 : lx.start;
    }

    private static StatementInfo simple(StatementInfo.Kind kind) {
        return new StatementInfo(kind, null, false);
    }

    private static StatementInfo rollback(SqlLexer lx) {
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
    private static StatementInfo.Kind withMainKind(SqlLexer lx) {
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
    private static StatementInfo.Kind withStructured(SqlLexer lx) {
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

    private static StatementInfo.Kind mainKind(SqlLexer lx) {
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
    private static String nameOf(SqlLexer lx) {
        switch (lx.type) {
            case SqlLexer.WORD:
                return lx.text();
            case SqlLexer.STRING:
            case SqlLexer.QUOTED_ID:
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

    private static String upperAscii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
        }
        return sb.toString();
    }
}
