package io.github.aiosqlite4j.benchmarks;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The comparison runner: W1..W15 for plain synchronous sqlite-jdbc, aiosqlite4j, the Vert.x JDBC
 * client and (W15, Java 21+) plain sqlite-jdbc on virtual threads, alternating in one JVM. Writes
 * {@code latest.md} and {@code latest.png} ({@code latest-hog.*} with {@code --hog}, {@code
 * quick.*} with {@code --quick}, {@code partial.*} with {@code --only}); exits non-zero if any
 * result is wrong.
 *
 * <p>Arguments: {@code --quick} (tiny sizes, seconds; asserts nothing about speed), {@code --out
 * DIR} (default {@code results}), {@code --only W4,W13} (those ids only), {@code --rounds N},
 * {@code --hog N} or {@code --hog=N} (N busy-loop processes beside the benchmark for the whole
 * run: the loaded-machine mode), {@code --completion worker} (aiosqlite4j's futures complete on
 * the worker thread, {@code completionExecutor(Runnable::run)}, instead of the default executor;
 * the report's name gets {@code -worker}).
 */
public final class Compare {

    /** Measured ops/s per round for one system; null where the system does not apply. */
    record Result(Workload workload, double[] sync, double[] async, double[] vertx,
            double[] vthreads, Busy busy) {

        double[] asyncPerSync() {
            return ratios(async, sync);
        }

        double[] asyncPerVertx() {
            return vertx == null ? null : ratios(async, vertx);
        }

        double[] asyncPerVthreads() {
            return vthreads == null ? null : ratios(async, vthreads);
        }

        private static double[] ratios(double[] a, double[] b) {
            if (a == null || b == null) {
                return null;
            }
            double[] r = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = a[i] / b[i];
            }
            return r;
        }
    }

    /**
     * BUSY errors and operation counts over the measured rounds (warm-up excluded), for the
     * workloads that count them (W14: sync = plain connections, async = the pool).
     */
    record Busy(Side.Counts sync, Side.Counts async) {}

    private final boolean quick;
    private final int rounds;
    private final long warmNanos;
    /** The first workload's warm-up, in units of the others' (see {@link #run}). */
    private static final int FIRST_WARM_FACTOR = 5;
    private boolean firstDone;
    private final long roundNanos;
    private String loadBefore;
    /** Busy-loop processes beside the benchmark (0: the quiet mode). */
    private final int hog;

    Compare(boolean quick, int rounds, int hog) {
        this.quick = quick;
        this.rounds = rounds;
        this.hog = hog;
        this.warmNanos = quick ? 0 : 600_000_000L;
        this.roundNanos = quick ? 0 : 300_000_000L;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        boolean quick = false;
        Path out = Path.of("results");
        Set<String> only = null;
        int rounds = 5;
        int hog = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i].startsWith("--hog=") ? "--hog" : args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--full", "" -> { }
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = Set.of(args[++i].toUpperCase(Locale.ROOT).split(","));
                case "--rounds" -> rounds = Math.max(5, Integer.parseInt(args[++i]));
                case "--completion" -> Env.completeOnWorker = switch (args[++i]) {
                    case "worker" -> true;
                    case "default" -> false;
                    default -> throw new IllegalArgumentException("--completion worker|default, was " + args[i]);
                };
                case "--hog" -> hog = Integer.parseInt(args[i].startsWith("--hog=")
                        ? args[i].substring("--hog=".length()) : args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: Compare [--quick]"
                            + " [--out DIR] [--only W1,W4] [--rounds N] [--hog N] [--completion worker|default]");
                    System.exit(2);
                }
            }
        }
        long start = System.nanoTime();
        Compare compare = new Compare(quick, rounds, hog);
        compare.loadBefore = loadAverage();
        List<Result> results = new ArrayList<>();
        // The hogs start after the first load reading and run until the report is written.
        try (Hog hogs = new Hog(hog); Env env = new Env(quick)) {
            if (hogs.size() > 0) {
                System.out.println("loaded-machine mode: " + hogs.size() + " busy-loop processes");
            }
            for (Workload w : Workloads.all(env)) {
                if (only != null && !only.contains(w.id())) {
                    continue;
                }
                results.add(compare.run(w));
            }
        } catch (Throwable t) {
            System.err.println("FAILED: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String report = compare.report(results, seconds);
        System.out.println();
        System.out.println(report);
        Files.createDirectories(out);
        // latest.* is the committed full run: a quick or partial run never overwrites it
        String name = (quick ? "quick" : only != null ? "partial" : hog > 0 ? "latest-hog" : "latest")
                + (Env.completeOnWorker ? "-worker" : "");
        Files.writeString(out.resolve(name + ".md"), report, StandardCharsets.UTF_8);
        Chart.write(results, out.resolve(name + ".png"), quick ? "quick run (tiny sizes)" : null);
        System.out.printf(Locale.ROOT, "wrote %s and %s.png; elapsed %.1f s%n",
                out.resolve(name + ".md"), out.resolve(name), seconds);
        System.exit(0); // Vert.x and aiosqlite4j threads are daemon, but be explicit
    }

    /** Warm-up, then the rounds, each system in turn. */
    Result run(Workload w) throws Exception {
        if (!w.runnable()) {
            System.out.printf("%-4s %-26s not measured%n", w.id(), w.name());
            return new Result(w, null, null, null, null, null);
        }
        long t0 = System.nanoTime();
        List<Side> sides = new ArrayList<>();
        try {
            // sides: sync, aiosqlite4j, then Vert.x and virtual threads where they apply
            Workload.Factory[] factories = {w.sync(), w.async(), w.vertx(), w.vthreads()};
            int[] index = new int[factories.length];
            for (int f = 0; f < factories.length; f++) {
                index[f] = factories[f] == null ? -1 : sides.size();
                if (factories[f] != null) {
                    sides.add(factories[f].open());
                }
            }
            // The first workload of the JVM also warms the JIT for what follows: the open path
            // alone takes 1-2 s of calls to be compiled (a scratch loop of open/close went 83 ->
            // 44 -> 34 us per pair over its first three seconds), so it gets a longer warm-up.
            long warm = firstDone ? warmNanos : FIRST_WARM_FACTOR * warmNanos;
            firstDone = true;
            for (Side side : sides) {
                measure(w, side, warm);
            }
            Side.Counts sync0 = sides.get(0).counts();
            Side.Counts async0 = sides.get(1).counts();
            double[][] perSide = new double[sides.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int s = 0; s < sides.size(); s++) {
                    perSide[s][r] = measure(w, sides.get(s), roundNanos);
                }
            }
            Busy busy = sync0 == null || async0 == null ? null : new Busy(
                    sides.get(0).counts().minus(sync0), sides.get(1).counts().minus(async0));
            Result result = new Result(w, perSide[0], perSide[1],
                    index[2] < 0 ? null : perSide[index[2]],
                    index[3] < 0 ? null : perSide[index[3]], busy);
            System.out.printf(Locale.ROOT, "%-4s %-26s sync %9s  async %9s  vertx %9s  vthreads %9s"
                            + "  async/sync %s  async/vthreads %s%s  (%.1f s)%n", w.id(), w.name(),
                    ops(median(result.sync())), ops(median(result.async())),
                    ops(median(result.vertx())), ops(median(result.vthreads())),
                    ratio(median(result.asyncPerSync())),
                    ratio(median(result.asyncPerVthreads())), busy == null ? ""
                            : "  BUSY: pool " + busy.async().busy() + " of "
                                    + busy.async().attempts() + ", plain " + busy.sync().busy()
                                    + " of " + busy.sync().attempts(),
                    (System.nanoTime() - t0) / 1e9);
            return result;
        } finally {
            for (Side side : sides) {
                side.close();
            }
        }
    }

    /** Runs batches until {@code nanos} of timed work (at least one batch); returns ops/s. */
    private static double measure(Workload w, Side side, long nanos) throws Exception {
        long ops = 0;
        long timed = 0;
        do {
            side.before();
            long t = System.nanoTime();
            try {
                ops += side.batch();
            } catch (Exception | Error e) {
                throw new IllegalStateException(w.id() + " " + w.name() + ": " + e, e);
            }
            timed += System.nanoTime() - t;
            try {
                side.verify();
            } catch (Exception | Error e) {
                throw new IllegalStateException(w.id() + " " + w.name() + ": " + e, e);
            }
        } while (timed < nanos);
        return ops * 1e9 / timed;
    }

    // ---------------------------------------------------------------- report

    String report(List<Result> results, double seconds) throws IOException {
        StringBuilder md = new StringBuilder();
        Properties v = versions();
        md.append("# aiosqlite4j comparison: sync sqlite-jdbc vs aiosqlite4j vs Vert.x JDBC client"
                + " vs virtual threads\n\n");
        md.append("- Mode: ").append(hog == 0 ? "quiet (no hog; the machine's own load below)"
                : "**loaded: " + hog + " busy-loop processes** (`--hog " + hog + "`, one small JVM"
                        + " spinning each) beside the benchmark for the whole run").append('\n');
        md.append("- aiosqlite4j completions: ").append(Env.completeOnWorker
                ? "**on the worker thread** (`completionExecutor(Runnable::run)`, `--completion worker`)"
                : "default executor (`ForkJoinPool.commonPool()`)").append('\n');
        md.append("- Date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        md.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append(' ')
                .append(System.getProperty("os.arch")).append(", CPU: ").append(cpu()).append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (")
                .append(System.getProperty("java.vm.vendor")).append("), max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MB\n");
        md.append("- Versions: aiosqlite4j ").append(v.getProperty("aiosqlite4j"))
                .append(", sqlite-jdbc ").append(driverVersion()).append(" (SQLite ")
                .append(AioSqlite.sqliteVersion()).append("), Vert.x ")
                .append(v.getProperty("vertx"))
                .append(" (vertx-jdbc-client + vertx-sql-client, JDBCPool max size 1; 2 in W15's pool"
                        + " variant)\n");
        md.append("- Virtual threads (W15's vthreads column): ").append(Env.VIRTUAL_THREADS
                ? "measured on this JDK"
                : "**not available on this JDK** (Java 21+ needed): the vthreads column is `-`")
                .append("\n");
        md.append(String.format(Locale.ROOT, "- Run: %s; each workload: %s, then %d measured"
                        + " rounds alternating sync / aiosqlite4j / vertx / vthreads%s; one JVM;"
                        + " elapsed %.0f s\n",
                quick ? "**--quick (tiny sizes: a smoke check, not a measurement)**" : "full",
                quick ? "one warm-up batch per system" : "0.6 s warm-up per system (3 s for the first workload, which also warms the JIT)", rounds,
                quick ? " (one batch each)" : " (>= 0.3 s of timed batches each)", seconds));
        md.append("- aiosqlite4j uses its defaults (completion on ForkJoinPool.commonPool(), parallelism ")
                .append(java.util.concurrent.ForkJoinPool.getCommonPoolParallelism())
                .append(" here; statement cache 128, DEFERRED); each call is awaited with join()"
                        + " except in W11 and W15 (100 chains of `thenCompose`).\n");
        md.append("- Vert.x is driven from its own event loop: each batch starts on the side's event-loop"
                + " context and chains its calls with `compose`; the runner waits once per batch.\n");
        md.append("- Load average (1/5/15 min) at start: ").append(loadBefore).append("; at end: ")
                .append(loadAverage()).append('\n');
        md.append("- The machine is shared (2 vCPUs, other builds running): absolute figures are noisy;"
                + " the ratios, measured side by side in alternating rounds, are what to read. With"
                + " more runnable threads than cores, aiosqlite4j (a worker plus the completion pool)"
                + " gets a larger share of the CPU than the single sync thread, which flatters"
                + " async/sync.\n\n");

        md.append("| id | workload | sync ops/s | aiosqlite4j ops/s | vertx ops/s | vthreads ops/s"
                + " | async/sync | async/vertx | async/vthreads | spread |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Result r : results) {
            double[] ratio = r.asyncPerSync();
            md.append("| ").append(r.workload().id()).append(" | ").append(r.workload().name())
                    .append(r.busy() == null ? "" : " (BUSY: pool " + r.busy().async().busy()
                            + ", plain " + r.busy().sync().busy() + ")")
                    .append(" | ").append(ops(median(r.sync())))
                    .append(" | ").append(ops(median(r.async())))
                    .append(" | ").append(ops(median(r.vertx())))
                    .append(" | ").append(ops(median(r.vthreads())))
                    .append(" | ").append(ratio(median(ratio)))
                    .append(" | ").append(ratio(median(r.asyncPerVertx())))
                    .append(" | ").append(ratio(median(r.asyncPerVthreads())))
                    .append(" | ").append(ratio == null ? "-"
                            : ratio(min(ratio)) + "–" + ratio(max(ratio)))
                    .append(" |\n");
        }
        md.append("\nops/s: median of the rounds (W9, W12 and W13: rows/s). async/sync and async/vertx: median"
                + " of the per-round ratios. **spread: min–max of the per-round async/sync ratio.**"
                + " Variants share their id: W4–W6 `(file)` run on a temp file (fsync per commit),"
                + " W9 runs at chunk sizes 16, 64, 256, 1024. `-`: not applicable. Vert.x has no"
                + " streaming cursor on JDBC (the whole result is loaded), so it runs W9 once (at chunk"
                + " 64, loading all rows with `pool.query`) and not W13 (1M rows held at once is not"
                + " streaming).\n\n"
                + "**W15 pool_point_select**: 100 callers x 250 point selects per batch on one WAL"
                + " file, each caller a chain (the next lookup starts when the previous completed). *sync*: the"
                + " single-thread WAL floor, one platform thread doing all the lookups in a loop on"
                + " one sqlite-jdbc connection. *aiosqlite4j*: `SqlitePool` with 2 readers,"
                + " `executeFetchAll` per lookup (the `(one connection)` variant: one"
                + " `AsyncConnection`). *vthreads*: what a Java 21+ user writes instead, 100 virtual"
                + " threads, each lookup borrowing one of 2 plain sqlite-jdbc connections (1 in the"
                + " one-connection variant) from a `BlockingQueue`. *vertx*: `JDBCPool` of max size 2"
                + " (1), 100 chains x 50 lookups on its event loop.\n");
        for (Result r : results) {
            if (r.busy() != null) {
                md.append('\n').append(poolNote(r.busy()));
            }
        }
        md.append('\n');

        md.append("## Targets (issues #4 and #14)\n\n");
        md.append("| id | workload | target | measured | met |\n| --- | --- | --- | ---: | --- |\n");
        for (Result r : results) {
            Workload w = r.workload();
            if (w.target() != null) {
                double m = median(r.asyncPerSync());
                md.append(targetRow(w, w.target().group() + ": async/sync >= "
                        + ratio(w.target().min()), m, m >= w.target().min()));
            }
            if (w.vertxTarget() && r.vertx() != null) {
                double m = median(r.asyncPerVertx());
                md.append(targetRow(w, "W3-W11 against Vert.x: async/vertx >= 5", m, m >= 5));
            }
            if (w.vthreadsTarget() != null) {
                double m = median(r.asyncPerVthreads());
                md.append(targetRow(w, w.vthreadsTarget().group() + ": async/vthreads >= "
                        + ratio(w.vthreadsTarget().min()), m, m >= w.vthreadsTarget().min()));
            }
            if (hog > 0 && r.sync() != null) {
                double m = median(r.asyncPerSync());
                md.append(targetRow(w, "under the hog, every workload: async/sync >= 0.50 (#14)",
                        m, m >= 0.5));
            }
        }
        for (Result r : results) {
            if (r.busy() != null) {
                md.append("| ").append(r.workload().id()).append(" | ").append(r.workload().name())
                        .append(" | 0 BUSY errors reach the pool's callers | ")
                        .append(r.busy().async().busy()).append(" | ")
                        .append(r.busy().async().busy() == 0 ? "yes" : "**no**").append(" |\n");
            }
        }
        md.append(quick ? "\nA --quick run asserts nothing about speed: its ratios mean nothing.\n" : "");
        return md.toString();
    }

    /** The paragraph under the table that says how W14 ran and what its BUSY counts mean. */
    private String poolNote(Busy busy) {
        return String.format(Locale.ROOT, "**W14 pool_mixed**: %d writer threads (a transfer: read a"
                + " balance, two updates, a ledger insert, in one transaction) and %d reader threads"
                + " (the total, account by account and in one statement, in one transaction) on one"
                + " WAL file, each thread awaiting each future; a batch runs them for %.2f s (the"
                + " warm-up and each round: one batch). *sync ops/s* is the plain-connections"
                + " approach: one aiosqlite4j connection per thread, `transaction(body)` (DEFERRED)."
                + " *aiosqlite4j ops/s* is `SqlitePool` with its default options (1 writer, %d"
                + " readers; `transaction` and `read`). Both: WAL, busy timeout %d ms, default"
                + " synchronous. ops/s counts acknowledged operations (transfers and reads)."
                + " **BUSY errors** are operations that failed with `SQLTransientException`: not"
                + " retried, not in ops/s. Over the measured rounds:\n\n"
                + "| W14 side | operations attempted | transfers attempted | transfers acknowledged"
                + " | BUSY errors | of which on transfers | BUSY / attempted |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n%s%s\n"
                + "Any BUSY error on the pool side fails the run.\n",
                PoolMixed.WRITERS, PoolMixed.READERS, PoolMixed.runNanos(quick) / 1e9,
                PoolOptions.builder().build().readers(), PoolMixed.BUSY_TIMEOUT_MS,
                countsRow("pool (aiosqlite4j)", busy.async()),
                countsRow("plain connections (sync)", busy.sync()));
    }

    private static String countsRow(String side, Side.Counts c) {
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d | %.1f%% |\n", side,
                c.attempts(), c.writes(), c.writesAcked(), c.busy(), c.busyWrites(),
                c.attempts() == 0 ? 0.0 : 100.0 * c.busy() / c.attempts());
    }

    private static String targetRow(Workload w, String target, double measured, boolean met) {
        return "| " + w.id() + " | " + w.name() + " | " + target + " | "
                + (Double.isNaN(measured) ? "-" : ratio(measured)) + " | "
                + (Double.isNaN(measured) ? "not measured" : met ? "yes" : "**no**") + " |\n";
    }

    private static Properties versions() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Compare.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return p;
    }

    private static String driverVersion() {
        try (Connection c = Env.jdbc(":memory:")) {
            return c.getMetaData().getDriverVersion();
        } catch (Exception e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    // ---------------------------------------------------------------- numbers

    static double median(double[] values) {
        if (values == null) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** 3 significant digits: 1.99M, 290k, 48.3k, 971. */
    static String ops(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v >= 1e6) {
            return sig(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return sig(v / 1e3) + "k";
        }
        return sig(v);
    }

    private static String sig(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
