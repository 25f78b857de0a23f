package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
}
