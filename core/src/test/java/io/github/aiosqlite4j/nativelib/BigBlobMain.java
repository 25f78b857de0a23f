package io.github.aiosqlite4j.nativelib;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import java.util.Arrays;

/**
 * Run by {@link NativeBlobTest} in a child JVM with {@code -Xmx64m}: writes a 100 MB blob a MB at
 * a time and reads it back, checking every byte; prints "ok" and the size.
 */
public final class BigBlobMain {
    private BigBlobMain() {}

    public static void main(String[] args) throws Exception {
        int mb = 1 << 20;
        int size = 100 * mb;
        try (AsyncConnection db = AioSqlite.connect(args[0]).get()) {
            db.execute("create table b (id integer primary key, data blob)").get();
            db.execute("insert into b values (1, zeroblob(?))", size).get();
            db.commit().get();
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get()) {
                byte[] chunk = new byte[mb];
                for (int i = 0; i < size / mb; i++) {
                    Arrays.fill(chunk, (byte) i);
                    blob.write(chunk).get();
                }
                blob.seek(0);
                for (int i = 0; i < size / mb; i++) {
                    byte[] back = blob.read(mb).get();
                    for (byte b : back) {
                        if (b != (byte) i) {
                            throw new AssertionError("byte of chunk " + i + " is " + b);
                        }
                    }
                }
            }
            db.commit().get();
            System.out.println("ok " + db.executeFetchAll("select length(data) from b").get().get(0).get(0));
        }
    }
}
