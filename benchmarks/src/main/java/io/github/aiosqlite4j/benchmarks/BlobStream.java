package io.github.aiosqlite4j.benchmarks;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Streaming a blob outside a transaction (issue 13): for each size, a new database file (the
 * default configuration: rollback journal, synchronous FULL), a row with {@code zeroblob(size)},
 * then pseudo-random bytes written through {@link AsyncBlob#outputStream()} in 1 MiB writes with
 * no transaction open, and read back through {@link AsyncBlob#inputStream()}; both checked by
 * CRC32. Linear cost means MiB/s roughly constant across sizes. Writes {@code
 * results/blob-stream.md}.
 *
 * <p>Run: {@code java -cp target/classes:$(cat target/classpath.txt)
 * io.github.aiosqlite4j.benchmarks.BlobStream [MiB,MiB,...]} (default {@code 64,256,953}: 953 MiB
 * is the most under SQLite's limit on a value, {@code SQLITE_MAX_LENGTH}, 10^9 bytes as
 * sqlite-jdbc builds it, so a 1 GiB value cannot be stored).
 */
public final class BlobStream {
    private static final int PIECE = 1 << 20;

    private BlobStream() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : (args.length > 0 ? args[0] : "64,256,953").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        Path dir = Files.createTempDirectory("aiosqlite4j-blob-stream");
        StringBuilder md = new StringBuilder("# Streaming a blob outside a transaction\n\n");
        md.append(String.format(Locale.ROOT, "Java %s, %d CPUs; load average at start: %s."
                + " One new file per size (default configuration), a `zeroblob(size)` row, written"
                + " through `outputStream()` in 1 MiB writes with no transaction open, closed, then"
                + " read through `inputStream()`. 953 MiB is the largest size under SQLite's limit on"
                + " a value (`SQLITE_MAX_LENGTH`, 10^9 bytes): 1 GiB cannot be stored.%n%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), loadAverage()));
        md.append("| size, MiB | write, s | write, MiB/s | read, s | read, MiB/s |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: |\n");
        try {
            for (int mib : sizes) {
                double[] r = run(dir.resolve("blob-" + mib + ".db"), mib);
                String row = String.format(Locale.ROOT, "| %,d | %.2f | %,.0f | %.2f | %,.0f |",
                        mib, r[0], mib / r[0], r[1], mib / r[1]);
                md.append(row).append('\n');
                System.out.println(row);
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
        md.append(String.format(Locale.ROOT, "%nLoad average at the end: %s.%n", loadAverage()));
        Path out = Path.of("results", "blob-stream.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** {@return the seconds to write and to read a blob of mib MiB} */
    private static double[] run(Path file, int mib) throws Exception {
        long size = (long) mib << 20;
        byte[] piece = new byte[PIECE];
        new Random(13).nextBytes(piece);
        CRC32 written = new CRC32();
        CRC32 read = new CRC32();
        double writeSeconds;
        double readSeconds;
        try (AsyncConnection db = AioSqlite.connect(file).join()) {
            db.execute("create table b (id integer primary key, data blob)").join();
            db.execute("insert into b values (1, zeroblob(?))", size).join();
            db.commit().join();
            long t0 = System.nanoTime();
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).join();
                    OutputStream out = blob.outputStream()) {
                for (long done = 0; done < size; done += PIECE) {
                    piece[(int) (done / PIECE % PIECE)]++; // no two pieces alike
                    written.update(piece);
                    out.write(piece);
                }
            }
            writeSeconds = (System.nanoTime() - t0) / 1e9;
            if (db.inTransaction()) {
                throw new IllegalStateException("a transaction is open after the stream's close");
            }
            long t1 = System.nanoTime();
            long n = 0;
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, true).join();
                    InputStream in = blob.inputStream()) {
                byte[] buf = new byte[PIECE];
                for (int k; (k = in.read(buf)) != -1; n += k) {
                    read.update(buf, 0, k);
                }
            }
            readSeconds = (System.nanoTime() - t1) / 1e9;
            if (n != size || read.getValue() != written.getValue()) {
                throw new IllegalStateException(mib + " MiB: read back " + n + " bytes, CRC "
                        + Long.toHexString(read.getValue()) + ", written CRC " + Long.toHexString(written.getValue()));
            }
        }
        return new double[] {writeSeconds, readSeconds};
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }
}
