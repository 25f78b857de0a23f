package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incremental blob I/O, at the edges. */
final class BlobTest extends MemoryDatabaseTest {

    @BeforeEach
    void createBlobTable() throws Exception {
        db.execute("create table b (id integer primary key, data blob, note text)").join();
        db.execute("insert into b values (1, ?, 'text')", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}).join();
        db.commit().join();
    }

    @Test
    void readsAndSeeks_atTheEdges() {
        AsyncBlob blob = db.blobOpen("b", "data", 1, true).join();
        assertThat(blob.length()).isEqualTo(10);
        assertThat(blob.read(3)).succeedsWithin(WAIT).isEqualTo(new byte[] {0, 1, 2});
        assertThat(blob.tell()).isEqualTo(3);
        assertThat(blob.read(-1)).succeedsWithin(WAIT).isEqualTo(new byte[] {3, 4, 5, 6, 7, 8, 9});
        assertThat(blob.read(5)).succeedsWithin(WAIT).isEqualTo(new byte[0]);
        blob.seek(8);
        assertThat(blob.read(100)).succeedsWithin(WAIT).isEqualTo(new byte[] {8, 9});
        blob.seek(10);
        assertThat(blob.tell()).isEqualTo(10);
        assertThatThrownBy(() -> blob.seek(11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> blob.seek(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> blob.write(new byte[] {1})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("read-only");
        blob.close();
        assertThatThrownBy(() -> blob.read(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writes_keepTheSize_andLandInPlace() {
        AsyncBlob blob = db.blobOpen("b", "data", 1, false).join();
        blob.seek(2);
        assertThat(blob.write(new byte[] {(byte) 0xAA, (byte) 0xBB})).succeedsWithin(WAIT);
        blob.seek(8);
        assertThat(blob.write(new byte[] {(byte) 0xCC, (byte) 0xDD})).succeedsWithin(WAIT);
        assertThatThrownBy(() -> blob.write(new byte[] {1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pass the end");
        db.commit().join();
        Row r = db.executeFetchAll("select data, typeof(data), length(data) from b where id = 1").join().get(0);
        assertThat(r.getBytes(0)).containsExactly(0, 1, 0xAA, 0xBB, 4, 5, 6, 7, 0xCC, 0xDD);
        assertThat(r.values().subList(1, 3)).containsExactly("blob", 10L);
    }

    @Test
    void openingWhatIsNotABlob_failsClearly() {
        assertThat(db.blobOpen("b", "data", 99, false)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .withMessageContaining("no such rowid: 99"); // SQLite's own message, as in Python
        assertThat(db.blobOpen("b", "id", 1, false)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .withMessageContaining("cannot open value of type");
        assertThat(db.blobOpen("nope", "data", 1, false)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(java.sql.SQLSyntaxErrorException.class);
    }
}
