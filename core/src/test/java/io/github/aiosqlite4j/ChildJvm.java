package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: builds the command line of a child JVM that runs one of the tests' mains (with the
 * core and sqlite-jdbc on its class path), and runs it.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * The command that runs {@code main} with {@code args} in a child JVM (128 MiB heap).
     *
     * @return the command line
     */
    public static List<String> command(Class<?> main, String... args) throws Exception {
        return command(List.of(), main, args);
    }

    /**
     * Like {@link #command(Class, String...)}, with extra JVM options (system properties, or an
     * {@code -Xmx} that replaces the default heap).
     *
     * @return the command line
     */
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        List<String> cp = new ArrayList<>();
        for (Class<?> c : List.of(main, AioSqlite.class, org.sqlite.JDBC.class)) {
            cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs a child to its end, its output (stdout and stderr) going to {@code log}: kills it if it
     * has not exited within {@code waitSeconds}, then asserts that it exited by itself with status 0.
     *
     * @return the child's output
     */
    public static String run(List<String> command, Path log, long waitSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(waitSeconds, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(exited).as("the child JVM exited by itself; output:%n%s", output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
