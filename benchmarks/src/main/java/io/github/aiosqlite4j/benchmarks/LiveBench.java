package io.github.aiosqlite4j.benchmarks;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Live queries (issue 15): what the hooks cost on the write path, and how long a commit takes to
 * reach a watcher. Run by hand (see README, "Live queries"); prints a Markdown table.
 *
 * <ul>
 *   <li>Write path: autocommit single-row inserts on a WAL file, one at a time, on one {@link
 *       AsyncConnection}: never watched; watched and then all watchers cancelled (the hooks are
 *       gone again); 100 watchers of another table (the hooks run, no re-query); 100 watchers of
 *       the written table (each commit also re-queries them, coalesced, on the same worker); and on
 *       a pool (2 readers), without watchers and with 100 watchers of the written table (the
 *       re-queries run on the readers). Rounds alternate;
 *       the median round is reported.
 *   <li>Latency: one watcher of {@code count(*)}; for each insert, from the call that commits it
 *       to the watcher's {@code onNext} with that count (so it includes the insert itself, whose
 *       time alone is the "write" row).
 * </ul>
 */
public final class LiveBench {
    private static final int ROUNDS = 5;
    private static final int INSERTS = 1_000;
    private static final int LATENCY_SAMPLES = 1_000;

    private LiveBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("aiosqlite4j-live-bench");
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Java %s, %d CPUs, load average before: %s%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage()));
        String[] names = {"no watcher", "watched, then cancelled", "100 watchers, other table",
            "100 watchers, written table", "pool: no watcher", "pool: 100 watchers, written table"};
        double[][] rates = new double[names.length][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int v = 0; v < names.length; v++) {
                rates[v][round] = writeRate(dir.resolve("w" + round + "-" + v + ".db"), v);
                System.err.printf(Locale.ROOT, "round %d, %s: %,.0f inserts/s%n", round, names[v], rates[v][round]);
            }
        }
        out.append("| write path (autocommit inserts, one at a time) | inserts/s (median of ")
                .append(ROUNDS).append(") | vs no watcher |\n|---|---:|---:|\n");
        double base = median(rates[0]);
        for (int v = 0; v < names.length; v++) {
            double m = median(rates[v]);
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f |%n", names[v], m, m / base));
        }
        out.append('\n').append("| COMMIT -> onNext | median µs | p99 µs |\n|---|---:|---:|\n");
        latency(out, "write alone (no watcher)", dir.resolve("l0.db"), false, false);
        latency(out, "connection: insert + emission", dir.resolve("l1.db"), true, false);
        latency(out, "pool: insert on writer + re-query on a reader + emission", dir.resolve("l2.db"), true, true);
        out.append(String.format(Locale.ROOT, "%nload average after: %s%n", loadAverage()));
        System.out.print(out);
    }

    private static SqliteConfig config(Path file) {
        return SqliteConfig.builder(file.toString()).journalMode(SqliteConfig.JournalMode.WAL)
                .synchronous(SqliteConfig.SynchronousMode.OFF).build();
    }

    private static double writeRate(Path file, int variant) throws Exception {
        List<Flow.Subscription> subs = new ArrayList<>();
        if (variant >= 4) {
            try (SqlitePool pool = SqlitePool.open(config(file), PoolOptions.builder().readers(2).build()).join()) {
                pool.execute("create table t(x)").join();
                if (variant == 5) {
                    watchers(100, "select count(*) from t", pool::watch, subs);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < INSERTS; i++) {
                    pool.execute("insert into t values (?)", i).join();
                }
                double rate = INSERTS / ((System.nanoTime() - t0) / 1e9);
                subs.forEach(Flow.Subscription::cancel);
                return rate;
            }
        }
        try (AsyncConnection db = AioSqlite.connect(config(file)).join()) {
            db.executeScript("create table t(x); create table other(y);").join();
            db.setAutocommit(io.github.aiosqlite4j.Autocommit.ON).join();
            if (variant == 1) {
                watchers(100, "select count(*) from t", db::watch, subs);
                subs.forEach(Flow.Subscription::cancel);
                subs.clear();
            } else if (variant == 2) {
                watchers(100, "select count(*) from other", db::watch, subs);
            } else if (variant == 3) {
                watchers(100, "select count(*) from t", db::watch, subs);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < INSERTS; i++) {
                db.execute("insert into t values (?)", i).join();
            }
            double rate = INSERTS / ((System.nanoTime() - t0) / 1e9);
            subs.forEach(Flow.Subscription::cancel);
            return rate;
        }
    }

    /** Subscribes n watchers with unbounded demand and waits for their first results. */
    private static void watchers(int n, String sql, Function<String, Flow.Publisher<List<Row>>> watch,
            List<Flow.Subscription> subs) {
        List<CompletableFuture<Void>> first = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            first.add(f);
            watch.apply(sql).subscribe(new Flow.Subscriber<List<Row>>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    synchronized (subs) {
                        subs.add(s);
                    }
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(List<Row> item) {
                    f.complete(null);
                }

                @Override
                public void onError(Throwable t) {
                    f.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                }
            });
        }
        CompletableFuture.allOf(first.toArray(new CompletableFuture<?>[0])).join();
    }

    private static void latency(StringBuilder out, String name, Path file, boolean watch, boolean pooled)
            throws Exception {
        long[] samples = new long[LATENCY_SAMPLES];
        AsyncConnection db = pooled ? null : AioSqlite.connect(config(file)).join();
        SqlitePool pool = pooled ? SqlitePool.open(config(file), PoolOptions.builder().readers(2).build()).join() : null;
        try {
            Function<String, CompletableFuture<?>> exec = sql -> pooled ? pool.execute(sql) : db.execute(sql);
            exec.apply("create table t(x)").join();
            if (db != null) {
                db.setAutocommit(io.github.aiosqlite4j.Autocommit.ON).join();
            }
            Object lock = new Object();
            long[] seen = {0, 0}; // count, nanoTime of its onNext
            Flow.Subscription[] sub = new Flow.Subscription[1];
            if (watch) {
                Flow.Publisher<List<Row>> p = pooled ? pool.watch("select count(*) from t")
                        : db.watch("select count(*) from t");
                p.subscribe(new Flow.Subscriber<List<Row>>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        sub[0] = s;
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(List<Row> item) {
                        long now = System.nanoTime();
                        synchronized (lock) {
                            seen[0] = item.get(0).getLong(0);
                            seen[1] = now;
                            lock.notifyAll();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        t.printStackTrace();
                    }

                    @Override
                    public void onComplete() {
                    }
                });
            }
            for (int i = 0; i < LATENCY_SAMPLES + 200; i++) { // the first 200: warm-up
                long t0 = System.nanoTime();
                exec.apply("insert into t values (1)").join();
                long end = System.nanoTime();
                if (watch) {
                    synchronized (lock) {
                        while (seen[0] < i + 1) {
                            lock.wait();
                        }
                        end = seen[1];
                    }
                }
                if (i >= 200) {
                    samples[i - 200] = end - t0;
                }
            }
            if (sub[0] != null) {
                sub[0].cancel();
            }
        } finally {
            if (db != null) {
                db.close();
            }
            if (pool != null) {
                pool.close();
            }
        }
        Arrays.sort(samples);
        out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", name,
                samples[samples.length / 2] / 1e3, samples[(int) (samples.length * 0.99)] / 1e3));
    }

    private static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }
}
