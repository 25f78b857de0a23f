package io.github.aiosqlite4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.aiosqlite4j.internal.SqlScanner.Parameters;
import io.github.aiosqlite4j.internal.SqlScanner.StatementInfo;
import io.github.aiosqlite4j.internal.SqlScanner.StatementInfo.Kind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class SqlScannerTest {

    private static final String TRIGGER =
            "CREATE TRIGGER trg AFTER INSERT ON t BEGIN\n"
                    + "  INSERT INTO log VALUES (new.a);\n"
                    + "  UPDATE t SET b = CASE WHEN new.a > 0 THEN 'pos;' ELSE 'neg' END"
                    + " WHERE rowid = new.rowid;\n"
                    + "  SELECT CASE new.a WHEN 1 THEN 1 END;\n"
                    + "END";

    private static Connection memory() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite::memory:");
    }

    // ------------------------------------------------------------------ splitStatements

    @Test
    void split_separatesSimpleStatements() {
        assertThat(SqlScanner.splitStatements("SELECT 1; SELECT 2;\nSELECT 3"))
                .containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void split_ignoresSemicolonsInStringsIdentifiersAndComments() {
        String script =
                "SELECT 'a;b', 'it''s;';"
                        + "SELECT \"c;d\", \"e\"\";\" FROM [x;y];"
                        + "SELECT `f;g` -- comment; here\n;"
                        + "SELECT /* block; comment */ 4";
        assertThat(SqlScanner.splitStatements(script))
                .containsExactly(
                        "SELECT 'a;b', 'it''s;'",
                        "SELECT \"c;d\", \"e\"\";\" FROM [x;y]",
                        "SELECT `f;g` -- comment; here",
                        "SELECT /* block; comment */ 4");
    }

    @Test
    void split_keepsTriggerBodyTogether() {
        String script = "CREATE TABLE t(a, b);\n" + TRIGGER + ";\nINSERT INTO t VALUES (1, 2);";
        assertThat(SqlScanner.splitStatements(script))
                .containsExactly("CREATE TABLE t(a, b)", TRIGGER, "INSERT INTO t VALUES (1, 2)");
    }

    @Test
    void split_keepsTriggerWithCaseEndTogether() {
        String trigger =
                "CREATE TRIGGER tr BEFORE UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN 2 END;"
                        + " SELECT CASE WHEN 1 THEN 2 END; END";
        assertThat(SqlScanner.splitStatements(trigger + "; SELECT 9"))
                .containsExactly(trigger, "SELECT 9");
    }

    @Test
    void split_keepsTempAndTemporaryTriggersTogether() {
        String temp =
                "CREATE TEMP TRIGGER a AFTER DELETE ON t BEGIN DELETE FROM u; DELETE FROM v; END";
        String temporary =
                "create temporary trigger b after delete on t begin delete from u; end";
        assertThat(SqlScanner.splitStatements(temp + ";" + temporary + ";SELECT 1"))
                .containsExactly(temp, temporary, "SELECT 1");
    }

    @Test
    void split_keepsExplainCreateTriggerTogether() {
        String explain = "EXPLAIN CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END";
        assertThat(SqlScanner.splitStatements(explain + "; SELECT 3"))
                .containsExactly(explain, "SELECT 3");
    }

    @Test
    void split_doesNotTreatTriggerNamedTablesAsTriggers() {
        assertThat(
                        SqlScanner.splitStatements(
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
        assertThat(SqlScanner.splitStatements(";; ;\n; -- only a comment\n; /* c */ ;SELECT 1;;"))
                .containsExactly("SELECT 1");
        assertThat(SqlScanner.splitStatements("SELECT 1; -- trailing comment")).containsExactly(
                "SELECT 1");
        assertThat(SqlScanner.splitStatements("")).isEmpty();
        assertThat(SqlScanner.splitStatements("  \n\t ")).isEmpty();
        assertThat(SqlScanner.splitStatements(null)).isEmpty();
    }

    @Test
    void split_keepsCommentsInsideAndLeadingAStatement() {
        assertThat(SqlScanner.splitStatements("  -- head\nSELECT /* mid */ 1 -- tail\n ;\n"))
                .containsExactly("-- head\nSELECT /* mid */ 1 -- tail");
    }

    @Test
    void split_includesTrailingStatementWithoutSemicolon() {
        assertThat(SqlScanner.splitStatements("SELECT 1;\n  SELECT 2  \n"))
                .containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void split_unterminatedStringRunsToTheEnd() {
        assertThat(SqlScanner.splitStatements("SELECT 1; SELECT 'abc; SELECT 2;"))
                .containsExactly("SELECT 1", "SELECT 'abc; SELECT 2;");
        assertThat(SqlScanner.splitStatements("SELECT \"x; SELECT [y"))
                .containsExactly("SELECT \"x; SELECT [y");
    }

    @Test
    void split_unterminatedBlockCommentRunsToTheEnd() {
        assertThat(SqlScanner.splitStatements("SELECT 1; /* open; SELECT 2;"))
                .containsExactly("SELECT 1");
        assertThat(SqlScanner.splitStatements("SELECT 1 /* open; SELECT 2;"))
                .containsExactly("SELECT 1 /* open; SELECT 2;");
    }

    @Test
    void split_triggerWithoutEndKeepsTheRestTogether() {
        String open = "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; SELECT 2;";
        assertThat(SqlScanner.splitStatements(open)).containsExactly(open);
    }

    @Test
    void split_handlesBlobsNumbersAndSemicolonLikeText() {
        assertThat(SqlScanner.splitStatements("SELECT x'3B', 1.5e-3, .5;SELECT X'';"))
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
        List<String> statements = SqlScanner.splitStatements(script);
        assertThat(statements).hasSize(5);
        try (Connection c = memory(); Statement st = c.createStatement()) {
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
        assertThat(SqlScanner.isComplete("SELECT 1;")).isTrue();
        assertThat(SqlScanner.isComplete(";")).isTrue();
        assertThat(SqlScanner.isComplete("SELECT 1; -- done")).isTrue();
        assertThat(SqlScanner.isComplete("SELECT 1; /* done */ \n")).isTrue();
        assertThat(SqlScanner.isComplete(TRIGGER + ";")).isTrue();
        assertThat(SqlScanner.isComplete("SELECT 1")).isFalse();
        assertThat(SqlScanner.isComplete("")).isFalse();
        assertThat(SqlScanner.isComplete("  \n")).isFalse();
        assertThat(SqlScanner.isComplete("-- nothing")).isFalse();
        assertThat(SqlScanner.isComplete(null)).isFalse();
        assertThat(SqlScanner.isComplete("SELECT ';'")).isFalse();
        assertThat(SqlScanner.isComplete("SELECT 1 /* ; */")).isFalse();
        assertThat(SqlScanner.isComplete("SELECT 1; /* open")).isFalse();
        assertThat(SqlScanner.isComplete("SELECT 'open;")).isFalse();
        assertThat(SqlScanner.isComplete("SELECT \"open;")).isFalse();
        assertThat(SqlScanner.isComplete("SELECT [open;")).isFalse();
        assertThat(SqlScanner.isComplete("SELECT x'00;")).isFalse();
        assertThat(SqlScanner.isComplete(TRIGGER)).isFalse();
        assertThat(SqlScanner.isComplete("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;"))
                .isFalse();
        assertThat(SqlScanner.isComplete("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END"))
                .isFalse();
        assertThat(SqlScanner.isComplete("SELECT 1; SELECT 2")).isFalse();
    }

    // ------------------------------------------------------------------------ parameters

    @Test
    void parameters_numbersQuestionMarksSequentially() {
        Parameters p = SqlScanner.parameters("SELECT ?, ?, ?");
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.occurrences()).containsExactly(1, 2, 3);
        assertThat(p.hasPositional()).isTrue();
        assertThat(p.hasNamed()).isFalse();
        assertThat(p.names()).isEmpty();
        assertThat(p.nameAt(1)).isNull();
    }

    @Test
    void parameters_numberedPlaceholderTakesItsNumber() {
        Parameters p = SqlScanner.parameters("SELECT ?5");
        assertThat(p.count()).isEqualTo(5);
        assertThat(p.occurrences()).containsExactly(5);
        assertThat(p.hasPositional()).isTrue();
    }

    @Test
    void parameters_mixedPlaceholdersContinueAfterLargestIndex() {
        Parameters p = SqlScanner.parameters("SELECT ? , ?3, ?");
        assertThat(p.occurrences()).containsExactly(1, 3, 4);
        assertThat(p.count()).isEqualTo(4);
    }

    @Test
    void parameters_namedParametersShareIndexAndComparePrefixExactly() {
        Parameters p = SqlScanner.parameters("SELECT :a, @a, $a, :a");
        assertThat(p.occurrences()).containsExactly(1, 2, 3, 1);
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.names()).containsExactly(":a", "@a", "$a");
        assertThat(p.hasNamed()).isTrue();
        assertThat(p.hasPositional()).isFalse();
        assertThat(p.indexOf(":a")).isEqualTo(1);
        assertThat(p.indexOf("@a")).isEqualTo(2);
        assertThat(p.indexOf("$a")).isEqualTo(3);
        assertThat(p.indexOf("a")).isEqualTo(1);
        assertThat(p.nameAt(2)).isEqualTo("@a");
        assertThat(p.nameAt(4)).isNull();
        assertThat(p.nameAt(0)).isNull();
    }

    @Test
    void parameters_bareNameLooksUpColonThenAtThenDollar() {
        Parameters p = SqlScanner.parameters("SELECT $x, @x, $y");
        assertThat(p.indexOf("x")).isEqualTo(2);
        assertThat(p.indexOf("y")).isEqualTo(3);
        assertThat(p.indexOf("z")).isEqualTo(-1);
        assertThat(p.indexOf(":y")).isEqualTo(-1);
        assertThat(p.indexOf("")).isEqualTo(-1);
        assertThat(p.indexOf(null)).isEqualTo(-1);
    }

    @Test
    void parameters_namesAreCaseSensitive() {
        Parameters p = SqlScanner.parameters("SELECT :Id, :id");
        assertThat(p.occurrences()).containsExactly(1, 2);
        assertThat(p.indexOf("id")).isEqualTo(2);
    }

    @Test
    void parameters_numberedPlaceholderSharesIndexWithEarlierName() {
        Parameters shared = SqlScanner.parameters("SELECT :a, ?1, ?");
        assertThat(shared.occurrences()).containsExactly(1, 1, 2);
        assertThat(shared.nameAt(1)).isEqualTo(":a");
        Parameters separate = SqlScanner.parameters("SELECT ?1, :a");
        assertThat(separate.occurrences()).containsExactly(1, 2);
        assertThat(separate.nameAt(1)).isNull();
        assertThat(separate.nameAt(2)).isEqualTo(":a");
        assertThat(separate.hasNamed()).isTrue();
        assertThat(separate.hasPositional()).isTrue();
    }

    @Test
    void parameters_ignoresPlaceholdersInStringsIdentifiersAndComments() {
        Parameters p =
                SqlScanner.parameters(
                        "SELECT ':a ?', \"@b\", [$c], `?1`, x'3F' -- :d ?\n /* ? :e */ FROM t"
                                + " WHERE a = :real");
        assertThat(p.names()).containsExactly(":real");
        assertThat(p.occurrences()).containsExactly(1);
    }

    @Test
    void parameters_colonNotFollowedByNameIsNotAParameter() {
        assertThat(SqlScanner.parameters("SELECT a : b").count()).isZero();
        assertThat(SqlScanner.parameters("SELECT @ ").count()).isZero();
        assertThat(SqlScanner.parameters("SELECT $").count()).isZero();
        assertThat(SqlScanner.parameters(":").count()).isZero();
    }

    @Test
    void parameters_castLikeDoubleColonIsNotAParameter() {
        assertThat(SqlScanner.parameters("SELECT a::int, 'x'::text").count()).isZero();
        Parameters p = SqlScanner.parameters("SELECT :a::b, :a");
        assertThat(p.names()).containsExactly(":a::b", ":a");
    }

    @Test
    void parameters_dollarNameMayHaveTclSuffix() {
        Parameters p = SqlScanner.parameters("SELECT $a(xy), $a, $ns::v");
        assertThat(p.names()).containsExactly("$a(xy)", "$a", "$ns::v");
        assertThat(SqlScanner.parameters("SELECT $a(x y)").count()).isZero();
        assertThat(SqlScanner.parameters("SELECT $a(unterminated").count()).isZero();
    }

    @Test
    void parameters_nameCharactersIncludeDigitsDollarAndNonAscii() {
        Parameters p = SqlScanner.parameters("SELECT :a1_$b, @naïve, :名前, :1");
        assertThat(p.names()).containsExactly(":a1_$b", "@naïve", ":名前", ":1");
    }

    @Test
    void parameters_hashNameIsAParameterButHashDigitIsNot() {
        assertThat(SqlScanner.parameters("SELECT #abc, #abc").occurrences()).containsExactly(1, 1);
        assertThat(SqlScanner.parameters("SELECT #1").count()).isZero();
    }

    @Test
    void parameters_rejectsOutOfRangeNumbersWithoutThrowing() {
        assertThat(SqlScanner.parameters("SELECT ?0").count()).isZero();
        assertThat(SqlScanner.parameters("SELECT ?99999999999999999999999").count()).isZero();
        assertThat(SqlScanner.parameters("SELECT ?01, ?").occurrences()).containsExactly(1, 2);
    }

    @Test
    void parameters_examineOnlyTheFirstStatement() {
        assertThat(SqlScanner.parameters("SELECT ?; SELECT ?, ?").count()).isEqualTo(1);
        assertThat(SqlScanner.parameters(";; SELECT :a; SELECT :b").names()).containsExactly(":a");
    }

    @Test
    void parameters_spansLocateEachOccurrence() {
        String sql = "SELECT ?, :name, ?12 , $v(k), :name";
        Parameters p = SqlScanner.parameters(sql);
        List<String> texts = new ArrayList<>();
        for (int[] span : p.spans()) {
            texts.add(sql.substring(span[0], span[1]));
        }
        assertThat(texts).containsExactly("?", ":name", "?12", "$v(k)", ":name");
        assertThat(p.occurrences()).containsExactly(1, 2, 12, 13, 2);
        assertThat(p.spans().get(0)).containsExactly(7, 8);
        p.spans().get(0)[0] = 99;
        assertThat(p.spans().get(0)).containsExactly(7, 8);
    }

    @Test
    void parameters_emptyForNullAndPlainSql() {
        assertThat(SqlScanner.parameters(null).count()).isZero();
        assertThat(SqlScanner.parameters("SELECT 1").occurrences()).isEmpty();
        assertThat(SqlScanner.parameters("SELECT 1").spans()).isEmpty();
    }

    @Test
    void parameters_countMatchesSqlite() throws SQLException {
        List<String> statements =
                List.of(
                        "SELECT 1",
                        "SELECT ?",
                        "SELECT ?, ?, ?",
                        "SELECT ?5",
                        "SELECT ?, ?3, ?",
                        "SELECT :a, @a, $a, :a",
                        "SELECT :a, ?1, ?",
                        "SELECT ?1, :a",
                        "SELECT ?2, :a, ?",
                        "SELECT ?01, ?",
                        "SELECT ':a' AS \"?\", 1 AS [?], 2 AS `:b`, x'3f', ? -- ?\n /* ? */",
                        "SELECT :a::b, :a",
                        "SELECT $a(xy), $a, $b::c::d",
                        "SELECT :::a",
                        "SELECT #abc, #abc, @abc",
                        "SELECT :naïve, :名前",
                        "SELECT 1; SELECT ?",
                        ";; SELECT ?, ?",
                        "INSERT INTO t(a, b, c) VALUES (:a, :b, :a)",
                        "INSERT INTO t VALUES (?, ?, ?)",
                        "UPDATE t SET a = ?3 WHERE b = :b AND c = ?",
                        "DELETE FROM t WHERE a IN (?, ?, @x) AND b = @x",
                        "SELECT * FROM t WHERE a = :a OR b LIKE '%:b%' OR c = ?",
                        "WITH q(x) AS (SELECT ?) SELECT x, :y FROM q",
                        "SELECT ?250000");
        try (Connection c = memory()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t(a, b, c)");
            }
            for (String sql : statements) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    assertThat(SqlScanner.parameters(sql).count())
                            .as(sql)
                            .isEqualTo(ps.getParameterMetaData().getParameterCount());
                }
            }
        }
    }

    @Test
    void parameters_occurrencesMatchSqlite() throws SQLException {
        // Each parameter is a result column: binding value i to index i reveals SQLite's numbering.
        List<String> expressions =
                List.of(
                        "?, ?, ?",
                        "?, ?3, ?",
                        ":a, @a, $a, :a",
                        ":a, ?1, ?",
                        "?1, :a",
                        "?2, :a, ?, ?1",
                        ":x, ?, :y, ?2, :x, ?",
                        "$a(xy), $a, :a::b, :a, #n, #n",
                        "@é, @e, @é");
        try (Connection c = memory()) {
            for (String list : expressions) {
                String sql = "SELECT " + list;
                Parameters p = SqlScanner.parameters(sql);
                List<Integer> actual = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    assertThat(p.count())
                            .as(sql)
                            .isEqualTo(ps.getParameterMetaData().getParameterCount());
                    for (int i = 1; i <= p.count(); i++) {
                        ps.setInt(i, i);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        int columns = rs.getMetaData().getColumnCount();
                        for (int i = 1; i <= columns; i++) {
                            actual.add(rs.getInt(i));
                        }
                    }
                }
                assertThat(p.occurrences()).as(sql).isEqualTo(actual);
            }
        }
    }

    @Test
    void parameters_randomSelectsMatchSqlite() throws SQLException {
        // Every fragment evaluates to the value bound to its (first) parameter.
        String[] fragments = {
            "?", "?1", "?2", "?5", ":a", ":b", "@a", "$a", "$a(k)", "#h", ":a::x", "$n::m",
            "coalesce(?, '?:q')", "/* ?9 :z */ :b", "@a -- ? :y\n", "coalesce(:c, [?x], \"?\")",
        };
        Random random = new Random(7);
        try (Connection c = memory()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE d(\"?\", [?x])");
                st.execute("INSERT INTO d VALUES (NULL, NULL)");
            }
            for (int round = 0; round < 300; round++) {
                List<String> picked = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                    picked.add(fragments[random.nextInt(fragments.length)]);
                }
                String sql = "SELECT " + String.join(", ", picked) + " FROM d";
                Parameters p = SqlScanner.parameters(sql);
                List<Integer> firstPerColumn = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    assertThat(p.count())
                            .as(sql)
                            .isEqualTo(ps.getParameterMetaData().getParameterCount());
                    for (int i = 1; i <= p.count(); i++) {
                        ps.setInt(i, i);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        for (int i = 1; i <= picked.size(); i++) {
                            firstPerColumn.add(rs.getInt(i));
                        }
                    }
                }
                // Each fragment holds exactly one parameter outside strings/comments/identifiers.
                assertThat(p.occurrences()).as(sql).isEqualTo(firstPerColumn);
            }
        }
    }

    @Test
    void parameters_rejectedTokensAreRejectedBySqliteToo() throws SQLException {
        List<String> statements =
                List.of(
                        "SELECT ?0",
                        "SELECT ?250001",
                        "SELECT a : b",
                        "SELECT #1",
                        "SELECT $a(x y)",
                        "SELECT 1::int");
        try (Connection c = memory()) {
            for (String sql : statements) {
                assertThat(SqlScanner.parameters(sql).count()).as(sql).isZero();
                assertThatCode(() -> c.prepareStatement(sql).close())
                        .as(sql)
                        .isInstanceOf(SQLException.class);
            }
        }
    }

    // -------------------------------------------------------------------------- classify

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
    void isTransactionControl_isTheSixTransactionAndSavepointStatements() {
        for (String sql : new String[] {"BEGIN", "begin immediate transaction", "COMMIT", "end",
                "ROLLBACK", "rollback to sp", "SAVEPOINT sp", "release savepoint sp"}) {
            assertThat(SqlScanner.classify(sql).isTransactionControl()).as(sql).isTrue();
        }
        for (String sql : new String[] {"select 1", "insert into t values (1)", "attach 'x' as y",
                "pragma user_version", "", "with c as (select 1) select * from c"}) {
            assertThat(SqlScanner.classify(sql).isTransactionControl()).as(sql).isFalse();
        }
    }

    @Test
    void classify_aSlashStarEndingTheText_isNoComment_asInSqlite() {
        // SQLite's tokenizer reads "/*" with nothing after it as "/" then "*": a syntax error,
        // not an empty statement (prepare fails instead of giving no statement)
        assertKind("/*", Kind.OTHER);
        assertKind(" ;/*", Kind.OTHER);
        assertKind("/* x */ /*", Kind.OTHER);
        assertThat(SqlScanner.splitStatements("select 1; /*")).containsExactly("select 1", "/*");
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
        StatementInfo insert =
                SqlScanner.classify("WITH x(a) AS (SELECT 1) INSERT INTO t(a) SELECT a FROM x");
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
        try (Connection c = memory(); Statement st = c.createStatement()) {
            for (String sql :
                    List.of("SAVEPOINT \"a \"\"b\"\"\"", "SAVEPOINT [x y]", "SAVEPOINT 'it''s'")) {
                st.execute(sql);
                String name = SqlScanner.classify(sql).savepointName();
                String release = "RELEASE \"" + name.replace("\"", "\"\"") + "\"";
                assertThat(SqlScanner.classify(release).savepointName()).isEqualTo(name);
                st.execute(release); // fails if the name is wrong: "no such savepoint"
            }
        }
    }

    @Test
    void classify_dmlRuleFollowsFirstKeyword() {
        assertThat(SqlScanner.classify("INSERT INTO t VALUES (1)").isDml()).isTrue();
        assertThat(SqlScanner.classify("REPLACE INTO t VALUES (1)").isDml()).isTrue();
        assertThat(SqlScanner.classify("UPDATE t SET a = 1").isDml()).isTrue();
        assertThat(SqlScanner.classify("DELETE FROM t").isDml()).isTrue();
        assertThat(SqlScanner.classify("SELECT 1").isDml()).isFalse();
        assertThat(SqlScanner.classify("WITH x AS (SELECT 1) DELETE FROM t").isDml()).isFalse();
        assertThat(SqlScanner.classify("CREATE TABLE t(a)").isDml()).isFalse();
        assertThat(SqlScanner.classify("INSERT INTO t VALUES (1)").insertsRows()).isTrue();
        assertThat(SqlScanner.classify("REPLACE INTO t VALUES (1)").insertsRows()).isTrue();
        assertThat(SqlScanner.classify("UPDATE t SET a = 1").insertsRows()).isFalse();
        assertThat(SqlScanner.classify("SELECT 1").startsWithWith()).isFalse();
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
        try (Connection c = memory()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t(a, b, c)");
            }
            for (String sql : statements) {
                assertThatCode(() -> c.prepareStatement(sql).close())
                        .as(sql)
                        .doesNotThrowAnyException();
            }
        }
    }

    // ------------------------------------------------------------------------ robustness

    @Test
    void allMethods_neverThrowOnRandomInput() {
        String alphabet = "';\"`[]-/*\nx'?:@$#()0.5eE+ ,aAEND CREATE TRIGGER BEGIN WITH AS é";
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(40);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String sql = sb.toString();
            assertThatCode(
                            () -> {
                                List<String> parts = SqlScanner.splitStatements(sql);
                                SqlScanner.isComplete(sql);
                                Parameters p = SqlScanner.parameters(sql);
                                for (int[] span : p.spans()) {
                                    assertThat(span[0]).isLessThan(span[1]);
                                    assertThat(span[1]).isLessThanOrEqualTo(sql.length());
                                }
                                p.indexOf("a");
                                SqlScanner.classify(sql);
                                for (String part : parts) {
                                    assertThat(part).isNotBlank();
                                    SqlScanner.classify(part);
                                }
                            })
                    .as(sql)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void allMethods_runInLinearTimeOnPathologicalInput() {
        int size = 400_000;
        List<String> inputs =
                List.of(
                        "'".repeat(size),
                        "[".repeat(size),
                        "\"".repeat(size),
                        "/*".repeat(size),
                        "x'".repeat(size),
                        "$a(".repeat(size),
                        ":".repeat(size),
                        "(".repeat(size),
                        "WITH x AS " + "(".repeat(size),
                        "?".repeat(size),
                        ";".repeat(size),
                        "CREATE TRIGGER ".repeat(size / 10),
                        "a".repeat(size));
        for (String sql : inputs) {
            SqlScanner.splitStatements(sql);
            SqlScanner.isComplete(sql);
            SqlScanner.parameters(sql);
            SqlScanner.classify(sql);
        }
        assertThat(SqlScanner.parameters("?".repeat(size)).count()).isEqualTo(size);
    }

    // ------------------------------------------------------------------------------ helpers

    private static void assertKind(String sql, Kind expected) {
        assertThat(SqlScanner.classify(sql).kind()).as(String.valueOf(sql)).isEqualTo(expected);
    }

    private static void assertInfo(String sql, Kind kind, String savepointName) {
        StatementInfo info = SqlScanner.classify(sql);
        assertThat(info.kind()).as(sql).isEqualTo(kind);
        assertThat(info.savepointName()).as(sql).isEqualTo(savepointName);
        assertThat(info.startsWithWith()).as(sql).isFalse();
    }
}
