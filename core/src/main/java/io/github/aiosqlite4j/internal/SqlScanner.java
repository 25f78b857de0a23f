package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.internal.sql.ParameterLayout;
import io.github.aiosqlite4j.internal.sql.ScriptSplitter;
import io.github.aiosqlite4j.internal.sql.StatementClassifier;
import java.util.List;

/**
 * Deprecated (to be deleted once its callers use {@link io.github.aiosqlite4j.internal.sql}): the
 * former SQL scanner, now a facade over that package with its old names. Every method delegates;
 * the nested types wrap the new ones ({@link Parameters} a {@link ParameterLayout}, {@link
 * StatementInfo} a {@link io.github.aiosqlite4j.internal.sql.StatementInfo}) with the same
 * methods, so a caller migrates by changing its imports and type names only.
 *
 * <p>Callers should use {@link io.github.aiosqlite4j.internal.sql.ParsedSql#of}, which parses a
 * text once for every layer and caches it, instead of scanning the same text again.
 */
public final class SqlScanner {

    private SqlScanner() {}

    /**
     * See {@link ScriptSplitter#split}.
     *
     * @param script the SQL script; {@code null} is treated as empty
     * @return the statements in order, never {@code null}
     */
    public static List<String> splitStatements(String script) {
        return ScriptSplitter.split(script);
    }

    /**
     * See {@link ScriptSplitter#isComplete}.
     *
     * @param sql the SQL text; {@code null} is treated as empty
     * @return {@code true} if the text is complete
     */
    public static boolean isComplete(String sql) {
        return ScriptSplitter.isComplete(sql);
    }

    /**
     * See {@link ParameterLayout#of}.
     *
     * @param sql the statement; {@code null} is treated as empty
     * @return the parameters, never {@code null}
     */
    public static Parameters parameters(String sql) {
        return new Parameters(ParameterLayout.of(sql));
    }

    /**
     * See {@link StatementClassifier#classify}.
     *
     * @param sql the statement; {@code null} is treated as empty
     * @return the classification, never {@code null}
     */
    public static StatementInfo classify(String sql) {
        return new StatementInfo(StatementClassifier.classify(sql));
    }

    /** See {@link StatementClassifier#mainStatementStart}. */
    static int mainStatementStart(String sql) {
        return StatementClassifier.mainStatementStart(sql);
    }

    /** The former name of {@link ParameterLayout}, delegating to it. */
    public static final class Parameters {
        private final ParameterLayout layout;

        private Parameters(ParameterLayout layout) {
            this.layout = layout;
        }

        /**
         * See {@link ParameterLayout#count()}.
         *
         * @return the parameter count
         */
        public int count() {
            return layout.count();
        }

        /**
         * See {@link ParameterLayout#names()}.
         *
         * @return the distinct names in index order
         */
        public List<String> names() {
            return layout.names();
        }

        /**
         * See {@link ParameterLayout#indexOf(String)}.
         *
         * @param name the parameter name, with or without prefix
         * @return the index, or -1
         */
        public int indexOf(String name) {
            return layout.indexOf(name);
        }

        /**
         * See {@link ParameterLayout#hasNamed()}.
         *
         * @return whether a named parameter occurs
         */
        public boolean hasNamed() {
            return layout.hasNamed();
        }

        /**
         * See {@link ParameterLayout#hasPositional()}.
         *
         * @return whether a positional parameter occurs
         */
        public boolean hasPositional() {
            return layout.hasPositional();
        }

        /**
         * See {@link ParameterLayout#nameAt(int)}.
         *
         * @param index the 1-based parameter index
         * @return the name, or {@code null}
         */
        public String nameAt(int index) {
            return layout.nameAt(index);
        }

        /**
         * See {@link ParameterLayout#occurrences()}.
         *
         * @return the index of each occurrence
         */
        public List<Integer> occurrences() {
            return layout.occurrences();
        }

        /**
         * See {@link ParameterLayout#spans()}.
         *
         * @return the range of each occurrence
         */
        public List<int[]> spans() {
            return layout.spans();
        }

        /**
         * Returns a debugging description.
         *
         * @return the layout's description
         */
        @Override
        public String toString() {
            return layout.toString();
        }
    }

    /** The former name of {@link io.github.aiosqlite4j.internal.sql.StatementInfo}, delegating. */
    public static final class StatementInfo {
        private static final Kind[] KINDS = kinds();

        private final io.github.aiosqlite4j.internal.sql.StatementInfo info;

        private StatementInfo(io.github.aiosqlite4j.internal.sql.StatementInfo info) {
            this.info = info;
        }

        /** The former name of the new kinds, constant for constant (same names, same order). */
        public enum Kind {
            /** See the new kind. */
            EMPTY,
            /** See the new kind. */
            SELECT,
            /** See the new kind. */
            VALUES,
            /** See the new kind. */
            INSERT,
            /** See the new kind. */
            REPLACE,
            /** See the new kind. */
            UPDATE,
            /** See the new kind. */
            DELETE,
            /** See the new kind. */
            BEGIN,
            /** See the new kind. */
            COMMIT,
            /** See the new kind. */
            ROLLBACK,
            /** See the new kind. */
            ROLLBACK_TO,
            /** See the new kind. */
            SAVEPOINT,
            /** See the new kind. */
            RELEASE,
            /** See the new kind. */
            CREATE,
            /** See the new kind. */
            DROP,
            /** See the new kind. */
            ALTER,
            /** See the new kind. */
            PRAGMA,
            /** See the new kind. */
            ATTACH,
            /** See the new kind. */
            DETACH,
            /** See the new kind. */
            VACUUM,
            /** See the new kind. */
            ANALYZE,
            /** See the new kind. */
            REINDEX,
            /** See the new kind. */
            EXPLAIN,
            /** See the new kind. */
            OTHER
        }

        /** This enum's constant for each new kind, by name: fails to load if one is missing. */
        private static Kind[] kinds() {
            io.github.aiosqlite4j.internal.sql.StatementInfo.Kind[] all =
                    io.github.aiosqlite4j.internal.sql.StatementInfo.Kind.values();
            Kind[] out = new Kind[all.length];
            for (io.github.aiosqlite4j.internal.sql.StatementInfo.Kind k : all) {
                out[k.ordinal()] = Kind.valueOf(k.name());
            }
            return out;
        }

        /**
         * See {@link io.github.aiosqlite4j.internal.sql.StatementInfo#kind()}.
         *
         * @return the statement kind
         */
        public Kind kind() {
            return KINDS[info.kind().ordinal()];
        }

        /**
         * See {@link io.github.aiosqlite4j.internal.sql.StatementInfo#savepointName()}.
         *
         * @return the unquoted savepoint name, or {@code null}
         */
        public String savepointName() {
            return info.savepointName();
        }

        /**
         * See {@link io.github.aiosqlite4j.internal.sql.StatementInfo#startsWithWith()}.
         *
         * @return whether the first keyword is {@code WITH}
         */
        public boolean startsWithWith() {
            return info.startsWithWith();
        }

        /**
         * See {@link io.github.aiosqlite4j.internal.sql.StatementInfo#isDml()}.
         *
         * @return whether this is DML by Python sqlite3's rule
         */
        public boolean isDml() {
            return info.isDml();
        }

        /**
         * See {@link io.github.aiosqlite4j.internal.sql.StatementInfo#isTransactionControl()}.
         *
         * @return whether the statement begins or ends a transaction or a savepoint
         */
        public boolean isTransactionControl() {
            return info.isTransactionControl();
        }

        /**
         * See {@link io.github.aiosqlite4j.internal.sql.StatementInfo#insertsRows()}.
         *
         * @return whether the statement inserts rows
         */
        public boolean insertsRows() {
            return info.insertsRows();
        }

        /**
         * Returns a debugging description.
         *
         * @return the classification's description
         */
        @Override
        public String toString() {
            return info.toString();
        }
    }
}
