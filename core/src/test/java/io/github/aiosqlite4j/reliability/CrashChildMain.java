package io.github.aiosqlite4j.reliability;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqliteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link CrashSafetyTest}: commits batches forever through the async API, in several
 * styles, and prints {@code ACK <batch>} after each commit's future completed. It never exits by
 * itself; the test kills it with SIGKILL.
 *
 * <p>A batch {@code b} is one row {@code batches(id=b, n)} and {@code n} rows {@code items(batch=b,
 * i, payload)}, where the payload is {@link #payload(long, int)}: anything else in the file after a
 * crash is half-written.
 */
public final class CrashChildMain {
    private CrashChildMain() {}

    static String payload(long batch, int i) {
        return "batch " + batch + " item " + i + " " + "x".repeat((int) ((batch * 31 + i) % 200));
    }

    /**
     * @param args database path, journal mode (DELETE or WAL), seed
     * @throws Exception on failure (the test then sees no ACKs)
     */
    public static void main(String[] args) throws Exception {
        SqliteConfig config = SqliteConfig.builder(args[0])
                .journalMode(SqliteConfig.JournalMode.valueOf(args[1]))
                .build();
        Random random = new Random(Long.parseLong(args[2]));
        AsyncConnection db = AioSqlite.connect(config).get(60, TimeUnit.SECONDS);
        db.executeScript("create table if not exists batches (id integer primary key, n integer not null);"
                + "create table if not exists items (batch integer not null, i integer not null,"
                + " payload text not null, blob blob, primary key (batch, i))").get(60, TimeUnit.SECONDS);
        long batch = db.executeFetchAll("select coalesce(max(id), 0) from batches").get(60, TimeUnit.SECONDS)
                .get(0).getLong(0);
        System.out.println("READY " + batch);
        System.out.flush();
        while (true) {
            long b = ++batch;
            int n = 1 + random.nextInt(random.nextInt(10) == 0 ? 400 : 20);
            byte[] blob = new byte[random.nextInt(3) == 0 ? 4096 : 16];
            random.nextBytes(blob);
            CompletableFuture<?> commit;
            switch (random.nextInt(3)) {
                case 0:
                    commit = db.transaction(s -> {
                        s.execute("insert into batches (id, n) values (?, ?)", b, n);
                        for (int i = 0; i < n; i++) {
                            s.execute("insert into items (batch, i, payload, blob) values (?, ?, ?, ?)",
                                    b, i, payload(b, i), blob);
                        }
                        return null;
                    });
                    break;
                case 1: {
                    // implicit transaction, one queued operation per row, then commit()
                    db.execute("insert into batches (id, n) values (?, ?)", b, n);
                    for (int i = 0; i < n; i++) {
                        db.execute("insert into items (batch, i, payload, blob) values (?, ?, ?, ?)",
                                b, i, payload(b, i), blob);
                    }
                    commit = db.commit();
                    break;
                }
                default: {
                    List<List<?>> rows = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        rows.add(List.of(b, i, payload(b, i), blob));
                    }
                    db.execute("insert into batches (id, n) values (?, ?)", b, n);
                    db.executeMany("insert into items (batch, i, payload, blob) values (?, ?, ?, ?)", rows);
                    commit = db.commit();
                    break;
                }
            }
            commit.get(60, TimeUnit.SECONDS);
            System.out.println("ACK " + b);
            System.out.flush();
        }
    }
}
