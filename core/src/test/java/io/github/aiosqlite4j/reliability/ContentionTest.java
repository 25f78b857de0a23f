package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contention without the pool: many connections write one file with short busy timeouts. Every
 * failure must be a clean {@link SQLTransientException} (BUSY, LOCKED, BUSY_SNAPSHOT), after which
 * a rollback leaves the connection usable; every acknowledged write must be in the file at the end,
 * and no write whose commit failed.
 */
final class ContentionTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"DELETE", "WAL"})
    void manyConnectionsWritingOneFile_failOnlyTransiently_andLoseNoAcknowledgedWrite(String journalMode)
            throws Exception {
        long seed = Scale.seed("ContentionTest " + journalMode);
        int connections = Scale.of(8, 16);
        int opsEach = Scale.of(60, 500);
        Path file = dir.resolve("contended-" + journalMode + ".db");
        try (AsyncConnection setup = AioSqlite.connect(SqliteConfig.builder(file)
                .journalMode(SqliteConfig.JournalMode.valueOf(journalMode)).build()).get(30, TimeUnit.SECONDS)) {
            setup.executeScript("create table w (tag text primary key, who integer, n integer);"
                    + "create table counter (id integer primary key, value integer);"
                    + "insert into counter values (1, 0);").get(30, TimeUnit.SECONDS);
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        AtomicInteger counterIncrements = new AtomicInteger();
        AtomicInteger transientFailures = new AtomicInteger();
        List<String> unclean = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int who = c;
                Random r = new Random(seed * 31 + c);
                done.add(pool.submit(() -> {
                    SqliteConfig config = SqliteConfig.builder(file)
                            .journalMode(SqliteConfig.JournalMode.valueOf(journalMode))
                            .busyTimeout(Duration.ofMillis(r.nextInt(3) == 0 ? 0 : 5 + r.nextInt(40)))
                            .isolationLevel(r.nextBoolean() ? IsolationLevel.DEFERRED : IsolationLevel.IMMEDIATE)
                            .build();
                    AsyncConnection opened = null;
                    while (opened == null) {
                        try {
                            opened = AioSqlite.connect(config).get(30, TimeUnit.SECONDS);
                        } catch (ExecutionException e) {
                            // opening sets journal_mode, which needs a lock: BUSY is possible here too
                            if (!(e.getCause() instanceof SQLTransientException)) {
                                throw e;
                            }
                            transientFailures.incrementAndGet();
                        }
                    }
                    try (AsyncConnection db = opened) {
                        for (int i = 0; i < opsEach; i++) {
                            String tag = who + "-" + i;
                            int n = i;
                            int style = r.nextInt(4);
                            try {
                                switch (style) {
                                    case 0: // implicit transaction, then commit()
                                        db.execute("insert into w values (?, ?, ?)", tag, who, i).get(30, TimeUnit.SECONDS);
                                        db.commit().get(30, TimeUnit.SECONDS);
                                        break;
                                    case 1: // read, then write: the classic deadlock of DEFERRED
                                    case 2: // immediate: takes the write lock first
                                        IsolationLevel level = style == 1 ? IsolationLevel.DEFERRED : IsolationLevel.IMMEDIATE;
                                        db.transaction(level, s -> {
                                            long v = s.query("select value from counter where id = 1").get(0).getLong(0);
                                            s.execute("update counter set value = ? where id = 1", v + 1);
                                            s.execute("insert into w values (?, ?, ?)", tag, who, n);
                                            return null;
                                        }).get(30, TimeUnit.SECONDS);
                                        counterIncrements.incrementAndGet();
                                        break;
                                    default: // a reader in between
                                        db.executeFetchAll("select count(*), max(n) from w").get(30, TimeUnit.SECONDS);
                                        continue;
                                }
                                acknowledged.add(tag);
                            } catch (ExecutionException e) {
                                Throwable cause = e.getCause() instanceof CompletionException
                                        ? e.getCause().getCause() : e.getCause();
                                if (cause instanceof SQLTransientException && cause instanceof SqliteError) {
                                    transientFailures.incrementAndGet();
                                    if (style != 3) {
                                        failed.add(tag);
                                    }
                                } else {
                                    unclean.add(tag + ": " + cause);
                                }
                                db.rollback().get(30, TimeUnit.SECONDS);
                                assertThat(db.inTransaction()).isFalse();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unclean).as("seed %d: failures that are not clean SQLTransientExceptions", seed).isEmpty();
        Set<String> present = new HashSet<>();
        long counter;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            Intact.assertIntact(s, file.toString());
            try (ResultSet rs = s.executeQuery("select tag from w")) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("select value from counter")) {
                rs.next();
                counter = rs.getLong(1);
            }
        }
        System.out.println("  " + acknowledged.size() + " acknowledged, " + transientFailures + " transient failures");
        assertThat(present).as("seed %d: every acknowledged write is there", seed).containsAll(acknowledged);
        assertThat(present).as("seed %d: no write whose commit failed", seed).doesNotContainAnyElementsOf(failed);
        assertThat(present).as("seed %d: nothing else", seed).hasSameSizeAs(acknowledged);
        assertThat(counter).as("seed %d: read-modify-write increments, none lost", seed)
                .isEqualTo(counterIncrements.get());
        assertThat(acknowledged).as("seed %d: progress was made", seed).isNotEmpty();
    }
}
