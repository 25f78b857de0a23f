package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live queries on one connection and on a pool: what is emitted, when, and what is not. */
final class LiveQueryTest {
    @TempDir
    Path dir;

    private static SqliteConfig.Builder quiet(String db) {
        return SqliteConfig.builder(db).livePollInterval(Duration.ZERO);
    }

    private static List<Long> longs(List<Row> rows) {
        return rows.stream().map(r -> r.getLong(0)).toList();
    }

    /** A function counting its calls: a query selecting it tells how often it ran. */
    private static AsyncConnection withCounter(AsyncConnection db, AtomicLong calls) {
        db.createFunction("bump", 0, args -> calls.incrementAndGet(), false).join();
        return db;
    }

    @Test
    void emitsAtSubscriptionAndAfterEachCommitOfATableItReads() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(quiet(":memory:").build()).join()) {
            db.executeScript("create table a(x); create table b(y);").join();
            LiveProbe<List<Row>> p = LiveProbe.subscribe(db.watch("select x from a order by x"), Long.MAX_VALUE);
            p.awaitLatest(List::isEmpty);
            db.execute("insert into a values (1)").join();
            db.commit().join();
            assertThat(longs(p.awaitLatest(r -> r.size() == 1))).containsExactly(1L);
            db.execute("insert into a values (2)").join();
            db.commit().join();
            assertThat(longs(p.awaitLatest(r -> r.size() == 2))).containsExactly(1L, 2L);
        }
    }

    @Test
    void autocommitStatementsAndChangesTheUpdateHookMissesAreCaughtUp() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(quiet(":memory:").autocommit(Autocommit.ON).build()).join()) {
            db.executeScript("create table a(x); create table w(k primary key, v) without rowid;").join();
            LiveProbe<List<Row>> p = LiveProbe.subscribe(
                    db.watch("select (select count(*) from a), (select count(*) from w)"), Long.MAX_VALUE);
            p.awaitLatest(r -> r.get(0).getLong(0) == 0);
            for (int i = 1; i <= 3; i++) {
                db.execute("insert into a values (?)", i).join();
                long n = i;
                p.awaitLatest(r -> r.get(0).getLong(0) == n);
            }
            db.execute("delete from a").join(); // truncate optimization: the update hook is silent
            p.awaitLatest(r -> r.get(0).getLong(0) == 0);
            db.execute("insert into w values (1, 1)").join(); // WITHOUT ROWID: silent too
            p.awaitLatest(r -> r.get(0).getLong(1) == 1);
        }
    }

    @Test
    void aRolledBackChangeIsNeverEmitted() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(quiet(":memory:").build()).join()) {
            db.executeScript("create table a(x)").join();
            LiveProbe<List<Row>> p = LiveProbe.subscribe(db.watch("select x from a"), Long.MAX_VALUE);
            p.awaitLatest(List::isEmpty);
            db.execute("insert into a values (666)").join();
            db.rollback().join();
            db.execute("begin").join();
            db.execute("insert into a values (1)").join();
            db.execute("savepoint s").join();
            db.execute("insert into a values (667)").join();
            db.execute("rollback to s").join();
            db.execute("release s").join();
            db.execute("commit").join();
            p.awaitLatest(r -> longs(r).equals(List.of(1L)));
            assertThat(p.items()).allSatisfy(r -> assertThat(longs(r)).doesNotContain(666L, 667L));
        }
    }

    @Test
    void aQueryWatchedInsideAnOpenTransactionWaitsForItsEnd() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(quiet(":memory:").build()).join()) {
            db.executeScript("create table a(x)").join();
            db.execute("insert into a values (666)").join(); // legacy control: a transaction opens
            LiveProbe<List<Row>> p = LiveProbe.subscribe(db.watch("select x from a"), Long.MAX_VALUE);
            db.rollback().join();
            p.awaitLatest(List::isEmpty);
            db.execute("insert into a values (1)").join();
            db.commit().join();
            p.awaitLatest(r -> longs(r).equals(List.of(1L)));
            assertThat(p.items()).allSatisfy(r -> assertThat(longs(r)).doesNotContain(666L));
        }
    }

    @Test
    void aCommitToAnotherTableRunsNoQuery() throws Exception {
        AtomicLong calls = new AtomicLong();
        try (AsyncConnection db = withCounter(AioSqlite.connect(quiet(":memory:").build()).join(), calls)) {
            db.executeScript("create table a(x); create table b(y); create view v as select x from a;").join();
            LiveProbe<List<Row>> p = LiveProbe.subscribe(
                    db.watch("with c as (select count(*) n from v) select n, bump() from c"), Long.MAX_VALUE);
            p.awaitCount(1);
            for (int i = 0; i < 20; i++) {
                db.execute("insert into b values (?)", i).join();
                db.commit().join();
            }
            db.execute("insert into a values (1)").join();
            db.commit().join();
            p.awaitLatest(r -> r.get(0).getLong(0) == 1);
            assertThat(p.items()).hasSize(2);
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    @Test
    void aSlowSubscriberUnderTenThousandCommitsGetsOneLatestResult() throws Exception {
        AtomicLong calls = new AtomicLong();
        try (AsyncConnection db = withCounter(AioSqlite.connect(quiet(":memory:").build()).join(), calls)) {
            db.executeScript("create table a(x)").join();
            LiveProbe<List<Row>> p = LiveProbe.subscribe(db.watch("select count(*), bump() from a"), 1);
            p.awaitCount(1);
            for (int i = 0; i < 10_000; i++) {
                db.execute("insert into a values (?)", i).join();
                db.commit().join();
            }
            db.totalChanges().join(); // the last commit's flush is queued behind this
            assertThat(p.items()).hasSize(1);
            assertThat(calls.get()).isEqualTo(1); // no demand: no query, nothing held
            p.request(1);
            assertThat(p.awaitLatest(r -> r.get(0).getLong(0) == 10_000).get(0).getLong(0)).isEqualTo(10_000);
            assertThat(p.items()).hasSize(2);
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    @Test
    void anotherConnectionsCommitIsCaughtUpByPolling() throws Exception {
        String file = dir.resolve("poll.db").toString();
        SqliteConfig config = SqliteConfig.builder(file).journalMode(SqliteConfig.JournalMode.WAL)
                .livePollInterval(Duration.ofMillis(20)).build();
        try (AsyncConnection db = AioSqlite.connect(config).join();
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            db.executeScript("create table a(x)").join();
            LiveProbe<List<Row>> p = LiveProbe.subscribe(db.watch("select count(*) from a"), Long.MAX_VALUE);
            p.awaitLatest(r -> r.get(0).getLong(0) == 0);
            try (Statement st = other.createStatement()) {
                st.execute("insert into a values (1)");
                st.execute("insert into a values (2)");
            }
            p.awaitLatest(r -> r.get(0).getLong(0) == 2);
        }
    }

    @Test
    void anotherProcesssCommitsAreCaughtUpByPolling() throws Exception {
        Path file = dir.resolve("process.db");
        SqliteConfig config = SqliteConfig.builder(file).journalMode(SqliteConfig.JournalMode.WAL)
                .livePollInterval(Duration.ofMillis(20)).build();
        try (AsyncConnection db = AioSqlite.connect(config).join()) {
            db.executeScript("create table a(x)").join();
            LiveProbe<List<Row>> p = LiveProbe.subscribe(db.watch("select count(*), sum(x) from a"), Long.MAX_VALUE);
            p.awaitLatest(r -> r.get(0).getLong(0) == 0);
            Process child = new ProcessBuilder(ChildJvm.command(LiveWriterChildMain.class, file.toString(), "3"))
                    .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(child.waitFor()).as("the writer process: %s", output).isZero();
            p.awaitLatest(r -> r.get(0).getLong(0) == 3 && r.get(0).getLong(1) == 6);
        }
    }

    @Test
    void closingTheConnectionCompletesAndCancelStops() throws Exception {
        AsyncConnection db = AioSqlite.connect(quiet(":memory:").build()).join();
        db.executeScript("create table a(x)").join();
        LiveProbe<List<Row>> kept = LiveProbe.subscribe(db.watch("select x from a"), Long.MAX_VALUE);
        LiveProbe<List<Row>> cancelled = LiveProbe.subscribe(db.watch("select x from a"), Long.MAX_VALUE);
        kept.awaitCount(1);
        cancelled.awaitCount(1);
        cancelled.cancel();
        db.execute("insert into a values (1)").join();
        db.commit().join();
        kept.awaitLatest(r -> r.size() == 1);
        db.close();
        kept.awaitTermination();
        assertThat(kept.completed()).isTrue();
        assertThat(cancelled.items()).hasSize(1);
        assertThat(cancelled.completed()).isFalse();
    }

    @Test
    void badQueriesAreRefusedOrFail() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(quiet(":memory:").build()).join()) {
            assertThatThrownBy(() -> db.watch("insert into a values (1)"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> db.watch("select 1; select 2"))
                    .isInstanceOf(IllegalArgumentException.class);
            LiveProbe<List<Row>> p = LiveProbe.subscribe(db.watch("select * from nosuch"), 1);
            p.awaitTermination();
            assertThat(p.error()).isInstanceOf(SqliteError.class).hasMessageContaining("nosuch");
            assertThat(db.executeFetchAll("select 1").join()).hasSize(1); // still usable
        }
    }

    @Test
    void onAPoolTheWritersCommitsDriveReaders() throws Exception {
        AtomicLong calls = new AtomicLong();
        SqliteConfig config = quiet(dir.resolve("pool.db").toString())
                .onOpen(c -> c.createFunction("bump", 0, args -> calls.incrementAndGet(), false)).build();
        try (SqlitePool pool = SqlitePool.open(config, PoolOptions.builder().readers(2).build()).join()) {
            pool.execute("create table a(x)").join();
            pool.execute("create table b(y)").join();
            LiveProbe<List<Integer>> p = LiveProbe.subscribe(
                    pool.watch("select count(*) from a", r -> r.getInt(0)), Long.MAX_VALUE);
            LiveProbe<List<Row>> counted = LiveProbe.subscribe(pool.watch("select count(*), bump() from a"), Long.MAX_VALUE);
            p.awaitLatest(r -> r.equals(List.of(0)));
            counted.awaitCount(1);
            pool.execute("insert into b values (1)").join();
            pool.write(s -> s.execute("insert into a values (1)")).join();
            pool.transaction(s -> {
                s.execute("insert into a values (2)");
                throw new IllegalStateException("roll back");
            }).handle((v, e) -> null).join();
            p.awaitLatest(r -> r.equals(List.of(1)));
            counted.awaitCount(2);
            assertThat(p.items()).containsExactly(List.of(0), List.of(1));
            assertThat(calls.get()).isEqualTo(2);
        }
    }
}
