package io.github.aiosqlite4j.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Parameter numbering, checked against SQLite's own numbering. */
final class ParameterLayoutTest {

    @Test
    void parameters_numbersQuestionMarksSequentially() {
        ParameterLayout p = ParameterLayout.of("SELECT ?, ?, ?");
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.occurrences()).containsExactly(1, 2, 3);
        assertThat(p.hasPositional()).isTrue();
        assertThat(p.hasNamed()).isFalse();
        assertThat(p.names()).isEmpty();
        assertThat(p.nameAt(1)).isNull();
    }

    @Test
    void parameters_numberedPlaceholderTakesItsNumber() {
        ParameterLayout p = ParameterLayout.of("SELECT ?5");
        assertThat(p.count()).isEqualTo(5);
        assertThat(p.occurrences()).containsExactly(5);
        assertThat(p.hasPositional()).isTrue();
    }

    @Test
    void parameters_mixedPlaceholdersContinueAfterLargestIndex() {
        ParameterLayout p = ParameterLayout.of("SELECT ? , ?3, ?");
        assertThat(p.occurrences()).containsExactly(1, 3, 4);
        assertThat(p.count()).isEqualTo(4);
    }

    @Test
    void parameters_namedParametersShareIndexAndComparePrefixExactly() {
        ParameterLayout p = ParameterLayout.of("SELECT :a, @a, $a, :a");
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
        ParameterLayout p = ParameterLayout.of("SELECT $x, @x, $y");
        assertThat(p.indexOf("x")).isEqualTo(2);
        assertThat(p.indexOf("y")).isEqualTo(3);
        assertThat(p.indexOf("z")).isEqualTo(-1);
        assertThat(p.indexOf(":y")).isEqualTo(-1);
        assertThat(p.indexOf("")).isEqualTo(-1);
        assertThat(p.indexOf(null)).isEqualTo(-1);
    }

    @Test
    void parameters_namesAreCaseSensitive() {
        ParameterLayout p = ParameterLayout.of("SELECT :Id, :id");
        assertThat(p.occurrences()).containsExactly(1, 2);
        assertThat(p.indexOf("id")).isEqualTo(2);
    }

    @Test
    void parameters_numberedPlaceholderSharesIndexWithEarlierName() {
        ParameterLayout shared = ParameterLayout.of("SELECT :a, ?1, ?");
        assertThat(shared.occurrences()).containsExactly(1, 1, 2);
        assertThat(shared.nameAt(1)).isEqualTo(":a");
        ParameterLayout separate = ParameterLayout.of("SELECT ?1, :a");
        assertThat(separate.occurrences()).containsExactly(1, 2);
        assertThat(separate.nameAt(1)).isNull();
        assertThat(separate.nameAt(2)).isEqualTo(":a");
        assertThat(separate.hasNamed()).isTrue();
        assertThat(separate.hasPositional()).isTrue();
    }

    @Test
    void parameters_ignoresPlaceholdersInStringsIdentifiersAndComments() {
        ParameterLayout p =
                ParameterLayout.of(
                        "SELECT ':a ?', \"@b\", [$c], `?1`, x'3F' -- :d ?\n /* ? :e */ FROM t"
                                + " WHERE a = :real");
        assertThat(p.names()).containsExactly(":real");
        assertThat(p.occurrences()).containsExactly(1);
    }

    @Test
    void parameters_colonNotFollowedByNameIsNotAParameter() {
        assertThat(ParameterLayout.of("SELECT a : b").count()).isZero();
        assertThat(ParameterLayout.of("SELECT @ ").count()).isZero();
        assertThat(ParameterLayout.of("SELECT $").count()).isZero();
        assertThat(ParameterLayout.of(":").count()).isZero();
    }

    @Test
    void parameters_castLikeDoubleColonIsNotAParameter() {
        assertThat(ParameterLayout.of("SELECT a::int, 'x'::text").count()).isZero();
        ParameterLayout p = ParameterLayout.of("SELECT :a::b, :a");
        assertThat(p.names()).containsExactly(":a::b", ":a");
    }

    @Test
    void parameters_dollarNameMayHaveTclSuffix() {
        ParameterLayout p = ParameterLayout.of("SELECT $a(xy), $a, $ns::v");
        assertThat(p.names()).containsExactly("$a(xy)", "$a", "$ns::v");
        assertThat(ParameterLayout.of("SELECT $a(x y)").count()).isZero();
        assertThat(ParameterLayout.of("SELECT $a(unterminated").count()).isZero();
    }

    @Test
    void parameters_nameCharactersIncludeDigitsDollarAndNonAscii() {
        ParameterLayout p = ParameterLayout.of("SELECT :a1_$b, @naïve, :名前, :1");
        assertThat(p.names()).containsExactly(":a1_$b", "@naïve", ":名前", ":1");
    }

    @Test
    void parameters_hashNameIsAParameterButHashDigitIsNot() {
        assertThat(ParameterLayout.of("SELECT #abc, #abc").occurrences()).containsExactly(1, 1);
        assertThat(ParameterLayout.of("SELECT #1").count()).isZero();
    }

    @Test
    void parameters_rejectsOutOfRangeNumbersWithoutThrowing() {
        assertThat(ParameterLayout.of("SELECT ?0").count()).isZero();
        assertThat(ParameterLayout.of("SELECT ?99999999999999999999999").count()).isZero();
        assertThat(ParameterLayout.of("SELECT ?01, ?").occurrences()).containsExactly(1, 2);
    }

    @Test
    void parameters_examineOnlyTheFirstStatement() {
        assertThat(ParameterLayout.of("SELECT ?; SELECT ?, ?").count()).isEqualTo(1);
        assertThat(ParameterLayout.of(";; SELECT :a; SELECT :b").names()).containsExactly(":a");
    }

    @Test
    void parameters_spansLocateEachOccurrence() {
        String sql = "SELECT ?, :name, ?12 , $v(k), :name";
        ParameterLayout p = ParameterLayout.of(sql);
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
        assertThat(ParameterLayout.of(null).count()).isZero();
        assertThat(ParameterLayout.of("SELECT 1").occurrences()).isEmpty();
        assertThat(ParameterLayout.of("SELECT 1").spans()).isEmpty();
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
        try (Connection c = Sqlite.memoryWithTable()) {
            for (String sql : statements) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    assertThat(ParameterLayout.of(sql).count())
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
        try (Connection c = Sqlite.memory()) {
            for (String list : expressions) {
                String sql = "SELECT " + list;
                ParameterLayout p = ParameterLayout.of(sql);
                assertThat(p.occurrences()).as(sql)
                        .isEqualTo(eachParameterBoundToItsIndex(c, sql, p));
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
        try (Connection c = Sqlite.memory()) {
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
                ParameterLayout p = ParameterLayout.of(sql);
                List<Integer> firstPerColumn = eachParameterBoundToItsIndex(c, sql, p);
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
        try (Connection c = Sqlite.memory()) {
            for (String sql : statements) {
                assertThat(ParameterLayout.of(sql).count()).as(sql).isZero();
                assertThatCode(() -> c.prepareStatement(sql).close())
                        .as(sql)
                        .isInstanceOf(SQLException.class);
            }
        }
    }

    /**
     * Prepares sql on SQLite (whose parameter count must be the layout's), binds each parameter
     * to its own index and returns the first row's values, one per column.
     */
    private static List<Integer> eachParameterBoundToItsIndex(Connection c, String sql,
            ParameterLayout p) throws SQLException {
        List<Integer> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            assertThat(p.count()).as(sql).isEqualTo(ps.getParameterMetaData().getParameterCount());
            for (int i = 1; i <= p.count(); i++) {
                ps.setInt(i, i);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getInt(i));
                }
            }
        }
        return values;
    }
}
