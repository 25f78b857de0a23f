package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.SqliteConfig;
import io.r2dbc.spi.ConnectionFactories;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import org.sqlite.JDBC;
import reactor.core.publisher.Mono;

/**
 * The driver on the module path: an application module, compiled here, runs in a child JVM whose
 * module path holds the driver, the core, sqlite-jdbc, the R2DBC SPI, Reactive Streams and
 * Reactor (as built: directories or jars), with no {@code --add-modules}, and finds the driver
 * through {@code ConnectionFactories}.
 */
final class ModulePathTest {

    private static final String MAIN = """
            package app;

            import io.r2dbc.spi.Connection;
            import io.r2dbc.spi.ConnectionFactories;
            import io.r2dbc.spi.ConnectionFactory;
            import reactor.core.publisher.Mono;

            public final class Main {
                public static void main(String[] args) {
                    ConnectionFactory cf = ConnectionFactories.get("r2dbc:sqlite:///" + args[0]);
                    Object answer = Mono.usingWhen(cf.create(),
                            c -> Mono.from(c.createStatement("SELECT 40 + 2").execute())
                                    .flatMap(r -> Mono.from(r.map((row, md) -> row.get(0)))),
                            Connection::close).block();
                    System.out.println("answer=" + answer + " driver="
                            + cf.getClass().getModule().getName());
                }
            }
            """;

    /** Where the class of {@code type} was loaded from: a jar, or a classes directory. */
    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "requires io.github.aiosqlite4j.r2dbc;",
        "requires r2dbc.spi; requires reactor.core; uses io.r2dbc.spi.ConnectionFactoryProvider;"})
    void anApplicationModuleRunsAQueryWithoutAddModules(String directives, @TempDir Path dir)
            throws Exception {
        String modulePath = String.join(File.pathSeparator, location(SqliteConnectionFactory.class),
                location(SqliteConfig.class), location(JDBC.class), location(ConnectionFactories.class),
                location(Publisher.class), location(Mono.class));
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module app { " + directives + " }");
        write(src.resolve("app/Main.java"), MAIN);
        Path classes = dir.resolve("classes");
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        int compiled = javac.run(System.out, System.err, "-d", classes.toString(),
                "--module-path", modulePath, src.resolve("module-info.java").toString(),
                src.resolve("app/Main.java").toString());
        assertThat(compiled).as("the application module compiles").isZero();

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", classes + File.pathSeparator + modulePath,
                "--module", "app/app.Main", dir.resolve("test.db").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Db.GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("answer=42 driver=io.github.aiosqlite4j.r2dbc");
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
