package io.github.aiosqlite4j.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statement splitting and completeness, checked against SQLite where it matters. */
final class ScriptSplitterTest {

    private static final String TRIGGER =
            "CREATE TRIGGER trg AFTER INSERT ON t BEGIN\n"
                    + "  INSERT INTO log VALUES (new.a);\n"
                    + "  UPDATE t SET b = CASE WHEN new.a > 0 THEN 'pos;' ELSE 'neg' END"
                    + " WHERE rowid = new.rowid;\n"
                    + "  SELECT CASE new.a WHEN 1 THEN 1 END;\n"
                    + "END";

    // ------------------------------------------------------------------ splitStatements

    @Test
    void split_separatesSimpleStatements() {
        assertThat(ScriptSplitter.split("SELECT 1; SELECT 2;\nSELECT 3"))
                .containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void split_ignoresSemicolonsInStringsIdentifiersAndComments() {
        String script =
                "SELECT 'a;b', 'it''s;';"
                        + "SELECT \"c;d\", \"e\"\";\" FROM [x;y];"
                        + "SELECT `f;g` -- comment; here\n;"
                        + "SELECT /* block; comment */ 4";
        assertThat(ScriptSplitter.split(script))
                .containsExactly(
                        "SELECT 'a;b', 'it''s;'",
                        "SELECT \"c;d\", \"e\"\";\" FROM [x;y]",
                        "SELECT `f;g` -- comment; here",
                        "SELECT /* block; comment */ 4");
    }

    @Test
    void split_keepsTriggerBodyTogether() {
        String script = "CREATE TABLE t(a, b);\n" + TRIGGER + ";\nINSERT INTO t VALUES (1, 2);";
        assertThat(ScriptSplitter.split(script))
                .containsExactly("CREATE TABLE t(a, b)", TRIGGER, "INSERT INTO t VALUES (1, 2)");
    }

    @Test
    void split_keepsTriggerWithCaseEndTogether() {
        String trigger =
                "CREATE TRIGGER tr BEFORE UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN 2 END;"
                        + " SELECT CASE WHEN 1 THEN 2 END; END";
        assertThat(ScriptSplitter.split(trigger + "; SELECT 9"))
                .containsExactly(trigger, "SELECT 9");
    }

    @Test
    void split_keepsTempAndTemporaryTriggersTogether() {
        String temp =
                "CREATE TEMP TRIGGER a AFTER DELETE ON t BEGIN DELETE FROM u; DELETE FROM v; END";
        String temporary =
                "create temporary trigger b after delete on t begin delete from u; end";
        assertThat(ScriptSplitter.split(temp + ";" + temporary + ";SELECT 1"))
                .containsExactly(temp, temporary, "SELECT 1");
    }

    @Test
    void split_keepsExplainCreateTriggerTogether() {
        String explain = "EXPLAIN CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END";
        assertThat(ScriptSplitter.split(explain + "; SELECT 3"))
                .containsExactly(explain, "SELECT 3");
    }

    @Test
    void split_doesNotTreatTriggerNamedTablesAsTriggers() {
        assertThat(
                        ScriptSplitter.split(
                                "CREATE TABLE trigger_log(a); CREATE TEMP TABLE \"trigger\"(b);"
                                        + " INSERT INTO trigger_log VALUES (1); END; SELECT 2"))
                .containsExactly(
                        "CREATE TABLE trigger_log(a)",
                        "CREATE TEMP TABLE \"trigger\"(b)",
                        "INSERT INTO trigger_log VALUES (1)",
                        "END",
                        "SELECT 2");
    }

    @Test
    void split_dropsEmptyAndCommentOnlyStatements() {
        assertThat(ScriptSplitter.split(";; ;\n; -- only a comment\n; /* c */ ;SELECT 1;;"))
                .containsExactly("SELECT 1");
        assertThat(ScriptSplitter.split("SELECT 1; -- trailing comment")).containsExactly(
                "SELECT 1");
        assertThat(ScriptSplitter.split("")).isEmpty();
        assertThat(ScriptSplitter.split("  \n\t ")).isEmpty();
        assertThat(ScriptSplitter.split(null)).isEmpty();
    }

    @Test
    void split_keepsCommentsInsideAndLeadingAStatement() {
        assertThat(ScriptSplitter.split("  -- head\nSELECT /* mid */ 1 -- tail\n ;\n"))
                .containsExactly("-- head\nSELECT /* mid */ 1 -- tail");
    }

    @Test
    void split_includesTrailingStatementWithoutSemicolon() {
        assertThat(ScriptSplitter.split("SELECT 1;\n  SELECT 2  \n"))
                .containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void split_unterminatedStringRunsToTheEnd() {
        assertThat(ScriptSplitter.split("SELECT 1; SELECT 'abc; SELECT 2;"))
                .containsExactly("SELECT 1", "SELECT 'abc; SELECT 2;");
        assertThat(ScriptSplitter.split("SELECT \"x; SELECT [y"))
                .containsExactly("SELECT \"x; SELECT [y");
    }

    @Test
    void split_unterminatedBlockCommentRunsToTheEnd() {
        assertThat(ScriptSplitter.split("SELECT 1; /* open; SELECT 2;"))
                .containsExactly("SELECT 1");
        assertThat(ScriptSplitter.split("SELECT 1 /* open; SELECT 2;"))
                .containsExactly("SELECT 1 /* open; SELECT 2;");
    }

    @Test
    void split_triggerWithoutEndKeepsTheRestTogether() {
        String open = "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; SELECT 2;";
        assertThat(ScriptSplitter.split(open)).containsExactly(open);
    }

    @Test
    void split_handlesBlobsNumbersAndSemicolonLikeText() {
        assertThat(ScriptSplitter.split("SELECT x'3B', 1.5e-3, .5;SELECT X'';"))
                .containsExactly("SELECT x'3B', 1.5e-3, .5", "SELECT X''");
    }

    @Test
    void split_statementsRunInSqlite() throws SQLException {
        String script =
                "-- schema\n"
                        + "CREATE TABLE t(a, b);\n"
                        + "CREATE TABLE log(x);;\n"
                        + TRIGGER
                        + ";\n"
                        + "/* data; more */ INSERT INTO t VALUES (1, 'x;y');\n"
                        + "INSERT INTO t VALUES (-1, 'end;')";
        List<String> statements = ScriptSplitter.split(script);
        assertThat(statements).hasSize(5);
        try (Connection c = Sqlite.memory(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
            try (ResultSet rs = st.executeQuery("SELECT group_concat(x) FROM log")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("1,-1");
            }
            try (ResultSet rs = st.executeQuery("SELECT group_concat(b, '|') FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("pos;|neg");
            }
        }
    }

    // ------------------------------------------------------------------------ isComplete

    @Test
    void isComplete_followsSqlite3Complete() {
        assertThat(ScriptSplitter.isComplete("SELECT 1;")).isTrue();
        assertThat(ScriptSplitter.isComplete(";")).isTrue();
        assertThat(ScriptSplitter.isComplete("SELECT 1; -- done")).isTrue();
        assertThat(ScriptSplitter.isComplete("SELECT 1; /* done */ \n")).isTrue();
        assertThat(ScriptSplitter.isComplete(TRIGGER + ";")).isTrue();
        assertThat(ScriptSplitter.isComplete("SELECT 1")).isFalse();
        assertThat(ScriptSplitter.isComplete("")).isFalse();
        assertThat(ScriptSplitter.isComplete("  \n")).isFalse();
        assertThat(ScriptSplitter.isComplete("-- nothing")).isFalse();
        assertThat(ScriptSplitter.isComplete(null)).isFalse();
        assertThat(ScriptSplitter.isComplete("SELECT ';'")).isFalse();
        assertThat(ScriptSplitter.isComplete("SELECT 1 /* ; */")).isFalse();
        assertThat(ScriptSplitter.isComplete("SELECT 1; /* open")).isFalse();
        assertThat(ScriptSplitter.isComplete("SELECT 'open;")).isFalse();
        assertThat(ScriptSplitter.isComplete("SELECT \"open;")).isFalse();
        assertThat(ScriptSplitter.isComplete("SELECT [open;")).isFalse();
        assertThat(ScriptSplitter.isComplete("SELECT x'00;")).isFalse();
        assertThat(ScriptSplitter.isComplete(TRIGGER)).isFalse();
        assertThat(ScriptSplitter.isComplete("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;"))
                .isFalse();
        assertThat(ScriptSplitter.isComplete(
                        "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END"))
                .isFalse();
        assertThat(ScriptSplitter.isComplete("SELECT 1; SELECT 2")).isFalse();
    }
}
