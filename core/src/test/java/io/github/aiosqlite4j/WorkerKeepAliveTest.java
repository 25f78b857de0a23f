package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SqliteConfig.Builder#workerKeepAlive}: an idle connection gives its worker thread back,
 * and its next operation runs on a thread again, with the connection (its open transaction, its
 * functions, its order of operations) as it was.
 */
final class WorkerKeepAliveTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    /** The thread that runs the connection's SQL, as a function called by SQLite sees it. */
    private static Thread sqlThread(AsyncConnection db, AtomicReference<Thread> seen) throws Exception {
        seen.set(null);
        // executeFetchAll from a thread that does not join at once: queued, run by the worker
        CompletableFuture<List<Row>> rows = db.executeFetchAll("select whoami()");
        assertThat(get(rows).get(0).getLong(0)).isEqualTo(1L);
        return seen.get();
    }

    /** Opens a connection whose {@code whoami()} records the thread SQLite calls it on. */
    private static AsyncConnection open(SqliteConfig config, AtomicReference<Thread> seen) throws Exception {
        AsyncConnection db = get(AioSqlite.connect(config));
        get(db.createFunction("whoami", 0, args -> {
            seen.set(Thread.currentThread());
            return 1;
        }, false));
        return db;
    }

    /** Waits for a thread to end (a pooled worker thread ends once idle for a second). */
    private static void awaitEnd(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(WAIT));
        assertThat(t.isAlive()).as("the worker thread %s was given back and ended", t).isFalse();
    }

    @Test
    void idleConnection_givesItsThreadBack_andCarriesOnWithItsTransaction() throws Exception {
        String file = dir.resolve("keep.db").toString();
        SqliteConfig config = SqliteConfig.builder(file).autocommit(Autocommit.ON)
                .workerKeepAlive(Duration.ofMillis(20)).build();
        AtomicReference<Thread> seen = new AtomicReference<>();
        try (AsyncConnection db = open(config, seen)) {
            get(db.execute("create table t (x integer)"));
            get(db.execute("begin"));
            get(db.execute("insert into t values (1)"));
            Thread first = sqlThread(db, seen);
            assertThat(first).isNotNull();

            awaitEnd(first);

            assertThat(db.inTransaction()).isTrue();
            Thread second = sqlThread(db, seen); // the function and the transaction are still there
            assertThat(second).isNotSameAs(first);
            get(db.execute("insert into t values (2)"));
            get(db.execute("commit"));
            assertThat(db.inTransaction()).isFalse();

            awaitEnd(second);

            // many operations queued at once on a connection without a thread run in order
            List<CompletableFuture<?>> all = new java.util.ArrayList<>();
            for (int i = 3; i <= 200; i++) {
                all.add(db.execute("insert into t values (?)", i));
            }
            CompletableFuture<List<Row>> sum = db.executeFetchAll("select count(*), sum(x) from t");
            for (CompletableFuture<?> f : all) {
                get(f);
            }
            assertThat(get(sum).get(0).getLong(0)).isEqualTo(200L);
            assertThat(get(sum).get(0).getLong(1)).isEqualTo(200L * 201 / 2);
        }
        try (AsyncConnection again = get(AioSqlite.connect(file))) {
            assertThat(get(again.executeFetchAll("select count(*) from t")).get(0).getLong(0)).isEqualTo(200L);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void detachedConnection_closes_keepsItsCommits_andReleasesTheFile(boolean joined) throws Exception {
        String file = dir.resolve("close.db").toString();
        SqliteConfig config = SqliteConfig.builder(file).autocommit(Autocommit.ON)
                .workerKeepAlive(Duration.ofMillis(20)).build();
        AtomicReference<Thread> seen = new AtomicReference<>();
        AsyncConnection db = open(config, seen);
        get(db.execute("create table t (x integer)"));
        get(db.execute("insert into t values (7)"));
        awaitEnd(sqlThread(db, seen));
        // closeAsync() starts the loop on a thread again, which closes the database; a caller
        // blocked in join() closes it itself if that thread has not taken the loop yet.
        if (joined) {
            db.closeAsync().join();
        } else {
            get(db.closeAsync());
        }
        assertThat(db.isClosed()).isTrue();
        assertThat(db.execute("select 1")).failsWithin(WAIT, TimeUnit.SECONDS);
        try (AsyncConnection other = get(AioSqlite.connect(file))) {
            get(other.execute("insert into t values (1)"));
            get(other.commit());
            assertThat(get(other.executeFetchAll("select sum(x) from t")).get(0).getLong(0)).isEqualTo(8L);
        }
    }
}
