package io.github.aiosqlite4j.benchmarks.bootload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Issue 17's yardstick: the Spring Boot example app (WebFlux + Spring Data R2DBC, {@code
 * pool=true}) beside its JDBC twin (Spring MVC + JdbcTemplate + HikariCP + sqlite-jdbc), each in a
 * child JVM of its own (same JDK, same heap flags) on a fresh database, alternating round by
 * round. Each round: start, wait until it answers, warm up, run the clients ({@link Clients}),
 * look every acknowledged write up, stop. Writes a Markdown table; exits 1 if any response was
 * wrong or any acknowledged write is missing.
 *
 * <pre>
 * java -cp target/classes io.github.aiosqlite4j.benchmarks.bootload.BootLoad --root ../..
 *     [--full | --smoke] [--rounds N] [--requests N] [--clients N] [--warmup N]
 *     [--apps r2dbc,jdbc] [--jfr] [--threads] [--java-opt OPT]... [--r2dbc-arg ARG]...
 *     [--b-opt JVMOPT]... [--b-jar JAR=OTHERJAR]... (with --apps r2dbc,r2dbc-b: an A/B of the
 *     R2DBC app: JVM flags added, jars of its class path replaced) [--name FILE]
 * </pre>
 */
public final class BootLoad {

    /** One application: how to start it. */
    record App(String name, String label, Path module, String mainClass, List<String> args, List<String> jvmArgs,
            Map<String, String> swaps) {

        List<String> classpath() throws IOException {
            Path cpFile = this.module.resolve("target/classpath.txt");
            if (!Files.exists(cpFile)) {
                throw new IllegalStateException(cpFile + " is missing: build with the command in"
                        + " benchmarks/README.md (it packages both apps first)");
            }
            List<String> cp = new ArrayList<>();
            cp.add(this.module.resolve("target/classes").toString());
            String deps = Files.readString(cpFile).trim();
            for (var swap : this.swaps.entrySet()) {
                deps = deps.replace(swap.getKey(), swap.getValue());
            }
            cp.add(deps);
            return cp;
        }
    }

    /** The outcome of one round of one app. */
    record Round(String app, int round, Clients.Result result, long lost, double cpuMicrosPerRequest,
            double loadBefore, double loadAfter) {}

    private BootLoad() {}

    /**
     * Runs the comparison.
     *
     * @param argv see the class comment
     * @throws Exception on a failure to start an app or to write the result
     */
    public static void main(String[] argv) throws Exception {
        Path root = Path.of(".");
        Path out = null;
        int rounds = 3;
        int requests = 20_000;
        int clients = 50;
        int warmup = 4_000;
        boolean smoke = false;
        boolean jfr = false;
        boolean threads = false;
        String name = null;
        List<String> apps = List.of("r2dbc", "jdbc");
        List<String> javaOpts = new ArrayList<>();
        List<String> r2dbcArgs = new ArrayList<>();
        List<String> bOpts = new ArrayList<>();
        Map<String, String> bSwaps = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--root" -> root = Path.of(argv[++i]);
                case "--out" -> out = Path.of(argv[++i]);
                case "--rounds" -> rounds = Integer.parseInt(argv[++i]);
                case "--requests" -> requests = Integer.parseInt(argv[++i]);
                case "--clients" -> clients = Integer.parseInt(argv[++i]);
                case "--warmup" -> warmup = Integer.parseInt(argv[++i]);
                case "--apps" -> apps = List.of(argv[++i].split(","));
                case "--jfr" -> jfr = true;
                case "--threads" -> threads = true;
                case "--name" -> name = argv[++i];
                case "--java-opt" -> javaOpts.add(argv[++i]);
                case "--r2dbc-arg" -> r2dbcArgs.add(argv[++i]);
                case "--b-opt" -> bOpts.add(argv[++i]);
                case "--b-jar" -> {
                    String[] swap = argv[++i].split("=", 2);
                    bSwaps.put(swap[0], swap[1]);
                }
                case "--full" -> smoke = false;
                case "--smoke" -> {
                    smoke = true;
                    rounds = 1;
                    requests = 400;
                    clients = 10;
                    warmup = 100;
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        root = root.toAbsolutePath().normalize();
        out = out == null ? root.resolve("benchmarks/results") : out.toAbsolutePath();
        if (name == null) {
            name = smoke ? "boot-smoke.md" : "boot.md";
        }
        javaOpts.removeIf(o -> o.isBlank() || o.equals("-Xshare:auto"));

        Map<String, App> known = new LinkedHashMap<>();
        known.put("r2dbc", new App("r2dbc", "WebFlux + Spring Data R2DBC, `pool=true`",
                root.resolve("examples/spring-boot"), "io.github.aiosqlite4j.examples.boot.ExampleApplication",
                r2dbcArgs, List.of(), Map.of()));
        // An A/B variant of the R2DBC app: the same with --b-opt JVM flags (system properties).
        known.put("r2dbc-b", new App("r2dbc-b", "the R2DBC app with " + bOpts + " " + bSwaps, root.resolve("examples/spring-boot"),
                "io.github.aiosqlite4j.examples.boot.ExampleApplication", r2dbcArgs, bOpts, bSwaps));
        known.put("jdbc", new App("jdbc", "Spring MVC + JdbcTemplate + HikariCP + sqlite-jdbc",
                root.resolve("benchmarks/boot-jdbc"), "io.github.aiosqlite4j.benchmarks.bootjdbc.JdbcExampleApplication",
                List.of(), List.of(), Map.of()));
        List<App> chosen = new ArrayList<>();
        for (String a : apps) {
            App app = known.get(a.trim());
            if (app == null) {
                throw new IllegalArgumentException("unknown app " + a + "; known: " + known.keySet());
            }
            chosen.add(app);
        }

        double loadStart = loadAverage();
        Instant started = Instant.now();
        System.out.printf(Locale.ROOT, "boot-load: %d round(s) x %s, %d clients, %d requests (warm-up %d), load %.2f%n",
                rounds, apps, clients, requests, warmup, loadStart);
        List<Round> results = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            for (App app : chosen) {
                Round round = runRound(app, r, clients, requests, warmup, javaOpts,
                        jfr ? out.resolve("boot-" + app.name() + "-" + r + ".jfr") : null, out, threads);
                results.add(round);
                Clients.Result res = round.result();
                System.out.printf(Locale.ROOT, "  %-7s round %d: %5.0f req/s  p50 %6.1f ms  p99 %6.1f ms"
                        + "  POST p50 %6.1f p99 %6.1f  app CPU %5.0f us/req  errors %d  lost %d  (load %.2f)%n",
                        app.name(), r, res.throughput(), res.percentile(50) / 1e6, res.percentile(99) / 1e6,
                        res.postPercentile(50) / 1e6, res.postPercentile(99) / 1e6,
                        round.cpuMicrosPerRequest(), res.errors(), round.lost(), round.loadAfter());
                res.firstErrors().forEach(e -> System.out.println("    " + e));
            }
        }
        double loadEnd = loadAverage();
        String md = markdown(chosen, results, clients, requests, warmup, smoke, javaOpts, loadStart, loadEnd,
                java.time.Duration.between(started, Instant.now()));
        Files.createDirectories(out);
        Files.writeString(out.resolve(name), md);
        System.out.println(md);
        System.out.println("wrote " + out.resolve(name));
        boolean failed = results.stream().anyMatch(r -> r.result().errors() > 0 || r.lost() > 0);
        if (failed) {
            System.err.println("boot-load: FAILED: errors or lost writes (see above)");
            System.exit(1);
        }
    }

    private static Round runRound(App app, int round, int clients, int requests, int warmup,
            List<String> javaOpts, Path jfr, Path out, boolean threads) throws Exception {
        Path dir = Files.createTempDirectory("boot-load-" + app.name());
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xms512m", "-Xmx512m"));
        cmd.addAll(javaOpts);
        cmd.addAll(app.jvmArgs());
        if (jfr != null) {
            Files.createDirectories(jfr.getParent());
            cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
        }
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, app.classpath()));
        cmd.add(app.mainClass());
        cmd.add("--server.port=" + port);
        cmd.addAll(app.args());
        Path log = dir.resolve("app.log");
        // The working directory is the fresh one: both apps open "app.db" there, as configured.
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            Clients.awaitReady(port, p, 180, () -> tail(log));
            double loadBefore = loadAverage();
            Clients load = new Clients(port, clients);
            Clients.Result warm = load.run(warmup, "w" + round);
            if (warm.errors() > 0) {
                System.out.println("  warm-up errors: " + warm.firstErrors());
            }
            load.resetErrors();
            long cpu0 = cpuNanos(p);
            Map<String, Long> threads0 = threads ? threadTicks(p.pid()) : Map.of();
            Clients.Result res = load.run(requests, "r" + round);
            double cpuPerRequest = (cpuNanos(p) - cpu0) / 1e3 / requests;
            if (threads) {
                printThreads(threads0, threadTicks(p.pid()));
            }
            long lost = load.lookUpAcknowledged();
            double loadAfter = loadAverage();
            if (res.errors() + warm.errors() + lost > 0) {
                Path kept = out.resolve("boot-" + app.name() + "-" + round + ".log");
                Files.createDirectories(out);
                Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.out.println("  errors: the app's log is kept in " + kept);
            }
            return new Round(app.name(), round,
                    res.withErrors(res.errors() + warm.errors()), lost, cpuPerRequest, loadBefore, loadAfter);
        } catch (Exception | AssertionError e) {
            System.err.println("---- " + app.name() + " log (tail) ----\n" + tail(log));
            throw e;
        } finally {
            p.destroy(); // SIGTERM: Boot shuts down, JFR dumps
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            deleteTree(dir);
        }
    }

    private static String markdown(List<App> apps, List<Round> results, int clients, int requests,
            int warmup, boolean smoke, List<String> javaOpts, double loadStart, double loadEnd,
            java.time.Duration took) {
        StringBuilder b = new StringBuilder();
        b.append("# Spring Boot yardstick (issue 17)").append(smoke ? ": smoke run (correctness only)" : "")
                .append("\n\n");
        b.append(String.format(Locale.ROOT, "%d concurrent HTTP/1.1 keep-alive clients, %d requests per"
                + " round after a warm-up of %d, each app in its own JVM (`-Xms512m -Xmx512m%s`) on a fresh"
                + " database, rounds alternating. Mix: 25%% `POST /items` (a `@Transactional` item + audit"
                + " insert), 50%% `GET /items/{id}` (a write of the same client), 25%% `GET"
                + " /items?page=&size=20` (pages 0-4). Every response checked; then every acknowledged"
                + " write (warm-up and measured) is looked up.%n%n",
                clients, requests, warmup, javaOpts.isEmpty() ? "" : " " + String.join(" ", javaOpts)));
        b.append(String.format(Locale.ROOT, "JDK %s (%s), %d cores, load average %.2f at start, %.2f at end,"
                + " %d s in all; %s.%n%n", System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), loadStart, loadEnd, took.toSeconds(), Instant.now()));
        b.append("| app | round | req/s | p50 ms | p99 ms | POST p50 / p99 ms | app CPU µs/req | errors | lost writes"
                + " | load before/after |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Round r : results) {
            Clients.Result res = r.result();
            b.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.1f / %.1f | %.0f | %d | %d"
                    + " | %.2f / %.2f |%n",
                    r.app(), r.round(), res.throughput(), res.percentile(50) / 1e6, res.percentile(99) / 1e6,
                    res.postPercentile(50) / 1e6, res.postPercentile(99) / 1e6, r.cpuMicrosPerRequest(), res.errors(), r.lost(), r.loadBefore(), r.loadAfter()));
        }
        b.append("\nMedians over the rounds:\n\n");
        b.append("| app | req/s | p50 ms | p99 ms | app CPU µs/req | errors (all rounds) | lost writes (all rounds) |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (App app : apps) {
            List<Round> mine = results.stream().filter(r -> r.app().equals(app.name())).toList();
            b.append(String.format(Locale.ROOT, "| %s: %s | %.0f | %.1f | %.1f | %.0f | %d | %d |%n", app.name(),
                    app.label(),
                    median(mine, r -> r.result().throughput()),
                    median(mine, r -> r.result().percentile(50) / 1e6),
                    median(mine, r -> r.result().percentile(99) / 1e6),
                    median(mine, Round::cpuMicrosPerRequest),
                    mine.stream().mapToLong(r -> r.result().errors()).sum(),
                    mine.stream().mapToLong(Round::lost).sum()));
        }
        return b.toString();
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
        double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * CPU ticks (user + system, 1/100 s) of the app's threads from /proc, summed by thread name with
     * digits folded ({@code reactor-http-epoll-N}); empty where /proc is missing.
     */
    private static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> ticks = new java.util.TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close).replaceAll("\\d+", "N");
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return ticks;
    }

    private static void printThreads(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        Map<String, Long> delta = new java.util.TreeMap<>();
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                delta.put(e.getKey(), d);
                total += d;
            }
        }
        long all = total;
        System.out.println("    app CPU by thread (measured run, 1/100 s):");
        delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf(Locale.ROOT, "      %6d %5.1f%% %s%n", e.getValue(),
                        e.getValue() * 100.0 / all, e.getKey()));
    }

    /** The CPU time the app's JVM has used so far (all its threads), or 0 if the OS does not say. */
    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** The 1-minute load average, or -1 where /proc/loadavg is missing. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** Runs tasks on a fixed number of threads and waits for all. */
    static <T> List<T> parallel(int threads, List<java.util.concurrent.Callable<T>> tasks) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (var t : tasks) {
                fs.add(ex.submit(t));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            ex.shutdownNow();
        }
    }

    static long[] concat(List<long[]> parts) {
        long[] all = new long[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (long[] a : parts) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        Arrays.sort(all);
        return all;
    }
}
