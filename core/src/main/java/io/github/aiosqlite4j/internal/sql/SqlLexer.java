package io.github.aiosqlite4j.internal.sql;

/**
 * A cursor over the tokens of SQL text, following {@code sqlite3GetToken()} in SQLite's
 * {@code tokenize.c} for everything the rest of this package needs.
 *
 * <p>It reads {@code '...'} strings ({@code ''} escape), {@code "..."} and {@code `...`}
 * identifiers (doubled quote escape), {@code [...]} identifiers, {@code --} line comments,
 * <code>/* ... *&#47;</code> block comments (an unterminated one runs to the end), {@code x'..'}
 * blobs, numbers, and the variables {@code ?}, {@code ?NNN}, {@code :name}, {@code @name},
 * {@code $name}, {@code #name}. It runs in time linear in the input length and never throws:
 * malformed input (unterminated quotes, stray characters) yields best-effort tokens, with
 * {@link #unterminated} set where a token runs off the end.
 *
 * <p>The current token is {@link #type} over {@code [start, end)}; {@link #pos} is where the next
 * one starts (a caller may move it back to rescan).
 */
final class SqlLexer {

    // ------------------------------------------------------------------------ token types

    static final int EOF = -1;
    static final int WS = 0;
    static final int COMMENT = 1;
    static final int SEMI = 2;
    static final int WORD = 3;
    static final int STRING = 4;
    static final int QUOTED_ID = 5;
    static final int NUMBER = 6;
    static final int BLOB = 7;
    static final int PARAM = 8;
    static final int OTHER = 9;

    private final String s;
    private final int n;
    int pos;
    int type = EOF;
    int start;
    int end;
    boolean unterminated;

    /**
     * A lexer at the start of a text.
     *
     * @param s the text, not {@code null}
     */
    SqlLexer(String s) {
        this.s = s;
        this.n = s.length();
    }

    private int at(int i) {
        return i < n ? s.charAt(i) : -1;
    }

    /** The current token's text. */
    String text() {
        return s.substring(start, end);
    }

    /** Whether the current token is the keyword (given in upper case), ignoring ASCII case. */
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

    /** Whether the current token is the single punctuation character c. */
    boolean isChar(char c) {
        return type == OTHER && end - start == 1 && s.charAt(start) == c;
    }

    /** Whether the current token can be a name: a word, a quoted identifier or a string. */
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

    // ------------------------------------------------------------------- character classes

    /** Whitespace as SQLite's tokenizer sees it (vertical tab is not whitespace there). */
    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** SQLite's IdChar(): letters, digits, '_', '$' and every non-ASCII character. */
    static boolean isIdChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || isDigit(c)
                || c == '_'
                || c == '$'
                || c >= 0x80;
    }

    /** The first character of a named parameter: {@code : @ $ #}. */
    static boolean isVarPrefix(char c) {
        return c == ':' || c == '@' || c == '$' || c == '#';
    }
}
