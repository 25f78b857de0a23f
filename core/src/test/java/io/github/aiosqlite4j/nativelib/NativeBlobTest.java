package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.ChildJvm;
import io.github.aiosqlite4j.SqliteError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AsyncBlob on sqlite3_blob_*: in place, no UPDATE trigger, TEXT too, constant memory. */
final class NativeBlobTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    @Test
    void writesLandInPlace_withoutFiringUpdateTriggers_andTextOpensToo() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            db.executeScript("create table b (id integer primary key, data blob, note text);"
                    + "create table log (x);"
                    + "create trigger tr after update on b begin insert into log values (1); end;"
                    + "insert into b values (1, x'00010203', 'abcd');").get(WAIT, TimeUnit.SECONDS);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                blob.seek(1);
                blob.write(new byte[] {9, 9}).get(WAIT, TimeUnit.SECONDS);
                blob.seek(0);
                assertThat(blob.read(-1).get(WAIT, TimeUnit.SECONDS)).containsExactly(0, 9, 9, 3);
            }
            db.commit().get(WAIT, TimeUnit.SECONDS);
            assertThat(db.executeFetchAll("select count(*) from log").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .as("sqlite3_blob_write fires no UPDATE trigger").isEqualTo(0L);
            try (AsyncBlob text = db.blobOpen("b", "note", 1, true).get(WAIT, TimeUnit.SECONDS)) {
                assertThat(new String(text.read(-1).get(WAIT, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                        .isEqualTo("abcd");
            }
        }
    }

    @Test
    void aForgottenBlob_withItsHandleKept_neitherBlocksNorLeaksAtClose() throws Exception {
        Path file = dir.resolve("forgotten.db");
        AsyncConnection db = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS);
        db.executeScript("create table b (id integer primary key, data blob);"
                + "insert into b values (1, x'01020304');").get(WAIT, TimeUnit.SECONDS);
        db.execute("BEGIN").get(WAIT, TimeUnit.SECONDS);
        AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS);
        blob.write(new byte[] {9}).get(WAIT, TimeUnit.SECONDS); // in a transaction: the writable handle stays open
        db.closeAsync().get(WAIT, TimeUnit.SECONDS); // never closed the blob
        assertThat(db.isClosed()).isTrue();
        try (AsyncConnection again = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            // the file is free: no write lock left behind by a leaked handle
            again.execute("update b set data = x'0506' where id = 1").get(WAIT, TimeUnit.SECONDS);
            again.commit().get(WAIT, TimeUnit.SECONDS);
            assertThat(again.executeFetchAll("select hex(data) from b").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo("0506");
        }
        assertThatThrownBy(() -> blob.read(1).get(WAIT, TimeUnit.SECONDS)).hasMessageContaining("closed");
        blob.close(); // after the connection: nothing left to do
    }

    @Test
    void aBlobWhoseRowChangesOrGoes_failsSayingSo_andTheConnectionGoesOn() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(dir.resolve("changed.db")).get(WAIT, TimeUnit.SECONDS)) {
            db.executeScript("create table b (id integer primary key, data blob);"
                    + "insert into b values (1, x'01020304'), (2, x'0a0b');").get(WAIT, TimeUnit.SECONDS);
            AsyncBlob one = db.blobOpen("b", "data", 1, true).get(WAIT, TimeUnit.SECONDS);
            AsyncBlob two = db.blobOpen("b", "data", 2, false).get(WAIT, TimeUnit.SECONDS);
            assertThat(one.read(1).get(WAIT, TimeUnit.SECONDS)).containsExactly(1);
            db.execute("update b set data = x'0102' where id = 1").get(WAIT, TimeUnit.SECONDS);
            assertThatThrownBy(() -> one.read(1).get(WAIT, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SqliteError.class)
                    .hasMessageContaining("b.data of rowid 1").hasMessageContaining("replaced since blobOpen");
            db.execute("delete from b where id = 2").get(WAIT, TimeUnit.SECONDS);
            assertThatThrownBy(() -> two.write(new byte[] {7}).get(WAIT, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SqliteError.class)
                    .hasMessageContaining("b.data of rowid 2").hasMessageContaining("no such rowid");
            db.commit().get(WAIT, TimeUnit.SECONDS);
            assertThat(db.executeFetchAll("select hex(data) from b").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo("0102");
            one.close();
            two.close();
        }
    }

    @Test
    void readsAndWritesAtManyOffsets_matchAReference_withStatementsAndCommitsBetween() throws Exception {
        Path file = dir.resolve("offsets.db");
        int size = 3 << 20; // overflow pages: offsets far from the start
        byte[] reference = new byte[size];
        Random random = new Random(7);
        try (AsyncConnection db = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS);
                AsyncConnection other = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            db.executeScript("create table b (id integer primary key, data blob); create table t (x);"
                    + "insert into b values (1, zeroblob(" + size + "));").get(WAIT, TimeUnit.SECONDS);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                for (int i = 0; i < 300; i++) {
                    int at = random.nextInt(size);
                    int n = 1 + random.nextInt(Math.min(size - at, 70_000));
                    blob.seek(at);
                    switch (i % 10) {
                        case 0 -> db.execute("BEGIN").get(WAIT, TimeUnit.SECONDS);
                        case 5 -> db.commit().get(WAIT, TimeUnit.SECONDS); // with the blob's handle open
                        case 3 -> db.execute("insert into t values (?)", i).get(WAIT, TimeUnit.SECONDS);
                        default -> { }
                    }
                    if (random.nextBoolean()) {
                        byte[] data = new byte[n];
                        random.nextBytes(data);
                        blob.write(data).get(WAIT, TimeUnit.SECONDS);
                        System.arraycopy(data, 0, reference, at, n);
                    } else {
                        assertThat(blob.read(n).get(WAIT, TimeUnit.SECONDS)).as("read %d at %d", n, at)
                                .isEqualTo(Arrays.copyOfRange(reference, at, at + n));
                    }
                    assertThat(blob.tell()).isEqualTo(at + n);
                }
                db.commit().get(WAIT, TimeUnit.SECONDS);
                blob.seek(0);
                assertThat(blob.read(-1).get(WAIT, TimeUnit.SECONDS)).isEqualTo(reference);
            }
            assertThat(other.executeFetchAll("select data from b").get(WAIT, TimeUnit.SECONDS).get(0).getBytes(0))
                    .as("committed, seen by another connection").isEqualTo(reference);
            assertThat(db.executeFetchAll("select count(*) from t").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(30L);
        }
    }

    @Test
    void aWriteOutsideATransaction_isCommittedWhenItsFutureCompletes() throws Exception {
        Path file = dir.resolve("autocommit.db");
        try (AsyncConnection db = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS);
                AsyncConnection other = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            db.executeScript("create table b (data blob); insert into b values (x'000000');").get(WAIT, TimeUnit.SECONDS);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                assertThat(blob.read(1).get(WAIT, TimeUnit.SECONDS)).containsExactly(0);
                blob.write(new byte[] {5, 6}).get(WAIT, TimeUnit.SECONDS);
                assertThat(other.executeFetchAll("select hex(data) from b").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                        .isEqualTo("000506");
                // and the connection's own statements and their commits go on
                db.execute("insert into b values (x'07')").get(WAIT, TimeUnit.SECONDS);
                db.commit().get(WAIT, TimeUnit.SECONDS);
                assertThat(blob.read(-1).get(WAIT, TimeUnit.SECONDS)).isEmpty();
            }
            assertThat(other.executeFetchAll("select count(*) from b").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(2L);
        }
    }

    @Test
    void aBlobLeftOpen_holdsNothing_transactionsEnd_andTheConnectionCloses() throws Exception {
        Path file = dir.resolve("open.db");
        AsyncConnection db = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS);
        db.executeScript("create table b (data blob); insert into b values (x'0102');").get(WAIT, TimeUnit.SECONDS);
        AsyncBlob blob = db.blobOpen("b", "data", 1, true).get(WAIT, TimeUnit.SECONDS);
        assertThat(blob.read(1).get(WAIT, TimeUnit.SECONDS)).containsExactly(1);
        // statements, commit and rollback go on while the AsyncBlob is open
        db.execute("insert into b values (x'03')").get(WAIT, TimeUnit.SECONDS);
        db.rollback().get(WAIT, TimeUnit.SECONDS);
        db.execute("insert into b values (x'04')").get(WAIT, TimeUnit.SECONDS);
        db.commit().get(WAIT, TimeUnit.SECONDS);
        assertThat(blob.read(1).get(WAIT, TimeUnit.SECONDS)).containsExactly(2);
        db.close();
        assertThat(db.isClosed()).isTrue();
        blob.close(); // after the connection: nothing left to do
        try (AsyncConnection again = AioSqlite.connect(file).get(WAIT, TimeUnit.SECONDS)) {
            assertThat(again.executeFetchAll("select length(data) from b").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo(2L);
        }
    }

    @Test
    void aHundredMegabyteBlob_movesThroughA64MegabyteHeap() throws Exception {
        String out = ChildJvm.run(ChildJvm.command(List.of("-Xmx64m"), BigBlobMain.class,
                dir.resolve("big.db").toString()), dir.resolve("child.log"), 300);
        assertThat(out).contains("ok " + (100 << 20));
    }

    @Test
    void anotherSchema_withAndWithoutTheLibrary_opensThatDatabasesRow() throws Exception {
        for (boolean on : List.of(true, false)) {
            String out = ChildJvm.run(ChildJvm.command(List.of("-Daiosqlite4j.native=" + on), SchemaBlobMain.class),
                    dir.resolve("schema-" + on + ".log"), 120);
            assertThat(out).as("native=%s", on).contains("native: " + on)
                    .contains("aux: 5 0A0B0C0D0E", "aux after write: 0AFF0C0D0E", "main: 4 01020304", "temp: AABB",
                            "rows: [01020304, 0AFF0C0D0E]")
                    .containsPattern("t in main: SqliteError .*no such table: main\\.t")
                    .containsPattern("unknown schema: SqliteError .*no such table: nope\\.b");
        }
    }
}
