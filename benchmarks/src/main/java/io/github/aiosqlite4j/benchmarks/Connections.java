package io.github.aiosqlite4j.benchmarks;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Autocommit;
import io.github.aiosqlite4j.SqliteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What 1,000 open connections cost (issue 14): resident memory and threads of the process, per
 * connection, for plain sqlite-jdbc and for aiosqlite4j, right after each connection ran one query
 * and again once they have been idle past aiosqlite4j's worker keep-alive; and the time to open
 * one. Each side runs in its own child JVM (same flags), so that neither sees the other's memory;
 * the figures are deltas from the child's own baseline (the driver loaded, one connection opened
 * and closed). Writes {@code results/connections.md}.
 *
 * <p>Run: {@code java -cp target/classes:$(cat target/classpath.txt)
 * io.github.aiosqlite4j.benchmarks.Connections [count]}.
 */
public final class Connections {
    /** The keep-alive the aiosqlite4j side is configured with, so that the run stays short. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

    private Connections() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            return;
        }
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Path dir = Files.createTempDirectory("aiosqlite4j-connections");
        String load = loadAverage();
        StringBuilder md = new StringBuilder("# 1,000 open connections\n\n");
        md.append(String.format(Locale.ROOT, "Java %s, %d CPUs; load average at start: %s. %,d"
                + " connections to one WAL file, each ran `select count(*) from t` once; each side"
                + " in its own child JVM (`-Xms256m -Xmx256m`), figures per connection, from the"
                + " child's baseline. aiosqlite4j: `workerKeepAlive` %d s; \"idle\" is measured"
                + " %d s after the last query.%n%n", Runtime.version(), Runtime.getRuntime()
                .availableProcessors(), load, count, KEEP_ALIVE.toSeconds(), 2 * KEEP_ALIVE.toSeconds()));
        md.append("| side | open, µs per connection | RSS after a query, KiB per connection"
                + " | threads after a query | RSS idle, KiB per connection | threads idle |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (String side : new String[] {"sqlite-jdbc", "aiosqlite4j"}) {
            Path db = dir.resolve(side + ".db");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms256m", "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Connections.class.getName(),
                    "child", side, Integer.toString(count), db.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(side + " failed: " + line);
            }
            md.append("| ").append(side).append(" | ").append(line).append(" |\n");
            System.out.println(side + ": " + line);
        }
        md.append(String.format(Locale.ROOT, "%nLoad average at the end: %s.%n", loadAverage()));
        Path out = Path.of("results", "connections.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** One side: prints "open µs | RSS KiB | threads | idle RSS KiB | idle threads" per connection. */
    private static void child(String side, int count, Path file) throws Exception {
        String url = "jdbc:sqlite:" + file;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("pragma journal_mode = wal");
            s.execute("create table t (x integer)");
            s.execute("insert into t values (1), (2), (3)");
        }
        boolean aio = side.equals("aiosqlite4j");
        SqliteConfig config = SqliteConfig.builder(file.toString()).autocommit(Autocommit.ON)
                .workerKeepAlive(KEEP_ALIVE).build();
        if (aio) { // baseline: the classes loaded, one connection opened and closed
            AioSqlite.connect(config).join().close();
        }
        System.gc();
        long rss0 = status("VmRSS:");
        long threads0 = status("Threads:");
        List<AutoCloseable> open = new ArrayList<>(count);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            open.add(aio ? AioSqlite.connect(config).join() : DriverManager.getConnection(url));
        }
        long openNanos = System.nanoTime() - t0;
        List<CompletableFuture<?>> queries = new ArrayList<>(count);
        for (AutoCloseable c : open) {
            if (aio) {
                queries.add(((AsyncConnection) c).executeFetchAll("select count(*) from t"));
            } else {
                try (Statement s = ((Connection) c).createStatement();
                        ResultSet rs = s.executeQuery("select count(*) from t")) {
                    rs.next();
                }
            }
        }
        for (CompletableFuture<?> q : queries) {
            q.join();
        }
        System.gc();
        long rss1 = status("VmRSS:");
        long threads1 = status("Threads:");
        TimeUnit.MILLISECONDS.sleep(2 * KEEP_ALIVE.toMillis()); // a benchmark: idle on purpose
        System.gc();
        long rss2 = status("VmRSS:");
        long threads2 = status("Threads:");
        System.out.printf(Locale.ROOT, "%.0f | %.0f | %d | %.0f | %d%n", openNanos / 1e3 / count,
                (rss1 - rss0) / (double) count, threads1 - threads0, (rss2 - rss0) / (double) count,
                threads2 - threads0);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** {@return a number from /proc/self/status (VmRSS in KiB, Threads)} */
    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no " + key + " in /proc/self/status");
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
