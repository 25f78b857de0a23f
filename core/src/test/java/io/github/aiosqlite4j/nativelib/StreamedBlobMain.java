package io.github.aiosqlite4j.nativelib;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Run by {@link BlobStreamTest} in a child JVM with {@code -Xmx64m}: creates a 100 MB zeroblob,
 * streams pseudo-random bytes into it through {@link AsyncBlob#outputStream()} in odd-sized
 * writes (in one transaction), reads it back through {@link AsyncBlob#inputStream()} from a new connection, and prints
 * both CRC32s and the byte counts.
 */
public final class StreamedBlobMain {
    private StreamedBlobMain() {}

    public static void main(String[] args) throws Exception {
        int size = 100 << 20;
        CRC32 written = new CRC32();
        CRC32 read = new CRC32();
        long readBytes = 0;
        try (AsyncConnection db = AioSqlite.connect(args[0]).get()) {
            db.execute("create table b (id integer primary key, data blob)").get();
            db.execute("insert into b values (1, zeroblob(?))", size).get();
            db.commit().get();
            long t0 = System.nanoTime();
            db.execute("BEGIN").get(); // one commit, not one per chunk
            Random random = new Random(42);
            byte[] piece = new byte[100_003]; // not a multiple of the streams' chunk
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get();
                    OutputStream out = blob.outputStream()) {
                for (int left = size; left > 0; left -= piece.length) {
                    int n = Math.min(left, piece.length);
                    random.nextBytes(piece);
                    written.update(piece, 0, n);
                    out.write(piece, 0, n);
                }
            }
            db.commit().get();
            System.out.println("write ms " + (System.nanoTime() - t0) / 1_000_000);
        }
        long t1 = System.nanoTime();
        try (AsyncConnection db = AioSqlite.connect(args[0]).get();
                AsyncBlob blob = db.blobOpen("b", "data", 1, true).get();
                InputStream in = blob.inputStream()) {
            byte[] buf = new byte[77_777];
            for (int n; (n = in.read(buf)) != -1; ) {
                read.update(buf, 0, n);
                readBytes += n;
            }
        }
        System.out.println("read ms " + (System.nanoTime() - t1) / 1_000_000);
        System.out.println("written " + size + " crc " + Long.toHexString(written.getValue()));
        System.out.println("read " + readBytes + " crc " + Long.toHexString(read.getValue()));
        System.out.println("max heap " + Runtime.getRuntime().maxMemory());
    }
}
