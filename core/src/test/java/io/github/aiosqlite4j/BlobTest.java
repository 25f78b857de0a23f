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

    @Test
    void anotherSchema_opensThatDatabasesRow_asPythonsName() {
        db.executeScript("attach ':memory:' as aux;"
                + "create table aux.b (id integer primary key, data blob);"
                + "insert into aux.b values (1, x'0a0b0c0d0e');"
                + "create temp table t (id integer primary key, data blob);"
                + "insert into t values (1, x'aabb');").join();
        try (AsyncBlob aux = db.blobOpen("b", "data", 1, false, "aux").join()) {
            assertThat(aux.length()).isEqualTo(5);
            assertThat(aux.read(-1)).succeedsWithin(WAIT).isEqualTo(new byte[] {10, 11, 12, 13, 14});
            aux.seek(0);
            assertThat(aux.write(new byte[] {(byte) 0xFF})).succeedsWithin(WAIT);
            aux.seek(0); // (with the library: the write committed and closed the handle; this opens it again)
            assertThat(aux.read(2)).succeedsWithin(WAIT).isEqualTo(new byte[] {-1, 11});
        }
        try (AsyncBlob main = db.blobOpen("b", "data", 1, true).join();
                AsyncBlob upper = db.blobOpen("b", "data", 1, true, "AUX").join()) {
            assertThat(main.length()).isEqualTo(10);
            assertThat(upper.read(-1)).succeedsWithin(WAIT).isEqualTo(new byte[] {-1, 11, 12, 13, 14});
        }
        db.commit().join();
        assertThat(db.executeFetchAll("select hex(data) from aux.b union all select hex(data) from main.b").join())
                .extracting(r -> r.get(0)).containsExactly("FF0B0C0D0E", "00010203040506070809");
        try (AsyncBlob temp = db.blobOpen("t", "data", 1, true, "temp").join()) {
            assertThat(temp.read(-1)).succeedsWithin(WAIT).isEqualTo(new byte[] {(byte) 0xAA, (byte) 0xBB});
        }
        // as in Python: a temp table is not in main, and an unknown schema names itself
        assertThat(db.blobOpen("t", "data", 1, true)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(SqliteError.class)
                .withMessageContaining("no such table: main.t");
        assertThat(db.blobOpen("b", "data", 1, true, "nope")).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(SqliteError.class)
                .withMessageContaining("no such table: nope.b");
        assertThatThrownBy(() -> db.blobOpen("b", "data", 1, true, "main\0aux"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema name contains a NUL");
        assertThat(db.executeFetchAll("select count(*) from aux.b").join().get(0).get(0)).isEqualTo(1L);
    }
}
