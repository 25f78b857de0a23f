package io.github.aiosqlite4j.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.internal.sql.StatementInfo.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class ParsedSqlTest {

    /** A text no other test parses, so that the first {@code of} is a miss. */
    private static String fresh(String sql) {
        return sql + " -- " + UUID.randomUUID();
    }

    // ------------------------------------------------------------------------------ cache

    @Test
    void of_returnsTheCachedInstanceForAnEqualText() {
        String sql = fresh("SELECT 1");
        ParsedSql first = ParsedSql.of(sql);
        assertThat(ParsedSql.of(new String(sql.toCharArray()))).isSameAs(first);
        assertThat(first.sql()).isEqualTo(sql);
    }

    @Test
    void of_doesNotCacheVeryLongTexts_butParsesThemAlike() {
        String sql = "SELECT 1 /*" + "x".repeat(ParsedSql.CACHE_MAX_LENGTH) + "*/";
        ParsedSql first = ParsedSql.of(sql);
        ParsedSql second = ParsedSql.of(sql);
        assertThat(second).isNotSameAs(first);
        assertThat(second.info()).isEqualTo(first.info());
        assertThat(second.info().kind()).isEqualTo(Kind.SELECT);
        assertThat(second.isReadOnly()).isTrue();
    }

    @Test
    void aConnectionsStatements_goThroughTheSharedCache_butNotAScriptsStatements() throws Exception {
        String table = "t_" + UUID.randomUUID().toString().replace('-', '_');
        String created = "create table " + table + " (x)";
        String inserted = "insert into " + table + " values (1)";
        String query = fresh("select x from " + table);
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(30, TimeUnit.SECONDS)) {
            db.executeScript(created + ";\n" + inserted + ";").get(30, TimeUnit.SECONDS);
            assertThat(db.executeFetchAll(query).get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        assertThat(ParsedSql.isCached(query)).as("a statement run on a connection").isTrue();
        assertThat(ParsedSql.isCached(created)).as("a script's statement").isFalse();
        assertThat(ParsedSql.isCached(inserted)).as("a script's statement").isFalse();
    }

    @Test
    void of_refusesNull() {
        assertThatThrownBy(() -> ParsedSql.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("sql");
    }

    @Test
    void concurrentCalls_getOneInstancePerText() throws Exception {
        int threads = 8;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            texts.add("SELECT " + i + ", ?");
        }
        ParsedSqlCache cache = new ParsedSqlCache(texts.size(), 100);
        List<List<ParsedSql>> got = onThreads(threads, () -> {
            List<ParsedSql> parsed = new ArrayList<>();
            for (String sql : texts) {
                parsed.add(cache.get(sql));
            }
            return parsed;
        });
        for (List<ParsedSql> parsed : got) {
            for (int i = 0; i < texts.size(); i++) {
                assertThat(parsed.get(i)).as(texts.get(i)).isSameAs(got.get(0).get(i));
                assertThat(parsed.get(i).sql()).isEqualTo(texts.get(i));
                assertThat(parsed.get(i).parameters().count()).isEqualTo(1);
            }
        }
        assertThat(cache.size()).isEqualTo(texts.size());
    }

    @Test
    void concurrentCalls_keepTheCacheBounded() throws Exception {
        int threads = 4;
        int bound = 64;
        ParsedSqlCache cache = new ParsedSqlCache(bound, 100);
        AtomicInteger next = new AtomicInteger();
        onThreads(threads, () -> {
            for (int i = 0; i < 1000; i++) {
                String sql = "SELECT " + next.getAndIncrement();
                assertThat(cache.get(sql).sql()).isEqualTo(sql);
            }
            return null;
        });
        assertThat(cache.size()).isLessThanOrEqualTo(bound + threads);
    }

    @Test
    void aFullCache_keepsTheTextJustAdded() {
        ParsedSqlCache cache = new ParsedSqlCache(8, 100);
        for (int i = 0; i < 100; i++) {
            String sql = "SELECT " + i;
            ParsedSql added = cache.get(sql);
            assertThat(cache.get(sql)).as(sql).isSameAs(added);
            assertThat(cache.size()).isLessThanOrEqualTo(8);
        }
    }

    /** Runs body on n threads at once (released together by a latch); returns their results. */
    private static <T> List<T> onThreads(int n, Callable<T> body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return body.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------- derived flags

    /** One statement of each kind with the flags ParsedSql derives for it. */
    private record Expected(String sql, Kind kind, boolean dml, boolean modifies, boolean inserts,
            boolean transactionControl, boolean attach, boolean readOnly) {}

    private static final List<Expected> EVERY_KIND = List.of(
            new Expected(" -- nothing\n ;; ", Kind.EMPTY, false, false, false, false, false, false),
            new Expected("SELECT 1", Kind.SELECT, false, false, false, false, false, true),
            new Expected("VALUES (1)", Kind.VALUES, false, false, false, false, false, true),
            new Expected("INSERT INTO t VALUES (1)", Kind.INSERT, true, true, true, false, false,
                    false),
            new Expected("REPLACE INTO t VALUES (1)", Kind.REPLACE, true, true, true, false, false,
                    false),
            new Expected("UPDATE t SET a = 1", Kind.UPDATE, true, true, false, false, false, false),
            new Expected("DELETE FROM t", Kind.DELETE, true, true, false, false, false, false),
            new Expected("BEGIN IMMEDIATE", Kind.BEGIN, false, false, false, true, false, false),
            new Expected("END TRANSACTION", Kind.COMMIT, false, false, false, true, false, false),
            new Expected("ROLLBACK", Kind.ROLLBACK, false, false, false, true, false, false),
            new Expected("ROLLBACK TO sp", Kind.ROLLBACK_TO, false, false, false, true, false,
                    false),
            new Expected("SAVEPOINT sp", Kind.SAVEPOINT, false, false, false, true, false, false),
            new Expected("RELEASE sp", Kind.RELEASE, false, false, false, true, false, false),
            new Expected("CREATE TABLE t(a)", Kind.CREATE, false, false, false, false, false,
                    false),
            new Expected("DROP TABLE t", Kind.DROP, false, false, false, false, false, false),
            new Expected("ALTER TABLE t ADD b", Kind.ALTER, false, false, false, false, false,
                    false),
            new Expected("PRAGMA table_info(t)", Kind.PRAGMA, false, false, false, false, false,
                    true),
            new Expected("ATTACH 'x.db' AS x", Kind.ATTACH, false, false, false, false, true,
                    false),
            new Expected("DETACH x", Kind.DETACH, false, false, false, false, true, false),
            new Expected("VACUUM", Kind.VACUUM, false, false, false, false, false, false),
            new Expected("ANALYZE", Kind.ANALYZE, false, false, false, false, false, false),
            new Expected("REINDEX", Kind.REINDEX, false, false, false, false, false, false),
            new Expected("EXPLAIN DELETE FROM t", Kind.EXPLAIN, false, false, false, false, false,
                    true),
            new Expected("FROBNICATE", Kind.OTHER, false, false, false, false, false, false),
            // after WITH: not DML by Python's rule, but it changes rows (and takes RETURNING)
            new Expected("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", Kind.INSERT, false,
                    true, true, false, false, false),
            new Expected("WITH x AS (SELECT 1) DELETE FROM t", Kind.DELETE, false, true, false,
                    false, false, false),
            new Expected("WITH x AS (SELECT 1) SELECT * FROM x", Kind.SELECT, false, false, false,
                    false, false, true));

    @Test
    void derivedFlags_forEveryKind() {
        Set<Kind> seen = EnumSet.noneOf(Kind.class);
        for (Expected e : EVERY_KIND) {
            ParsedSql p = ParsedSql.of(e.sql());
            seen.add(p.info().kind());
            assertThat(p.info().kind()).as(e.sql()).isEqualTo(e.kind());
            assertThat(p.info()).as(e.sql()).isEqualTo(StatementClassifier.classify(e.sql()));
            assertThat(p.isEmpty()).as(e.sql()).isEqualTo(e.kind() == Kind.EMPTY);
            assertThat(p.isDml()).as(e.sql()).isEqualTo(e.dml());
            assertThat(p.modifiesRows()).as(e.sql()).isEqualTo(e.modifies());
            assertThat(p.info().insertsRows()).as(e.sql()).isEqualTo(e.inserts());
            assertThat(p.isTransactionControl()).as(e.sql()).isEqualTo(e.transactionControl());
            assertThat(p.isAttachOrDetach()).as(e.sql()).isEqualTo(e.attach());
            assertThat(p.isReadOnly()).as(e.sql()).isEqualTo(e.readOnly());
            assertThat(p.hasMultipleStatements()).as(e.sql()).isFalse();
        }
        assertThat(seen).containsExactlyInAnyOrder(Kind.values());
    }

    @Test
    void multipleStatements_countAsSplittingCountsThem() {
        assertThat(ParsedSql.of("SELECT 1; SELECT 2").hasMultipleStatements()).isTrue();
        assertThat(ParsedSql.of("SELECT 1; ; -- two\n SELECT 2;").hasMultipleStatements())
                .isTrue();
        assertThat(ParsedSql.of("SELECT 1;").hasMultipleStatements()).isFalse();
        assertThat(ParsedSql.of("SELECT 1; -- a comment is no statement").hasMultipleStatements())
                .isFalse();
        assertThat(ParsedSql.of(";; SELECT 1 ;;").hasMultipleStatements()).isFalse();
        assertThat(ParsedSql.of("SELECT ';'; /* ; */").hasMultipleStatements()).isFalse();
        assertThat(ParsedSql.of("CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; SELECT 2;"
                + " END;").hasMultipleStatements()).isFalse();
    }

    @Test
    void readOnly_onlyForOneStatement() {
        assertThat(ParsedSql.of("SELECT 1; SELECT 2").isReadOnly()).isFalse();
        assertThat(ParsedSql.of("PRAGMA user_version; PRAGMA page_size").isReadOnly()).isFalse();
        assertThat(ParsedSql.of("SELECT 1;").isReadOnly()).isTrue();
    }

    /** The statements a pool sends to a reader, to the writer, and refuses (PoolRoutingTest's). */
    @Test
    void readOnlyAndRefused_followThePoolsRouting() {
        List<String> reads = List.of(
                "select 1", "  SELECT * FROM t WHERE x = ?", "/* comment */ select x from t",
                "-- line\nselect x from t;", "values (1), (2)",
                "with v as (select x from t) select * from v",
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5)"
                        + " SELECT n FROM c",
                "explain select * from t", "explain query plan select * from t",
                "explain insert into t values (1)", "pragma user_version",
                "PRAGMA main.user_version;", "pragma table_info(t)",
                "pragma main.table_xinfo('t')", "pragma index_list(t)", "pragma integrity_check",
                "pragma quick_check(10)", "pragma journal_mode", "pragma foreign_key_check",
                "pragma page_count", "pragma data_version");
        List<String> writes = List.of(
                "insert into t values (1)", "replace into t values (1)", "update t set x = 1",
                "delete from t", "insert into t values (1) returning x",
                "with v as (select 1) insert into t select * from v",
                "with v as (select 1) update t set x = (select * from v)",
                "with v as (select 1) delete from t where x in v", "create table u(x)",
                "drop table if exists u", "alter table t add column y", "create index i on t(x)",
                "vacuum", "analyze", "reindex", "pragma user_version = 3", "pragma user_version=3",
                "pragma user_version(3)", "pragma journal_mode = wal",
                "pragma wal_checkpoint(truncate)", "pragma optimize", "pragma incremental_vacuum",
                "pragma -- comment\n user_version", "select 1; insert into t values (2)",
                "something odd", "");
        List<String> refused = List.of(
                "begin", "begin immediate transaction", "commit", "end transaction", "rollback",
                "savepoint a", "release savepoint a", "rollback to a", "attach 'x.db' as x",
                "detach x");
        for (String sql : reads) {
            ParsedSql p = ParsedSql.of(sql);
            assertThat(p.isReadOnly()).as(sql).isTrue();
            assertThat(p.isTransactionControl() || p.isAttachOrDetach()).as(sql).isFalse();
        }
        for (String sql : writes) {
            ParsedSql p = ParsedSql.of(sql);
            assertThat(p.isReadOnly()).as(sql).isFalse();
            assertThat(p.isTransactionControl() || p.isAttachOrDetach()).as(sql).isFalse();
        }
        for (String sql : refused) {
            ParsedSql p = ParsedSql.of(sql);
            assertThat(p.isReadOnly()).as(sql).isFalse();
            assertThat(p.isTransactionControl() || p.isAttachOrDetach()).as(sql).isTrue();
        }
    }

    // ------------------------------------------------------------------ computed on demand

    @Test
    void statementsAndParameters_areComputedOnceAndAgreeWithThePackage() {
        String sql = fresh("INSERT INTO t VALUES (:a, ?, :a); SELECT ?");
        ParsedSql p = ParsedSql.of(sql);
        assertThat(p.statements()).isEqualTo(ScriptSplitter.split(sql)).hasSize(2);
        assertThat(p.statements()).isSameAs(p.statements());
        assertThat(p.parameters()).isSameAs(p.parameters());
        assertThat(p.parameters().occurrences())
                .isEqualTo(ParameterLayout.of(sql).occurrences())
                .containsExactly(1, 2, 1);
        assertThat(ParsedSql.of("  ").statements()).isEmpty();
    }

    @Test
    void parameterLayout_derivedFactsForTheDriver() {
        ParameterLayout gaps = ParsedSql.of("SELECT ?3, ?1").parameters();
        assertThat(gaps.isUsed(1)).isTrue();
        assertThat(gaps.isUsed(2)).isFalse();
        assertThat(gaps.isUsed(3)).isTrue();
        assertThat(gaps.isUsed(0)).isFalse();
        assertThat(gaps.isUsed(4)).isFalse();
        assertThat(gaps.isDollarNumbered()).isFalse();

        assertThat(ParsedSql.of("SELECT $2, $1, $2").parameters().isDollarNumbered()).isTrue();
        assertThat(ParsedSql.of("SELECT $1, ?").parameters().isDollarNumbered()).isFalse();
        assertThat(ParsedSql.of("SELECT $1, $a").parameters().isDollarNumbered()).isFalse();
        assertThat(ParsedSql.of("SELECT $1(x)").parameters().isDollarNumbered()).isFalse();
        assertThat(ParsedSql.of("SELECT 1").parameters().isDollarNumbered()).isFalse();
    }
}
