package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM whose temporary directory cannot be written (a read-only container): sqlite-jdbc cannot
 * extract its native library. Every attempt to open fails through its future with the one
 * documented error, and a backup that needs a temporary file fails with a {@code SqliteError}.
 * The directories lie under a regular file, which no one (root included) can create.
 */
final class NativeLibraryTest {
    private static final long WAIT = 120;

    @TempDir
    Path dir;

    /** Runs the child and returns its RESULT lines by label: [how, class, isSqliteError, cause, message]. */
    private Map<String, String[]> run(List<String> jvmOptions, String mode) throws Exception {
        Path log = dir.resolve(mode + ".log");
        String output = ChildJvm.run(ChildJvm.command(jvmOptions, NativeLibraryChildMain.class,
                mode, dir.resolve(mode + ".db").toString()), log, WAIT);
        assertThat(output).contains("done");
        Map<String, String[]> results = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                String[] parts = line.substring(7).split("\\|", 6);
                results.put(parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
            }
        }
        return results;
    }

    private Path unusable() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        return file.resolve("tmp");
    }

    @Test
    void nativeLibraryNotLoadable_everyOpenFailsWithTheDocumentedError() throws Exception {
        Path tmp = unusable();
        Map<String, String[]> results = run(List.of("-Djava.io.tmpdir=" + tmp,
                "-Dorg.sqlite.tmpdir=" + tmp), "open");
        assertThat(results).containsOnlyKeys("connect1", "connect2", "pool", "version");
        for (String label : List.of("connect1", "connect2", "pool")) {
            String[] r = results.get(label);
            assertThat(r[0]).as(label + ": failed through the future, nothing thrown").isEqualTo("future");
            assertThat(Class.forName(r[1])).as(label)
                    .isAssignableTo(java.sql.SQLNonTransientConnectionException.class);
            assertThat(r[2]).as(label + " is a SqliteError").isEqualTo("true");
            assertThat(r[3]).as(label + ": sqlite-jdbc's reason is the cause").startsWith("org.sqlite.");
            assertThat(r[4]).as(label).contains("native SQLite library", "org.sqlite.tmpdir",
                    tmp.toString());
        }
        String[] version = results.get("version");
        assertThat(version[0]).isEqualTo("thrown");
        assertThat(version[1]).isEqualTo(IllegalStateException.class.getName());
        assertThat(version[4]).contains("org.sqlite.tmpdir");
    }

    @Test
    void backupWithoutATemporaryDirectory_failsWithASqliteError() throws Exception {
        Path sqliteTmp = Files.createDirectory(dir.resolve("sqlite-tmp"));
        // (the native library's backup needs no temporary file: this is the fallback's)
        Map<String, String[]> results = run(List.of("-Djava.io.tmpdir=" + unusable(),
                "-Dorg.sqlite.tmpdir=" + sqliteTmp, "-Daiosqlite4j.native=false"), "backup");
        String[] backup = results.get("backup");
        assertThat(backup[0]).isEqualTo("future");
        assertThat(Class.forName(backup[1])).isAssignableTo(java.sql.SQLException.class);
        assertThat(backup[2]).as("a SqliteError").isEqualTo("true");
        assertThat(backup[3]).startsWith("java.nio.file.");
        assertThat(backup[4]).contains("cannot create a temporary file for the backup");
    }
}
