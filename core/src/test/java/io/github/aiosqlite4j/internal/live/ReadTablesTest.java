package io.github.aiosqlite4j.internal.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.nativelib.NativeLibrary;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The tables a query reads, both ways against the same expectations: the program ({@code
 * EXPLAIN}, always) and the authorizer (with the native library, which this build ships); views,
 * CTEs, subqueries, covering indexes, WITHOUT ROWID and temp tables included.
 */
final class ReadTablesTest {
    private static final Set<String> EVERY_CHANGE = null;

    private static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
            Map.entry("select * from a", Set.of("a")),
            Map.entry("select count(*) from a", Set.of("a")),
            Map.entry("select x from a where x = 1", Set.of("a")),
            Map.entry("select * from v", Set.of("b")),
            Map.entry("with r as (select x from a) select * from r, b", Set.of("a", "b")),
            Map.entry("select (select max(y) from b), x from a", Set.of("a", "b")),
            Map.entry("select x from a where x in (select k from w)", Set.of("a", "w")),
            Map.entry("select * from tt", Set.of("tt")),
            Map.entry("select \"Mixed\".* from \"Mixed\"", Set.of("mixed")),
            Map.entry("select 1", Set.of()),
            Map.entry("select * from ft where ft match 'x'", Set.of()));

    private static Engine open() throws Exception {
        Engine e = new Engine(SqliteConfig.builder(":memory:").build());
        e.open();
        try (Statement st = e.jdbc().createStatement()) {
            st.executeUpdate("create table a(x)");
            st.executeUpdate("create index ai on a(x)");
            st.executeUpdate("create table b(y)");
            st.executeUpdate("create view v as select y from b");
            st.executeUpdate("create table w(k primary key, v) without rowid");
            st.executeUpdate("create temp table tt(z)");
            st.executeUpdate("create table \"Mixed\"(m)");
            st.executeUpdate("create virtual table ft using fts5(c)");
        }
        return e;
    }

    @Test
    void theProgramNamesTheTablesRead() throws Exception {
        Engine e = open();
        try {
            for (Map.Entry<String, Set<String>> q : EXPECTED.entrySet()) {
                Set<String> expected = q.getKey().contains("ft") ? EVERY_CHANGE : q.getValue();
                assertThat(ReadTables.fromProgram(e.jdbc(), q.getKey())).as(q.getKey()).isEqualTo(expected);
            }
        } finally {
            e.close();
        }
    }

    @Test
    void theAuthorizerNamesTheSameTablesAndLeavesTheUsersAuthorizerInPlace() throws Exception {
        assertThat(NativeLibrary.status().available()).as(NativeLibrary.status().reason()).isTrue();
        Engine e = open();
        try {
            AtomicInteger asked = new AtomicInteger();
            Authorizer users = (action, a1, a2, db, src) -> {
                asked.incrementAndGet();
                return Authorizer.SQLITE_OK;
            };
            for (boolean withUsers : List.of(false, true)) {
                e.setAuthorizer(withUsers ? users : null);
                for (Map.Entry<String, Set<String>> q : EXPECTED.entrySet()) {
                    Set<String> read = ReadTables.of(e, q.getKey());
                    if (q.getKey().contains("ft")) {
                        assertThat(read).as(q.getKey()).isNull();
                        continue;
                    }
                    Set<String> tables = new HashSet<>(read);
                    tables.remove("v"); // the authorizer also names the view it expands
                    assertThat(tables).as(q.getKey()).isEqualTo(q.getValue());
                }
            }
            int before = asked.get();
            assertThat(before).as("the side prepares are not the user's to authorize").isZero();
            try (Statement st = e.jdbc().createStatement()) {
                st.executeQuery("select * from a").close();
            }
            assertThat(asked.get()).as("the user's authorizer is still installed").isGreaterThan(before);
        } finally {
            e.close();
        }
    }
}
