package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream views of {@link AsyncBlob}: constant memory, byte-exact, clear failures. */
final class BlobStreamTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    @Test
    void aHundredMegabyteBlob_streamsThroughA64MegabyteHeap() throws Exception {
        String out = ChildJvm.run(ChildJvm.command(List.of("-Xmx64m"), StreamedBlobMain.class,
                dir.resolve("big.db").toString()), dir.resolve("child.log"), 300);
        Matcher w = Pattern.compile("written (\\d+) crc (\\w+)").matcher(out);
        Matcher r = Pattern.compile("read (\\d+) crc (\\w+)").matcher(out);
        assertThat(w.find() && r.find()).as(out).isTrue();
        assertThat(r.group(1)).isEqualTo(String.valueOf(100 << 20)).isEqualTo(w.group(1));
        assertThat(r.group(2)).as("checksum").isEqualTo(w.group(2));
    }

    @Test
    void bytesAndSlices_landAtThePosition_andTheEndIsClear() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            db.execute("create table b (data blob)").get(WAIT, TimeUnit.SECONDS);
            db.execute("insert into b values (zeroblob(10))").get(WAIT, TimeUnit.SECONDS);
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS)) {
                blob.seek(2);
                try (OutputStream out = blob.outputStream()) {
                    out.write(7);
                    out.write(new byte[] {1, 2, 3, 4, 5}, 1, 3);
                }
                assertThat(blob.tell()).isEqualTo(6);
                blob.seek(0);
                try (InputStream in = blob.inputStream()) {
                    assertThat(in.read()).isZero();
                    assertThat(in.readAllBytes()).containsExactly(0, 7, 2, 3, 4, 0, 0, 0, 0);
                    assertThat(in.read()).isEqualTo(-1);
                }
                blob.seek(8);
                OutputStream out = blob.outputStream();
                out.write(new byte[3]); // buffered: the error comes with the flush
                assertThatThrownBy(out::flush).isInstanceOf(IOException.class)
                        .hasMessageContaining("would pass the end of the blob");
                out.close();
                assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class)
                        .hasMessageContaining("closed");
            }
            try (AsyncBlob readOnly = db.blobOpen("b", "data", 1, true).get(WAIT, TimeUnit.SECONDS)) {
                OutputStream out = readOnly.outputStream();
                out.write(1);
                assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("read-only");
            }
            assertThat(db.executeFetchAll("select hex(data) from b").get(WAIT, TimeUnit.SECONDS).get(0).get(0))
                    .isEqualTo("00000702030400000000");
        }
    }

    @Test
    void onTheWorkerThread_aStreamIsRefused() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(WAIT, TimeUnit.SECONDS)) {
            db.execute("create table b (data blob)").get(WAIT, TimeUnit.SECONDS);
            db.execute("insert into b values (zeroblob(10))").get(WAIT, TimeUnit.SECONDS);
            AsyncBlob blob = db.blobOpen("b", "data", 1, false).get(WAIT, TimeUnit.SECONDS);
            Throwable e = db.run(s -> {
                try {
                    blob.inputStream();
                    return null;
                } catch (IllegalStateException refused) {
                    return refused;
                }
            }).get(WAIT, TimeUnit.SECONDS);
            assertThat(e).hasMessageContaining("worker thread");
            assertThat(db.executeFetchAll("select length(data) from b").get(WAIT, TimeUnit.SECONDS)).hasSize(1);
        }
    }
}
