package io.github.aiosqlite4j.internal.sql;

import static io.github.aiosqlite4j.internal.sql.StatementClassifier.classify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.aiosqlite4j.internal.sql.StatementInfo.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statement classification: kinds, WITH main statements, savepoint names. */
final class StatementClassifierTest {

    @Test
    void classify_recognizesEveryKind() {
        assertKind("SELECT 1", Kind.SELECT);
        assertKind("VALUES (1), (2)", Kind.VALUES);
        assertKind("INSERT INTO t VALUES (1)", Kind.INSERT);
        assertKind("INSERT OR REPLACE INTO t VALUES (1)", Kind.INSERT);
        assertKind("REPLACE INTO t VALUES (1)", Kind.REPLACE);
        assertKind("UPDATE t SET a = 1", Kind.UPDATE);
        assertKind("DELETE FROM t", Kind.DELETE);
        assertKind("BEGIN", Kind.BEGIN);
        assertKind("BEGIN IMMEDIATE TRANSACTION", Kind.BEGIN);
        assertKind("begin exclusive", Kind.BEGIN);
        assertKind("COMMIT", Kind.COMMIT);
        assertKind("COMMIT TRANSACTION", Kind.COMMIT);
        assertKind("END", Kind.COMMIT);
        assertKind("end transaction", Kind.COMMIT);
        assertKind("ROLLBACK", Kind.ROLLBACK);
        assertKind("ROLLBACK TRANSACTION", Kind.ROLLBACK);
        assertKind("CREATE TABLE t(a)", Kind.CREATE);
        assertKind("DROP TABLE t", Kind.DROP);
        assertKind("ALTER TABLE t ADD COLUMN b", Kind.ALTER);
        assertKind("PRAGMA user_version = 3", Kind.PRAGMA);
        assertKind("ATTACH ':memory:' AS aux", Kind.ATTACH);
        assertKind("DETACH aux", Kind.DETACH);
        assertKind("VACUUM", Kind.VACUUM);
        assertKind("ANALYZE", Kind.ANALYZE);
        assertKind("REINDEX", Kind.REINDEX);
        assertKind("EXPLAIN SELECT 1", Kind.EXPLAIN);
        assertKind("EXPLAIN QUERY PLAN SELECT 1", Kind.EXPLAIN);
        assertKind("FROBNICATE everything", Kind.OTHER);
    }

    @Test
    void classify_isCaseInsensitiveAndSkipsCommentsAndEmptyStatements() {
        assertKind("  -- leading comment\n /* block */ insert into t values (1)", Kind.INSERT);
        assertKind("uPdAtE t SET a = 1", Kind.UPDATE);
        assertKind(";; select 1", Kind.SELECT);
    }

    @Test
    void classify_reportsEmptyForBlankText() {
        assertKind("", Kind.EMPTY);
        assertKind(null, Kind.EMPTY);
        assertKind("  \n\t", Kind.EMPTY);
        assertKind("-- only a comment", Kind.EMPTY);
        assertKind("/* only a comment", Kind.EMPTY);
        assertKind(" ; ; ", Kind.EMPTY);
        assertKind("/**", Kind.EMPTY);
    }

    @Test
    void classify_aSlashStarEndingTheText_isNoComment_asInSqlite() {
        // SQLite's tokenizer reads "/*" with nothing after it as "/" then "*": a syntax error,
        // not an empty statement (prepare fails instead of giving no statement)
        assertKind("/*", Kind.OTHER);
        assertKind(" ;/*", Kind.OTHER);
        assertKind("/* x */ /*", Kind.OTHER);
        assertThat(ScriptSplitter.split("select 1; /*")).containsExactly("select 1", "/*");
    }

    @Test
    void classify_reportsOtherForGarbage() {
        assertKind("(SELECT 1)", Kind.OTHER);
        assertKind("123", Kind.OTHER);
        assertKind("'SELECT'", Kind.OTHER);
        assertKind("\"SELECT\" 1", Kind.OTHER);
        assertKind("SELECTED", Kind.OTHER);
        assertKind("ınsert into t values (1)", Kind.OTHER); // dotless i is not ASCII 'I'
        assertKind("WITH", Kind.OTHER);
        assertKind("WITH x AS (SELECT 1", Kind.OTHER);
        assertKind("WITH x AS (SELECT 1) CREATE TABLE y(a)", Kind.OTHER);
    }

    @Test
    void classify_withTakesTheKindOfTheMainStatement() {
        StatementInfo insert = classify("WITH x(a) AS (SELECT 1) INSERT INTO t(a) SELECT a FROM x");
        assertThat(insert.kind()).isEqualTo(Kind.INSERT);
        assertThat(insert.startsWithWith()).isTrue();
        assertThat(insert.isDml()).isFalse();
        assertThat(insert.insertsRows()).isTrue();
        assertThat(insert.savepointName()).isNull();

        assertKind(
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3)"
                        + " SELECT n FROM c",
                Kind.SELECT);
        assertKind(
                "with a as materialized (select ')' as p), b as not materialized"
                        + " (select (p) from (a)) delete from t where a in (select p from b)",
                Kind.DELETE);
        assertKind("WITH \"update\" AS (SELECT 1) UPDATE t SET a = 1", Kind.UPDATE);
        assertKind("WITH replace AS (SELECT 1) SELECT * FROM replace", Kind.SELECT);
        assertKind("WITH x AS (SELECT 1) REPLACE INTO t(a) SELECT * FROM x", Kind.REPLACE);
        assertKind("WITH x AS (VALUES (1)) VALUES (2)", Kind.VALUES);
        assertKind("WITH /* c */ x -- c\n AS (SELECT 1) SELECT 2", Kind.SELECT);
    }

    @Test
    void classify_savepointStatementsReportUnquotedNames() {
        assertInfo("SAVEPOINT sp1", Kind.SAVEPOINT, "sp1");
        assertInfo("savepoint \"a \"\"b\"\"\"", Kind.SAVEPOINT, "a \"b\"");
        assertInfo("SAVEPOINT [x y]", Kind.SAVEPOINT, "x y");
        assertInfo("SAVEPOINT `a``b`", Kind.SAVEPOINT, "a`b");
        assertInfo("SAVEPOINT 'it''s';", Kind.SAVEPOINT, "it's");
        assertInfo("RELEASE sp1", Kind.RELEASE, "sp1");
        assertInfo("RELEASE SAVEPOINT \"sp 1\"", Kind.RELEASE, "sp 1");
        assertInfo("ROLLBACK TO sp1", Kind.ROLLBACK_TO, "sp1");
        assertInfo("ROLLBACK TO SAVEPOINT [sp1]", Kind.ROLLBACK_TO, "sp1");
        assertInfo("rollback transaction to savepoint sp1", Kind.ROLLBACK_TO, "sp1");
        assertInfo("ROLLBACK TRANSACTION t1 TO /* c */ SAVEPOINT sp1", Kind.ROLLBACK_TO, "sp1");
        assertInfo("ROLLBACK TO SAVEPOINT savepoint", Kind.ROLLBACK_TO, "savepoint");
        assertInfo("ROLLBACK", Kind.ROLLBACK, null);
        assertInfo("SAVEPOINT", Kind.SAVEPOINT, null);
        assertInfo("RELEASE SAVEPOINT", Kind.RELEASE, null);
        assertInfo("ROLLBACK TO", Kind.ROLLBACK_TO, null);
        assertInfo("SAVEPOINT \"unterminated", Kind.SAVEPOINT, "unterminated");
    }

    @Test
    void classify_savepointNamesRoundTripThroughSqlite() throws SQLException {
        try (Connection c = Sqlite.memory(); Statement st = c.createStatement()) {
            for (String sql :
                    List.of("SAVEPOINT \"a \"\"b\"\"\"", "SAVEPOINT [x y]", "SAVEPOINT 'it''s'")) {
                st.execute(sql);
                String name = classify(sql).savepointName();
                String release = "RELEASE \"" + name.replace("\"", "\"\"") + "\"";
                assertThat(classify(release).savepointName()).isEqualTo(name);
                st.execute(release); // fails if the name is wrong: "no such savepoint"
            }
        }
    }

    @Test
    void classify_dmlRuleFollowsFirstKeyword() {
        assertThat(classify("INSERT INTO t VALUES (1)").isDml()).isTrue();
        assertThat(classify("REPLACE INTO t VALUES (1)").isDml()).isTrue();
        assertThat(classify("UPDATE t SET a = 1").isDml()).isTrue();
        assertThat(classify("DELETE FROM t").isDml()).isTrue();
        assertThat(classify("SELECT 1").isDml()).isFalse();
        assertThat(classify("WITH x AS (SELECT 1) DELETE FROM t").isDml()).isFalse();
        assertThat(classify("CREATE TABLE t(a)").isDml()).isFalse();
        assertThat(classify("INSERT INTO t VALUES (1)").insertsRows()).isTrue();
        assertThat(classify("REPLACE INTO t VALUES (1)").insertsRows()).isTrue();
        assertThat(classify("UPDATE t SET a = 1").insertsRows()).isFalse();
        assertThat(classify("SELECT 1").startsWithWith()).isFalse();
    }

    @Test
    void isTransactionControl_isTheSixTransactionAndSavepointStatements() {
        for (String sql : new String[] {"BEGIN", "begin immediate transaction", "COMMIT", "end",
                "ROLLBACK", "rollback to sp", "SAVEPOINT sp", "release savepoint sp"}) {
            assertThat(classify(sql).isTransactionControl()).as(sql).isTrue();
        }
        for (String sql : new String[] {"select 1", "insert into t values (1)", "attach 'x' as y",
                "pragma user_version", "", "with c as (select 1) select * from c"}) {
            assertThat(classify(sql).isTransactionControl()).as(sql).isFalse();
        }
    }

    @Test
    void classify_testStatementsAreValidSqlite() throws SQLException {
        // Guards the inputs above: SQLite itself must accept them.
        List<String> statements =
                List.of(
                        "WITH x(a) AS (SELECT 1) INSERT INTO t(a) SELECT a FROM x",
                        "with a as materialized (select ')' as p), b as not materialized"
                                + " (select (p) from (a))"
                                + " delete from t where a in (select p from b)",
                        "WITH \"update\" AS (SELECT 1) UPDATE t SET a = 1",
                        "WITH replace AS (SELECT 1) SELECT * FROM replace",
                        "WITH x AS (SELECT 1) REPLACE INTO t(a) SELECT * FROM x",
                        "WITH x AS (VALUES (1)) VALUES (2)",
                        "ROLLBACK TRANSACTION t1 TO /* c */ SAVEPOINT sp1",
                        "ROLLBACK TO SAVEPOINT savepoint",
                        "RELEASE SAVEPOINT \"sp 1\"",
                        "BEGIN IMMEDIATE TRANSACTION",
                        "end transaction",
                        "EXPLAIN QUERY PLAN SELECT 1");
        try (Connection c = Sqlite.memoryWithTable()) {
            for (String sql : statements) {
                assertThatCode(() -> c.prepareStatement(sql).close())
                        .as(sql)
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void mainStatementStart_isTheMainKeywordOfAWithStatement() {
        String with = "WITH x(a) AS (SELECT 1) /* c */ UPDATE t SET a = (SELECT a FROM x)";
        assertThat(StatementClassifier.mainStatementStart(with)).isEqualTo(with.indexOf("UPDATE"));
        assertThat(StatementClassifier.mainStatementStart(";; with x as (select 1) delete from t"))
                .isEqualTo(24);
        assertThat(StatementClassifier.mainStatementStart("UPDATE t SET a = 1")).isZero();
        assertThat(StatementClassifier.mainStatementStart("WITH x AS (SELECT 1) CREATE TABLE y(a)"))
                .isZero();
        assertThat(StatementClassifier.mainStatementStart("")).isZero();
    }

    // ------------------------------------------------------------------------------ helpers

    private static void assertKind(String sql, Kind expected) {
        assertThat(classify(sql).kind()).as(String.valueOf(sql)).isEqualTo(expected);
    }

    private static void assertInfo(String sql, Kind kind, String savepointName) {
        StatementInfo info = classify(sql);
        assertThat(info.kind()).as(sql).isEqualTo(kind);
        assertThat(info.savepointName()).as(sql).isEqualTo(savepointName);
        assertThat(info.startsWithWith()).as(sql).isFalse();
    }
}
