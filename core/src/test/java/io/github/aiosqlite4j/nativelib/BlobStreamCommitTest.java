package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.DbStatus;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteConfig.JournalMode;
import io.github.aiosqlite4j.SqliteError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AsyncBlob#outputStream()} outside a transaction: its chunks go into one hidden
 * transaction of the connection's own, on one blob handle (linear cost), committed by the
 * stream's flush() or close() or before anything else runs on the connection.
 */
final class BlobStreamCommitTest {
    private static final long WAIT = 30;
    /** The streams' chunk (BlobStreams.CHUNK): writing one byte more sends one chunk to the worker. */
    private static final int CHUNK = 4 << 20;

    @TempDir
    Path dir;

    private AsyncConnection connect(String name, JournalMode mode) throws Exception {
        return AioSqlite.connect(SqliteConfig.builder(dir.resolve(name)).journalMode(mode)
                .isolationLevel(IsolationLevel.AUTOCOMMIT).busyTimeout(Duration.ZERO)
                .pragma("cache_size", "-65536").build()).get(WAIT, TimeUnit.SECONDS);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] value(AsyncConnection db) throws Exception {
        return db.executeFetchAll("select data from b where id = 1").get(WAIT, TimeUnit.SECONDS).get(0).getBytes(0);
    }

    /** Compares without printing megabytes: where the value first differs, or -1. */
    private static void assertValue(AsyncConnection db, byte[] expected, String what) throws Exception {
        assertThat(Arrays.mismatch(value(db), expected)).as(what + ": first byte that differs").isEqualTo(-1);
    }

    private static long pageVisits(AsyncConnection db, boolean reset) throws Exception {
        return db.dbStatus(DbStatus.SQLITE_DBSTATUS_CACHE_HIT, reset).get(WAIT, TimeUnit.SECONDS).current()
                + db.dbStatus(DbStatus.SQLITE_DBSTATUS_CACHE_MISS, reset).get(WAIT, TimeUnit.SECONDS).current();
    }

    @Test
    void outsideATransaction_aStreamKeepsItsHandle_soItVisitsEachPageAboutOnce() throws Exception {
        int size = 8 * CHUNK;
        try (AsyncConnection db = connect("linear.db", JournalMode.WAL)) {
            db.executeScript("create table b (id integer primary key, data blob);"
                    + "insert into b values (1, zeroblob(" + size + "));").get(WAIT, TimeUnit.SECONDS);
            long pages = size / db.executeFetchAll("pragma page_size").get(WAIT, TimeUnit.SECONDS).get(0).getLong(0);
            byte[] data = bytes(size, 1);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                pageVisits(db, true);
                try (OutputStream out = blob.outputStream()) {
                    out.write(data);
                }
                // A handle reopened per chunk walks the overflow chain from the value's start to
                // the chunk: 1 + 2 + ... + 7 chunks' pages more (3.5 times the value's pages)
                assertThat(pageVisits(db, false)).as("pages of the value: " + pages).isLessThan(2 * pages);
            }
            assertValue(db, data, "the value");
        }
    }

    @Test
    void outsideATransaction_flushAndClose_commitWhatTheStreamWrote_notEachChunk() throws Exception {
        int size = 3 * CHUNK;
        try (AsyncConnection db = connect("visible.db", JournalMode.WAL);
                AsyncConnection other = connect("visible.db", JournalMode.WAL)) {
            db.executeScript("create table b (id integer primary key, data blob);"
                    + "insert into b values (1, zeroblob(" + size + "));").get(WAIT, TimeUnit.SECONDS);
            byte[] data = bytes(size, 2);
            byte[] expected = new byte[size];
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                OutputStream out = blob.outputStream();
                out.write(data, 0, CHUNK + 1); // one chunk written (and waited for), one byte buffered
                assertThat(db.inTransaction()).isFalse();
                assertValue(other, expected, "a chunk is not committed on its own");
                out.flush();
                System.arraycopy(data, 0, expected, 0, CHUNK + 1);
                assertValue(other, expected, "flush() commits");
                out.write(data, CHUNK + 1, CHUNK + 10);
                out.close();
                System.arraycopy(data, CHUNK + 1, expected, CHUNK + 1, CHUNK + 10);
                assertValue(other, expected, "close() commits");
                assertThat(db.inTransaction()).isFalse();
                // the async write keeps its own commit per call
                blob.seek(size - 1);
                blob.write(new byte[] {42}).get(WAIT, TimeUnit.SECONDS);
                expected[size - 1] = 42;
                assertValue(other, expected, "the value");
            }
        }
    }

    @Test
    void statementsBetweenChunks_runInAutocommit_andCommitTheStreamsWritesFirst() throws Exception {
        int size = 4 * CHUNK;
        try (AsyncConnection db = connect("between.db", JournalMode.WAL);
                AsyncConnection other = connect("between.db", JournalMode.WAL)) {
            db.executeScript("create table b (id integer primary key, data blob); create table t (x);"
                    + "insert into b values (1, zeroblob(" + size + "));").get(WAIT, TimeUnit.SECONDS);
            byte[] data = bytes(size, 3);
            byte[] expected = new byte[size];
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS);
                    OutputStream out = blob.outputStream()) {
                for (int i = 0; i < 3; i++) {
                    // chunk i written, not committed; the byte after it buffered
                    out.write(data, i == 0 ? 0 : i * CHUNK + 1, i == 0 ? CHUNK + 1 : CHUNK);
                    int row = i;
                    // another thread's statement on the same connection, between two chunks
                    Boolean inTransaction = CompletableFuture.supplyAsync(() -> {
                        db.execute("insert into t values (?)", row).join();
                        return db.inTransaction();
                    }).get(WAIT, TimeUnit.SECONDS);
                    assertThat(inTransaction).isFalse();
                    assertThat(other.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS)
                            .get(0).getLong(0)).as("its insert is committed").isEqualTo(i + 1L);
                    System.arraycopy(data, i * CHUNK, expected, i * CHUNK, CHUNK);
                    assertValue(other, expected, "the chunks before it too");
                }
                out.write(data, 3 * CHUNK + 1, CHUNK - 1);
            }
            assertValue(other, data, "the value");
            assertThat(db.inTransaction()).isFalse();
        }
    }

    @Test
    void anAbandonedStream_isCommittedByTheNextTask_andLeavesNothingOpen() throws Exception {
        Path file = dir.resolve("abandoned.db");
        byte[] data = bytes(CHUNK, 4);
        try (AsyncConnection db = connect("abandoned.db", JournalMode.WAL);
                AsyncConnection other = connect("abandoned.db", JournalMode.WAL)) {
            db.executeScript("create table b (id integer primary key, data blob);"
                    + "insert into b values (1, zeroblob(" + CHUNK + "));").get(WAIT, TimeUnit.SECONDS);
            AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS);
            OutputStream out = blob.outputStream();
            out.write(data);
            out.write(7); // past the end: buffered, so the chunk before it was written
            assertValue(other, new byte[CHUNK], "the value");
            assertValue(db, data, "the next task commits it");
            assertValue(other, data, "the value");
            assertThat(db.inTransaction()).isFalse();
            db.execute("insert into b values (2, x'01')").get(WAIT, TimeUnit.SECONDS);
            assertThat(other.executeFetchAll("select count(*) from b").get(WAIT, TimeUnit.SECONDS).get(0).getLong(0))
                    .isEqualTo(2L);
        }
        // and a stream left pending at the connection's close is committed by the close
        try (AsyncConnection db = connect("abandoned.db", JournalMode.WAL)) {
            AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS);
            OutputStream out = blob.outputStream();
            out.write(new byte[CHUNK + 1]);
        }
        try (AsyncConnection db = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            assertValue(db, new byte[CHUNK], "the value");
        }
    }

    @Test
    void aCommitThatFailsWhenAnotherTaskEndsTheStream_reachesTheStream_notTheTask() throws Exception {
        int size = CHUNK + 1;
        try (AsyncConnection db = connect("busy.db", JournalMode.DELETE);
                AsyncConnection reader = connect("busy.db", JournalMode.DELETE)) {
            db.executeScript("create table b (id integer primary key, data blob);"
                    + "insert into b values (1, zeroblob(" + size + "));").get(WAIT, TimeUnit.SECONDS);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                OutputStream out = blob.outputStream();
                out.write(bytes(size, 5)); // one chunk written in the hidden transaction
                // a read transaction of another connection: in rollback-journal mode a COMMIT
                // needs it to end, and fails with SQLITE_BUSY (busy timeout 0) while it lasts
                reader.execute("begin").get(WAIT, TimeUnit.SECONDS);
                assertValue(reader, new byte[size], "the value");
                assertThat(db.executeFetchAll("select 1").get(WAIT, TimeUnit.SECONDS).get(0).getLong(0))
                        .as("the task that ended the stream's transaction runs").isEqualTo(1L);
                assertThat(db.inTransaction()).isFalse();
                reader.execute("commit").get(WAIT, TimeUnit.SECONDS);
                assertValue(reader, new byte[size], "rolled back");
                assertThatThrownBy(out::close).isInstanceOf(IOException.class)
                        .hasMessageContaining("rolled back").extracting(Throwable::getCause).isInstanceOf(SqliteError.class);
                assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
                // the blob and the connection go on
                blob.seek(0);
                try (OutputStream again = blob.outputStream()) {
                    again.write(bytes(size, 6));
                }
                assertValue(reader, bytes(size, 6), "the value");
            }
        }
    }

    @Test
    void aCommitThatFailsAtFlush_failsTheFlush_andIsRolledBack() throws Exception {
        int size = CHUNK + 1;
        try (AsyncConnection db = connect("flush.db", JournalMode.DELETE);
                AsyncConnection reader = connect("flush.db", JournalMode.DELETE)) {
            db.executeScript("create table b (id integer primary key, data blob);"
                    + "insert into b values (1, zeroblob(" + size + "));").get(WAIT, TimeUnit.SECONDS);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                OutputStream out = blob.outputStream();
                out.write(bytes(size, 7));
                reader.execute("begin").get(WAIT, TimeUnit.SECONDS);
                assertValue(reader, new byte[size], "the value");
                assertThatThrownBy(out::flush).isInstanceOf(IOException.class)
                        .extracting(Throwable::getCause).isInstanceOf(SqliteError.class);
                reader.execute("commit").get(WAIT, TimeUnit.SECONDS);
                assertThat(db.inTransaction()).isFalse();
                assertValue(reader, new byte[size], "rolled back");
                assertValue(db, new byte[size], "the value");
            }
        }
    }

    @Test
    void theStreamsTransaction_isHiddenFromTraceAndAuthorizer() throws Exception {
        try (AsyncConnection db = connect("hidden.db", JournalMode.WAL)) {
            db.executeScript("create table b (id integer primary key, data blob);"
                    + "insert into b values (1, zeroblob(" + 2 * CHUNK + "));").get(WAIT, TimeUnit.SECONDS);
            List<String> seen = new CopyOnWriteArrayList<>();
            db.setTraceCallback(sql -> seen.add("trace " + sql)).get(WAIT, TimeUnit.SECONDS);
            db.setAuthorizer((action, arg1, arg2, schema, source) -> {
                if (action == Authorizer.SQLITE_TRANSACTION) {
                    seen.add("authorize " + arg1);
                }
                return Authorizer.SQLITE_OK;
            }).get(WAIT, TimeUnit.SECONDS);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS);
                    OutputStream out = blob.outputStream()) {
                out.write(new byte[CHUNK + 1]);
                db.executeFetchAll("select 1").get(WAIT, TimeUnit.SECONDS); // commits the stream's writes
                out.write(new byte[CHUNK - 1]);
                out.flush();
            }
            assertThat(seen).containsExactly("trace select 1");
        }
    }

    @Test
    void insideTheUsersTransaction_flushAndClose_commitNothing() throws Exception {
        int size = CHUNK + 1;
        try (AsyncConnection db = connect("inside.db", JournalMode.WAL);
                AsyncConnection other = connect("inside.db", JournalMode.WAL)) {
            db.executeScript("create table b (id integer primary key, data blob);"
                    + "insert into b values (1, zeroblob(" + size + "));").get(WAIT, TimeUnit.SECONDS);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                db.execute("begin").get(WAIT, TimeUnit.SECONDS);
                try (OutputStream out = blob.outputStream()) {
                    out.write(bytes(size, 8));
                    out.flush();
                }
                assertThat(db.inTransaction()).isTrue();
                assertValue(other, new byte[size], "not committed inside the user's transaction");
                db.rollback().get(WAIT, TimeUnit.SECONDS);
                assertValue(db, new byte[size], "rolled back with it");
                db.execute("begin").get(WAIT, TimeUnit.SECONDS);
                blob.seek(0);
                try (OutputStream out = blob.outputStream()) {
                    out.write(bytes(size, 9));
                }
                db.commit().get(WAIT, TimeUnit.SECONDS);
                assertValue(other, bytes(size, 9), "committed with it");
            }
        }
    }
}
