package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native library's extraction directories: a JVM that died without its exit hooks leaves
 * its directory, and the next JVM that loads the library deletes it, but never a living JVM's,
 * nor one just created.
 */
final class StaleExtractionTest {
    @TempDir
    Path dir;

    private List<String> command(String mode) throws Exception {
        return ChildJvm.command(List.of("-Dorg.sqlite.tmpdir=" + dir.resolve("tmp")), StaleLibraryMain.class, mode);
    }

    private static Path extractedDir(String output) {
        Matcher m = Pattern.compile("dir (\\S+)").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return Path.of(m.group(1));
    }

    /** Ages a path as if it were two minutes old (past NativeLibrary's grace). */
    private static void age(Path p) throws Exception {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(120)));
    }

    @Test
    void aDeadJvmsDirectory_isDeletedByTheNextJvm_aLiveOnesIsNot() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Path halted = extractedDir(ChildJvm.run(command("halt"), dir.resolve("halt.log"), 120));
        assertThat(halted).as("a halted JVM leaves its directory").isDirectory();
        assertThat(halted.resolve(".lock")).exists();
        age(halted.resolve(".lock"));

        Process live = new ProcessBuilder(command("wait")).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(live.getInputStream(), StandardCharsets.UTF_8));
            Path living = extractedDir(out.readLine());
            age(living.resolve(".lock"));
            Path oldUnlocked = Files.createDirectory(dir.resolve("tmp/aiosqlite4j-old"));
            age(oldUnlocked);
            Path newUnlocked = Files.createDirectory(dir.resolve("tmp/aiosqlite4j-new"));
            Path freshLocked = Files.createDirectory(dir.resolve("tmp/aiosqlite4j-fresh"));
            Files.createFile(freshLocked.resolve(".lock")); // being created: not locked yet, but young
            Path other = Files.createDirectory(dir.resolve("tmp/not-ours"));
            age(other);

            Path next = extractedDir(ChildJvm.run(command("exit"), dir.resolve("exit.log"), 120));

            assertThat(halted).as("the dead JVM's directory").doesNotExist();
            assertThat(oldUnlocked).as("an old directory without a lock").doesNotExist();
            assertThat(living).as("the living JVM's directory").isDirectory();
            assertThat(living.resolve("libaiosqlite4j.so")).exists();
            assertThat(newUnlocked).as("a young directory without a lock").isDirectory();
            assertThat(freshLocked).as("a young directory with an unlocked lock file").isDirectory();
            assertThat(other).as("not ours").isDirectory();
            assertThat(next).as("deleted at its normal exit").doesNotExist();
        } finally {
            live.getOutputStream().close();
            assertThat(live.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(live.exitValue()).isZero();
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("aiosqlite4j-new", "aiosqlite4j-fresh", "not-ours");
        }
    }
}
