package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash safety: a child JVM ({@link CrashChildMain}) commits batches through the async API and
 * prints each acknowledged commit; the test kills it with SIGKILL after a random number of
 * acknowledgements, reopens the file with plain JDBC and checks that every acknowledged batch is
 * there, {@code integrity_check} is ok and no batch is half-written. Several rounds on the same
 * file, so each round also recovers from the previous crash (hot journal or WAL).
 */
final class CrashSafetyTest {
    private static final String EOF = "\u0000EOF";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"DELETE", "WAL"})
    void sigkillAtRandomMoments_losesNoAcknowledgedCommit_andLeavesNothingHalfWritten(String journalMode)
            throws Exception {
        long seed = Scale.seed("CrashSafetyTest " + journalMode);
        Random random = new Random(seed);
        Path file = dir.resolve("crash-" + journalMode + ".db");
        TreeSet<Long> acknowledged = new TreeSet<>();
        int rounds = Scale.of(3, 20);
        for (int round = 0; round < rounds; round++) {
            int killAfter = 1 + random.nextInt(Scale.of(40, 150));
            String context = "journal " + journalMode + ", seed " + seed + ", round " + round
                    + ", kill after " + killAfter + " acks";
            Process child = new ProcessBuilder(ChildJvm.command(CrashChildMain.class, file.toString(),
                    journalMode, Long.toString(random.nextLong())))
                    .redirectError(dir.resolve("child-" + journalMode + "-" + round + ".err").toFile())
                    .start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (Exception e) {
                    lines.add("ERROR " + e);
                } finally {
                    lines.add(EOF);
                }
            }, "crash-child-reader");
            reader.setDaemon(true);
            reader.start();
            int acks = 0;
            boolean ended = false;
            try {
                while (acks < killAfter) {
                    String line = lines.poll(60, TimeUnit.SECONDS);
                    assertThat(line).as("%s: the child stopped answering; stderr: %s", context,
                            stderr(journalMode, round)).isNotNull().isNotEqualTo(EOF);
                    if (line.startsWith("ACK ")) {
                        acknowledged.add(Long.parseLong(line.substring(4)));
                        acks++;
                    }
                }
            } finally {
                // SIGKILL on Linux, through the handle: Process.destroyForcibly() also closes our
                // end of the child's stdout, and the ACKs still in the pipe were lost with it (a
                // child faster than this reader then showed more committed batches than
                // acknowledged ones plus the one in flight).
                child.toHandle().destroyForcibly();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(context).isTrue();
            }
            // ACKs printed before the kill landed are acknowledged too.
            while (!ended) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                assertThat(line).as(context).isNotNull();
                if (line.equals(EOF)) {
                    ended = true;
                } else if (line.startsWith("ACK ")) {
                    acknowledged.add(Long.parseLong(line.substring(4)));
                }
            }
            assertThat(child.exitValue()).as("%s: killed, not exited", context).isNotZero();
            verify(file, acknowledged, round + 1, context);
        }
        assertThat(acknowledged).as("seed %d", seed).hasSizeGreaterThanOrEqualTo(rounds);
    }

    private String stderr(String mode, int round) throws Exception {
        Path p = dir.resolve("child-" + mode + "-" + round + ".err");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** @param kills each kill may leave one committed batch whose ACK was never printed */
    private static void verify(Path file, TreeSet<Long> acknowledged, int kills, String context) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            Intact.assertIntact(s, context);
            Map<Long, Integer> declared = new HashMap<>();
            try (ResultSet rs = s.executeQuery("select id, n from batches")) {
                while (rs.next()) {
                    declared.put(rs.getLong(1), rs.getInt(2));
                }
            }
            assertThat(declared.keySet()).as("%s: every acknowledged batch is there", context)
                    .containsAll(acknowledged);
            assertThat(declared.size()).as("%s: at most the one batch in flight per kill was not acknowledged",
                    context).isLessThanOrEqualTo(acknowledged.size() + kills);
            Map<Long, List<Integer>> items = new HashMap<>();
            List<String> bad = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select batch, i, payload from items order by batch, i")) {
                while (rs.next()) {
                    long b = rs.getLong(1);
                    int i = rs.getInt(2);
                    items.computeIfAbsent(b, k -> new ArrayList<>()).add(i);
                    if (!CrashChildMain.payload(b, i).equals(rs.getString(3))) {
                        bad.add("payload of batch " + b + " item " + i);
                    }
                }
            }
            for (Map.Entry<Long, Integer> e : declared.entrySet()) {
                List<Integer> got = items.getOrDefault(e.getKey(), List.of());
                if (got.size() != e.getValue()) {
                    bad.add("batch " + e.getKey() + " has " + got.size() + " of " + e.getValue() + " items");
                }
            }
            for (Long b : items.keySet()) {
                if (!declared.containsKey(b)) {
                    bad.add("items of batch " + b + " without its batch row");
                }
            }
            assertThat(bad).as("%s: half-written data", context).isEmpty();
        }
    }
}
