package io.github.aiosqlite4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.internal.sql.ParameterLayout;
import io.github.aiosqlite4j.internal.sql.ScriptSplitter;
import io.github.aiosqlite4j.internal.sql.StatementClassifier;
import io.github.aiosqlite4j.internal.sql.StatementInfo;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deprecated facade answers as the package it delegates to (whose own tests are in {@code
 * io.github.aiosqlite4j.internal.sql}).
 */
final class SqlScannerTest {

    private static final List<String> SAMPLES = List.of(
            "", ";;", "SELECT ?, :a, @b, $c, ?9", "VALUES (1)", "INSERT INTO t VALUES (:a, :a)",
            "REPLACE INTO t VALUES (1)", "UPDATE t SET a = ?", "DELETE FROM t", "BEGIN", "END",
            "ROLLBACK", "ROLLBACK TO \"s p\"", "SAVEPOINT [x]", "RELEASE SAVEPOINT y",
            "CREATE TABLE t(a)", "DROP TABLE t", "ALTER TABLE t ADD b", "PRAGMA user_version",
            "ATTACH 'x' AS x", "DETACH x", "VACUUM", "ANALYZE", "REINDEX", "EXPLAIN SELECT 1",
            "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "FROB", "SELECT 1; SELECT 2;",
            "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 'x");

    @Test
    void kinds_areTheNewKindsByNameAndOrder() {
        assertThat(Arrays.stream(SqlScanner.StatementInfo.Kind.values()).map(Enum::name))
                .containsExactlyElementsOf(
                        Arrays.stream(StatementInfo.Kind.values()).map(Enum::name).toList());
    }

    @Test
    void everyMethod_answersAsTheNewPackage() {
        for (String sql : SAMPLES) {
            assertThat(SqlScanner.splitStatements(sql)).as(sql)
                    .isEqualTo(ScriptSplitter.split(sql));
            assertThat(SqlScanner.isComplete(sql)).as(sql)
                    .isEqualTo(ScriptSplitter.isComplete(sql));
            assertThat(SqlScanner.mainStatementStart(sql)).as(sql)
                    .isEqualTo(StatementClassifier.mainStatementStart(sql));

            SqlScanner.StatementInfo old = SqlScanner.classify(sql);
            StatementInfo info = StatementClassifier.classify(sql);
            assertThat(old.kind().name()).as(sql).isEqualTo(info.kind().name());
            assertThat(old.savepointName()).as(sql).isEqualTo(info.savepointName());
            assertThat(old.startsWithWith()).as(sql).isEqualTo(info.startsWithWith());
            assertThat(old.isDml()).as(sql).isEqualTo(info.isDml());
            assertThat(old.isTransactionControl()).as(sql)
                    .isEqualTo(info.isTransactionControl());
            assertThat(old.insertsRows()).as(sql).isEqualTo(info.insertsRows());
            assertThat(old).as(sql).hasToString(info.toString());

            SqlScanner.Parameters p = SqlScanner.parameters(sql);
            ParameterLayout layout = ParameterLayout.of(sql);
            assertThat(p.count()).as(sql).isEqualTo(layout.count());
            assertThat(p.names()).as(sql).isEqualTo(layout.names());
            assertThat(p.hasNamed()).as(sql).isEqualTo(layout.hasNamed());
            assertThat(p.hasPositional()).as(sql).isEqualTo(layout.hasPositional());
            assertThat(p.occurrences()).as(sql).isEqualTo(layout.occurrences());
            assertThat(p.spans()).as(sql).containsExactlyElementsOf(layout.spans());
            for (int i = 0; i <= layout.count() + 1; i++) {
                assertThat(p.nameAt(i)).as(sql).isEqualTo(layout.nameAt(i));
            }
            for (String name : List.of("a", ":a", "@b", "b", "$c", "zz")) {
                assertThat(p.indexOf(name)).as(sql).isEqualTo(layout.indexOf(name));
            }
            assertThat(p).as(sql).hasToString(layout.toString());
        }
    }
}
