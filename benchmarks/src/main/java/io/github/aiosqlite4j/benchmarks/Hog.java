package io.github.aiosqlite4j.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loaded-machine mode ({@code Compare --hog N}): N separate busy-loop processes, so the
 * benchmark competes with them for the CPU as the OS scheduler sees it (threads inside the
 * benchmark's own JVM would share its safepoints and GC). Each hog is a small JVM running {@link
 * #main}; it exits when its standard input closes, so it never outlives the runner, even one killed
 * without its shutdown hooks.
 */
final class Hog implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    /**
     * Starts {@code n} busy-loop processes.
     *
     * @param n how many (0: none)
     * @throws IOException if a process cannot be started
     */
    Hog(int n) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < n; i++) {
            processes.add(new ProcessBuilder(java, "-Xmx16m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), Hog.class.getName())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start());
        }
    }

    /** {@return how many busy-loop processes run} */
    int size() {
        return processes.size();
    }

    /** Stops the processes. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    /** Spins until standard input closes (the runner ended). */
    public static void main(String[] args) throws Exception {
        Thread spin = new Thread(() -> {
            long x = 1;
            while (x != 0) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            System.out.println(x); // unreachable: xorshift never reaches 0; keeps the loop live
        }, "hog");
        spin.setDaemon(true);
        spin.start();
        while (System.in.read() >= 0) {
            // the runner never writes; read() returns -1 when it exits
        }
        System.exit(0);
    }
}
