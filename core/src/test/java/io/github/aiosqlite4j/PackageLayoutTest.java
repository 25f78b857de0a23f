package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the direction of the dependencies between the internal packages (docs/architecture.md,
 * "Packages"): the worker ({@code internal}) runs the engine, never the other way round, and SQL
 * text needs nothing else of ours. Reads the compiled classes' constant pools, so a reference in a
 * comment does not count and one in a signature or a method body does.
 */
final class PackageLayoutTest {
    private static final Pattern OURS =
            Pattern.compile("io/github/aiosqlite4j/((?:[a-z]+/)*)[A-Z]");

    @Test
    void theEngineUsesNeitherTheWorkerNorThePool() throws Exception {
        assertThat(packagesUsedBy("internal/engine/"))
                .isSubsetOf("", "internal/engine/", "internal/sql/", "internal/nativelib/");
    }

    @Test
    void liveQueriesUseNeitherTheWorkerNorThePool() throws Exception {
        assertThat(packagesUsedBy("internal/live/")).isSubsetOf(
                "", "internal/live/", "internal/engine/", "internal/sql/", "internal/nativelib/");
    }

    @Test
    void sqlTextUsesNothingElseOfOurs() throws Exception {
        assertThat(packagesUsedBy("internal/sql/")).isSubsetOf("internal/sql/");
    }

    /**
     * @return the packages the classes of {@code pkg} refer to, as paths below
     *     io/github/aiosqlite4j/ ("" for the API)
     */
    private static Set<String> packagesUsedBy(String pkg) throws Exception {
        Path classes = Path.of(
                AioSqlite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.resolve("io/github/aiosqlite4j/" + pkg);
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                try {
                    Matcher m = OURS.matcher(
                            new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        assertThat(used).as("classes of " + pkg).contains(pkg);
        return used;
    }
}
