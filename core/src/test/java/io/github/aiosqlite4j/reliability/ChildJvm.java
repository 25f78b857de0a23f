package io.github.aiosqlite4j.reliability;

import io.github.aiosqlite4j.AioSqlite;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line of a child JVM that runs one of this package's mains. */
final class ChildJvm {
    private ChildJvm() {}

    static List<String> command(Class<?> main, String... args) throws Exception {
        return command(List.of(), main, args);
    }

    /** Like {@link #command(Class, String...)}, with extra JVM options (system properties). */
    static List<String> command(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
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
}
