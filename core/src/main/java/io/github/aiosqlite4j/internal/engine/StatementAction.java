package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.internal.sql.StatementClassifier;
import io.github.aiosqlite4j.internal.sql.StatementInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The top-level authorizer action of one statement, derived from its leading words: what the
 * statement-level authorizer emulation reports (sqlite-jdbc does not bind
 * sqlite3_set_authorizer).
 */
final class StatementAction {
    final int code;
    final String arg1;
    final String arg2;
    final String db;

    private StatementAction(int code, String arg1, String arg2, String db) {
        this.code = code;
        this.arg1 = arg1;
        this.arg2 = arg2;
        this.db = db;
    }

    static StatementAction of(String sql, StatementInfo info) {
        // For WITH ... INSERT/UPDATE/DELETE, read the target after the common table expressions,
        // not among them (the words stop at the first parenthesis).
        List<String> w = words(sql.substring(StatementClassifier.mainStatementStart(sql)), 12);
        switch (info.kind()) {
            case SELECT:
            case VALUES:
                return new StatementAction(Authorizer.SQLITE_SELECT, null, null, null);
            case INSERT:
            case REPLACE:
                return tableAfter(Authorizer.SQLITE_INSERT, w, "INTO");
            case UPDATE:
                return updateTarget(w);
            case DELETE:
                return tableAfter(Authorizer.SQLITE_DELETE, w, "FROM");
            case BEGIN:
                return new StatementAction(Authorizer.SQLITE_TRANSACTION, "BEGIN", null, null);
            case COMMIT:
                return new StatementAction(Authorizer.SQLITE_TRANSACTION, "COMMIT", null, null);
            case ROLLBACK:
                return new StatementAction(Authorizer.SQLITE_TRANSACTION, "ROLLBACK", null, null);
            case SAVEPOINT:
                return new StatementAction(Authorizer.SQLITE_SAVEPOINT, "BEGIN",
                        info.savepointName(), null);
            case RELEASE:
                return new StatementAction(Authorizer.SQLITE_SAVEPOINT, "RELEASE",
                        info.savepointName(), null);
            case ROLLBACK_TO:
                return new StatementAction(Authorizer.SQLITE_SAVEPOINT, "ROLLBACK",
                        info.savepointName(), null);
            case CREATE:
                return create(w);
            case DROP:
                return drop(w);
            case ALTER:
                return qualified(Authorizer.SQLITE_ALTER_TABLE, w, 2, true);
            case PRAGMA:
                return pragma(sql, w);
            case ATTACH:
                return new StatementAction(Authorizer.SQLITE_ATTACH, word(w, 1, "DATABASE"), null,
                        null);
            case DETACH:
                return new StatementAction(Authorizer.SQLITE_DETACH, word(w, 1, "DATABASE"), null,
                        null);
            case ANALYZE:
                return new StatementAction(Authorizer.SQLITE_ANALYZE, w.size() > 1 ? w.get(1) : null,
                        null, "main");
            case REINDEX:
                return new StatementAction(Authorizer.SQLITE_REINDEX, w.size() > 1 ? w.get(1) : null,
                        null, "main");
            default:
                // VACUUM, EXPLAIN and anything unrecognised: reported as a SELECT-less
                // statement with its first word, so an authorizer can still deny it.
                return new StatementAction(Authorizer.SQLITE_SELECT, w.isEmpty() ? null : w.get(0),
                        null, null);
        }
    }

    private static StatementAction create(List<String> w) {
        int i = 1;
        boolean temp = false;
        if (is(w, i, "TEMP") || is(w, i, "TEMPORARY")) {
            temp = true;
            i++;
        }
        if (is(w, i, "UNIQUE")) {
            i++;
        }
        if (is(w, i, "VIRTUAL")) {
            i++;
        }
        String type = upper(w, i);
        int nameAt = skipIf(w, i + 1, "IF", "NOT", "EXISTS");
        StatementAction target = qualified(0, w, nameAt, false);
        String db = temp ? "temp" : target.db;
        switch (type) {
            case "TABLE":
                return new StatementAction(temp ? Authorizer.SQLITE_CREATE_TEMP_TABLE
                        : Authorizer.SQLITE_CREATE_TABLE, target.arg1, null, db);
            case "INDEX": {
                int on = indexOf(w, "ON", nameAt);
                String table = on >= 0 && on + 1 < w.size() ? w.get(on + 1) : null;
                return new StatementAction(temp ? Authorizer.SQLITE_CREATE_TEMP_INDEX
                        : Authorizer.SQLITE_CREATE_INDEX, target.arg1, table, db);
            }
            case "VIEW":
                return new StatementAction(temp ? Authorizer.SQLITE_CREATE_TEMP_VIEW
                        : Authorizer.SQLITE_CREATE_VIEW, target.arg1, null, db);
            case "TRIGGER":
                return new StatementAction(temp ? Authorizer.SQLITE_CREATE_TEMP_TRIGGER
                        : Authorizer.SQLITE_CREATE_TRIGGER, target.arg1, null, db);
            default:
                return new StatementAction(temp ? Authorizer.SQLITE_CREATE_TEMP_TABLE
                        : Authorizer.SQLITE_CREATE_TABLE, target.arg1, null, db);
        }
    }

    private static StatementAction drop(List<String> w) {
        String type = upper(w, 1);
        int nameAt = skipIf(w, 2, "IF", "EXISTS", null);
        StatementAction target = qualified(0, w, nameAt, false);
        int code;
        switch (type) {
            case "INDEX":
                code = Authorizer.SQLITE_DROP_INDEX;
                break;
            case "VIEW":
                code = Authorizer.SQLITE_DROP_VIEW;
                break;
            case "TRIGGER":
                code = Authorizer.SQLITE_DROP_TRIGGER;
                break;
            default:
                code = Authorizer.SQLITE_DROP_TABLE;
        }
        return new StatementAction(code, target.arg1, null, target.db);
    }

    private static StatementAction updateTarget(List<String> w) {
        int i = 1;
        if (is(w, i, "OR")) {
            i += 2;
        }
        StatementAction t = qualified(0, w, i, false);
        return new StatementAction(Authorizer.SQLITE_UPDATE, t.arg1, null, t.db);
    }

    private static StatementAction tableAfter(int code, List<String> w, String keyword) {
        int k = indexOf(w, keyword, 0);
        StatementAction t = qualified(0, w, k < 0 ? w.size() : k + 1, false);
        return new StatementAction(code, t.arg1, null, t.db);
    }

    private static StatementAction pragma(String sql, List<String> w) {
        StatementAction t = qualified(0, w, 1, false);
        int eq = sql.indexOf('=');
        int paren = sql.indexOf('(');
        String arg = null;
        if (eq >= 0) {
            arg = sql.substring(eq + 1).strip();
        } else if (paren >= 0 && sql.lastIndexOf(')') > paren) {
            arg = sql.substring(paren + 1, sql.lastIndexOf(')')).strip();
        }
        return new StatementAction(Authorizer.SQLITE_PRAGMA, t.arg1, arg, t.db);
    }

    /** Reads {@code [schema .] name} at index i of the words. */
    private static StatementAction qualified(int code, List<String> w, int i, boolean schemaFirst) {
        if (i >= w.size()) {
            return new StatementAction(code, null, null, "main");
        }
        if (i + 2 < w.size() && w.get(i + 1).equals(".")) {
            return schemaFirst
                    ? new StatementAction(code, w.get(i), w.get(i + 2), w.get(i))
                    : new StatementAction(code, w.get(i + 2), null, w.get(i));
        }
        return schemaFirst
                ? new StatementAction(code, "main", w.get(i), "main")
                : new StatementAction(code, w.get(i), null, "main");
    }

    private static int skipIf(List<String> w, int i, String a, String b, String c) {
        if (is(w, i, a) && (b == null || is(w, i + 1, b))) {
            i += 2;
            if (c != null && is(w, i, c)) {
                i++;
            }
        }
        return i;
    }

    private static boolean is(List<String> w, int i, String word) {
        return i < w.size() && w.get(i).equalsIgnoreCase(word);
    }

    private static String upper(List<String> w, int i) {
        return i < w.size() ? w.get(i).toUpperCase(Locale.ROOT) : "";
    }

    private static String word(List<String> w, int i, String skip) {
        if (is(w, i, skip)) {
            i++;
        }
        return i < w.size() ? w.get(i) : null;
    }

    private static int indexOf(List<String> w, String word, int from) {
        for (int i = from; i < w.size(); i++) {
            if (w.get(i).equalsIgnoreCase(word)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first {@code max} words: identifiers and keywords (quoted ones unquoted), "." and
     * string literals (unquoted); comments and other punctuation skipped.
     */
    static List<String> words(String sql, int max) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n && out.size() < max) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int e = sql.indexOf('\n', i);
                i = e < 0 ? n : e + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int e = sql.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 2;
            } else if (c == '"' || c == '`' || c == '\'' || c == '[') {
                char close = c == '[' ? ']' : c;
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < n) {
                    char d = sql.charAt(j);
                    if (d == close) {
                        if (close != ']' && j + 1 < n && sql.charAt(j + 1) == close) {
                            sb.append(d);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    sb.append(d);
                    j++;
                }
                out.add(sb.toString());
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c > 127) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$' || sql.charAt(j) > 127)) {
                    j++;
                }
                out.add(sql.substring(i, j));
                i = j;
            } else if (c == '.') {
                out.add(".");
                i++;
            } else if (c == '(' || c == ';') {
                break;
            } else {
                i++;
            }
        }
        return out;
    }
}
