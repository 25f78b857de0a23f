package io.github.aiosqlite4j.internal.sql;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bind parameters of one statement, numbered as SQLite numbers them
 * ({@code sqlite3ExprAssignVarNumber()} in {@code expr.c}). Immutable.
 *
 * <p>{@code ?} takes the largest index so far plus one; {@code ?NNN} takes index NNN; a named
 * parameter ({@code :name}, {@code @name}, {@code $name}, {@code #name}) takes the next index at
 * its first appearance and shares it on repeats.
 */
public final class ParameterLayout {

    /**
     * Largest {@code ?NNN} accepted: the SQLITE_MAX_VARIABLE_NUMBER sqlite-jdbc is compiled with.
     * Larger (or zero) numbers are rejected by SQLite at prepare time and are not reported here.
     */
    private static final int MAX_VARIABLE_NUMBER = 250_000;

    private final int count;
    private final boolean positional;
    private final Map<String, Integer> indexByName;
    private final Map<Integer, String> nameByIndex;
    private final List<String> names;
    private final List<Integer> occurrences;
    private final int[] starts;
    private final int[] ends;
    private final BitSet used = new BitSet();
    private final boolean dollarNumbered;

    private ParameterLayout(Builder b) {
        this.count = b.count;
        this.positional = b.positional;
        this.indexByName = b.indexByName;
        this.nameByIndex = b.nameByIndex;
        this.names = Collections.unmodifiableList(new ArrayList<>(b.indexByName.keySet()));
        this.occurrences = Collections.unmodifiableList(b.occurrences);
        this.starts = b.starts.stream().mapToInt(Integer::intValue).toArray();
        this.ends = b.ends.stream().mapToInt(Integer::intValue).toArray();
        for (int index : occurrences) {
            used.set(index);
        }
        this.dollarNumbered = !positional && !names.isEmpty()
                && names.stream().allMatch(ParameterLayout::isDollarNumber);
    }

    private static boolean isDollarNumber(String name) {
        if (name.length() < 2 || name.charAt(0) != '$') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!SqlLexer.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Describes the bind parameters of one statement exactly as SQLite numbers them.
     *
     * <p>Only the first statement of the text is examined (leading empty statements are skipped),
     * as {@code sqlite3_prepare} does; the text after its terminating semicolon is ignored. Tokens
     * SQLite rejects ({@code ?0}, a too large {@code ?NNN}, a lone {@code :}, a {@code ::name}
     * cast-like sequence) are not parameters. Runs in time linear in the input length and never
     * throws.
     *
     * @param sql the statement; {@code null} is treated as empty
     * @return the parameters, never {@code null}
     */
    public static ParameterLayout of(String sql) {
        String s = sql == null ? "" : sql;
        SqlLexer lx = new SqlLexer(s);
        Builder b = new Builder();
        int state = ScriptSplitter.ST_INVALID;
        boolean content = false;
        while (lx.advance()) {
            int tk = ScriptSplitter.completeToken(lx);
            int next = ScriptSplitter.next(state, tk);
            if (tk == ScriptSplitter.TK_SEMI) {
                if (next == ScriptSplitter.ST_START && content) {
                    break;
                }
            } else if (tk != ScriptSplitter.TK_WS) {
                content = true;
            }
            state = next;
            if (lx.type == SqlLexer.PARAM) {
                b.add(s, lx.start, lx.end);
            }
        }
        return new ParameterLayout(b);
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
        if (SqlLexer.isVarPrefix(name.charAt(0))) {
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
     * Tells whether a 1-based index occurs in the text: an index below {@link #count()} may be
     * unused ({@code ?3} alone leaves 1 and 2 unused).
     *
     * @param index the 1-based parameter index
     * @return {@code true} if some occurrence has that index
     */
    public boolean isUsed(int index) {
        return index > 0 && used.get(index);
    }

    /**
     * Tells whether every parameter is written {@code $N} ({@code $1}, {@code $2}...), as jOOQ and
     * Spring's indexed bind markers write them: there is at least one and none is positional. (For
     * SQLite these are named parameters, numbered by first appearance, not by N.)
     *
     * @return {@code true} if all parameters are {@code $} followed by digits
     */
    public boolean isDollarNumbered() {
        return dollarNumbered;
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
    }
}
