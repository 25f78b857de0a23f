package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random writers (commits, rollbacks, savepoints rolled back or released, multi-table
 * transactions, a WITHOUT ROWID table and DELETE without WHERE, which SQLite's update hook does
 * not report) against watchers on overlapping tables, on one connection and on a pool. Every
 * result emitted must be a state some commit left (never a rolled-back or uncommitted one); at
 * each quiet point every watcher's latest result is the committed state; and the watcher of t3
 * alone runs its query only for commits that touched t3 or changed something unnamed.
 */
final class LiveQueryDifferentialTest {
    private static final String[] TABLES = {"t0", "t1", "t2", "t3", "t4"};
    /** The watched queries; the last column of the t3 one counts its runs (bump()). */
    private static final String[] QUERIES = {
        "select count(*), coalesce(sum(v), 0) from t0",
        "select (select count(*) from t1), (select coalesce(sum(v), 0) from t2)",
        "select count(*), coalesce(sum(v), 0) from v02",
        "with c as (select v from t3) select count(*), coalesce(sum(v), 0), bump() from c",
        "select count(*), coalesce(sum(v), 0) from t4 where k in (select k from t4)",
    };
    private static final int COUNTED = 3;

    @TempDir
    Path dir;

    /** The part of a result a commit determines (bump() left out). */
    private static List<Object> state(List<Row> rows) {
        Row r = rows.get(0);
        return List.of(r.getLong(0), r.getLong(1));
    }

    /** The query without bump(), for the expected states. */
    private static String plain(String query) {
        return query.replace(", bump()", "");
    }

    private interface Db extends AutoCloseable {
        /** Runs statements in one transaction: savepoint after `split` of them, rolled back or released. */
        CompletableFuture<Void> transaction(List<String> stmts, int split, boolean rollbackSavepoint, boolean commit);

        CompletableFuture<List<Row>> query(String sql);

        java.util.concurrent.Flow.Publisher<List<Row>> watch(String sql);

        @Override
        void close();
    }

    private Db open(boolean pooled, AtomicLong bumps) {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("diff.db").toString())
                .journalMode(SqliteConfig.JournalMode.WAL).livePollInterval(Duration.ZERO)
                .onOpen(c -> c.createFunction("bump", 0, args -> bumps.incrementAndGet(), false)).build();
        if (pooled) {
            SqlitePool pool = SqlitePool.open(config, PoolOptions.builder().readers(3).build()).join();
            return new Db() {
                @Override
                public CompletableFuture<Void> transaction(List<String> stmts, int split, boolean rb, boolean commit) {
                    return pool.<Void>transaction(s -> {
                        run(s, stmts, split, rb);
                        if (!commit) {
                            throw new IllegalStateException("roll back");
                        }
                        return null;
                    }).exceptionally(e -> null);
                }

                @Override
                public CompletableFuture<List<Row>> query(String sql) {
                    return pool.executeFetchAll(sql);
                }

                @Override
                public java.util.concurrent.Flow.Publisher<List<Row>> watch(String sql) {
                    return pool.watch(sql);
                }

                @Override
                public void close() {
                    pool.close();
                }
            };
        }
        AsyncConnection db = AioSqlite.connect(config).join();
        return new Db() {
            @Override
            public CompletableFuture<Void> transaction(List<String> stmts, int split, boolean rb, boolean commit) {
                return db.run(s -> {
                    s.execute("begin");
                    run(s, stmts, split, rb);
                    s.execute(commit ? "commit" : "rollback");
                    return null;
                });
            }

            @Override
            public CompletableFuture<List<Row>> query(String sql) {
                return db.executeFetchAll(sql);
            }

            @Override
            public java.util.concurrent.Flow.Publisher<List<Row>> watch(String sql) {
                return db.watch(sql);
            }

            @Override
            public void close() {
                db.close();
            }
        };
    }

    private static void run(SqliteSession s, List<String> stmts, int split, boolean rollbackSavepoint)
            throws java.sql.SQLException {
        for (int i = 0; i < stmts.size(); i++) {
            if (i == split) {
                s.execute("savepoint sp");
            }
            s.execute(stmts.get(i));
        }
        if (split < stmts.size()) {
            s.execute(rollbackSavepoint ? "rollback to sp" : "release sp");
            if (rollbackSavepoint) {
                s.execute("release sp");
            }
        }
    }

    private static String randomStatement(Random rnd, String table) {
        String key = table.equals("t4") ? "k" : "id";
        switch (rnd.nextInt(10)) {
            case 0:
                return "delete from " + table; // truncate optimization: the update hook is silent
            case 1:
            case 2:
                return "delete from " + table + " where " + key + " % 3 = " + rnd.nextInt(3);
            case 3:
            case 4:
                return "update " + table + " set v = v + " + (1 + rnd.nextInt(1_000_000));
            default:
                return "insert into " + table + "(" + key + ", v) values (" + rnd.nextInt(1_000_000_000)
                        + ", " + (1 + rnd.nextInt(1_000_000_000)) + ") on conflict do nothing";
        }
    }

    @ParameterizedTest(name = "pool={0}")
    @ValueSource(booleans = {false, true})
    void everyEmissionIsACommittedStateAndTheLatestCatchesUp(boolean pooled) throws Exception {
        AtomicLong bumps = new AtomicLong();
        try (Db db = open(pooled, bumps)) {
            db.transaction(List.of(
                    "create table t0(id integer primary key, v)", "create table t1(id integer primary key, v)",
                    "create table t2(id integer primary key, v)", "create table t3(id integer primary key, v)",
                    "create table t4(k integer primary key, v) without rowid",
                    "create view v02 as select v from t0 union all select v from t2"), 99, false, true).join();
            List<Set<List<Object>>> committed = new ArrayList<>();
            List<LiveProbe<List<Row>>> probes = new ArrayList<>();
            for (String q : QUERIES) {
                committed.add(new HashSet<>(List.of(state(db.query(plain(q)).join()))));
                probes.add(LiveProbe.subscribe(db.watch(q), Long.MAX_VALUE));
            }
            for (LiveProbe<List<Row>> p : probes) {
                p.awaitCount(1);
            }
            long bumpsAtStart = bumps.get();
            int countedCommits = 0; // commits the t3 watcher may re-query for
            int commits = 0;
            Random rnd = new Random(15);
            for (int round = 0; round < 400; round++) {
                List<String> stmts = new ArrayList<>();
                Set<String> touched = new HashSet<>();
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    String t = TABLES[rnd.nextInt(TABLES.length)];
                    String sql = randomStatement(rnd, t);
                    stmts.add(sql);
                    touched.add(sql.equals("delete from " + t) || t.equals("t4") ? "unnamed" : t);
                }
                int split = rnd.nextInt(3) == 0 ? rnd.nextInt(n) : n;
                boolean rollbackSavepoint = rnd.nextBoolean();
                boolean commit = rnd.nextInt(4) != 0;
                db.transaction(stmts, split, rollbackSavepoint, commit).join();
                if (commit) {
                    commits++;
                    if (touched.contains("t3") || touched.contains("unnamed")) {
                        countedCommits++;
                    }
                    for (int w = 0; w < QUERIES.length; w++) {
                        committed.get(w).add(state(db.query(plain(QUERIES[w])).join()));
                    }
                }
                if (round % 50 == 49) { // a quiet point: everyone catches up with the last commit
                    for (int w = 0; w < QUERIES.length; w++) {
                        List<Object> now = state(db.query(plain(QUERIES[w])).join());
                        probes.get(w).awaitLatest(r -> state(r).equals(now));
                    }
                }
            }
            for (int w = 0; w < QUERIES.length; w++) {
                Set<List<Object>> states = committed.get(w);
                assertThat(probes.get(w).items()).as(QUERIES[w])
                        .allSatisfy(r -> assertThat(states).contains(state(r)));
            }
            LiveProbe<List<Row>> counted = probes.get(COUNTED);
            long runs = bumps.get() - bumpsAtStart;
            // Every run differs (bump), so each is emitted. The quiet point above waits for the
            // committed state, not for the runs: one may still be on its way (bump() counted it).
            counted.awaitCount((int) runs + 1);
            assertThat(counted.items()).hasSize((int) runs + 1);
            assertThat(runs).isLessThanOrEqualTo(countedCommits).isLessThan(commits);
        }
    }
}
