package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loadExtension(path, entryPoint)}, Python 3.12's {@code load_extension(path,
 * entrypoint=...)}, against a real shared library built here with {@code gcc} (which this test
 * needs on the PATH). The library has two entry points told apart by their result: SQLite's
 * default one, {@code sqlite3_extension_init}, fails; {@code aiosqlite4j_test_init} succeeds. It
 * calls no SQLite routine, so it needs no SQLite header.
 */
final class LoadExtensionTest {
    private static final String SOURCE = String.join("\n",
            "int sqlite3_extension_init(void *db, char **error, const void *api) {",
            "    (void) db; (void) error; (void) api;",
            "    return 1; /* SQLITE_ERROR */",
            "}",
            "int aiosqlite4j_test_init(void *db, char **error, const void *api) {",
            "    (void) db; (void) error; (void) api;",
            "    return 0; /* SQLITE_OK */",
            "}",
            "");

    @TempDir
    static Path dir;
    private static String library;

    @BeforeAll
    static void buildLibrary() throws Exception {
        Path source = Files.writeString(dir.resolve("twoentries.c"), SOURCE);
        Path lib = dir.resolve("libtwoentries.so");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", lib.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("LoadExtensionTest needs gcc on the PATH to build its test"
                    + " extension: " + e.getMessage(), e);
        }
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor(120, TimeUnit.SECONDS)).as("gcc ended").isTrue();
        assertThat(gcc.exitValue()).as("gcc failed: %s", output).isZero();
        library = lib.toString();
    }

    private static AsyncConnection open() throws Exception {
        return AioSqlite.connect(SqliteConfig.builder(":memory:").loadExtensionEnabled(true).build())
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void entryPoint_isTheFunctionSqliteCalls() throws Exception {
        try (AsyncConnection db = open()) {
            db.loadExtension(library, "aiosqlite4j_test_init").get(30, TimeUnit.SECONDS);
            // the same library through the default entry point, whose init fails
            assertThat(failure(db.loadExtension(library)))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("error during initialization");
            assertThat(failure(db.loadExtension(library, null)))
                    .hasMessageContaining("error during initialization");
            assertThat(db.executeFetchAll("select 1").get(30, TimeUnit.SECONDS).get(0).getLong(0))
                    .isEqualTo(1L);
        }
    }

    @Test
    void missingEntryPoint_failsNamingIt() throws Exception {
        try (AsyncConnection db = open()) {
            Throwable error = failure(db.loadExtension(library, "no_such_init"));
            assertThat(error).isInstanceOf(SQLException.class).isInstanceOf(SqliteError.class);
            // SQLite's own text names it (on Linux: "<path>: undefined symbol: no_such_init"),
            // not only the statement aiosqlite4j appends after " [SQL: "
            assertThat(error.getMessage().substring(0, error.getMessage().indexOf(" [SQL: ")))
                    .contains(library).contains("no_such_init");
            // the connection stays usable, and a good entry point still loads
            db.loadExtension(library, "aiosqlite4j_test_init").get(30, TimeUnit.SECONDS);
            assertThat(db.executeFetchAll("select 2").get(30, TimeUnit.SECONDS).get(0).getLong(0))
                    .isEqualTo(2L);
        }
    }

    @Test
    void entryPoint_stillNeedsExtensionLoadingEnabled() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(30, TimeUnit.SECONDS)) {
            assertThat(failure(db.loadExtension(library, "aiosqlite4j_test_init")))
                    .isInstanceOf(java.sql.SQLNonTransientException.class)
                    .hasMessageContaining("not authorized");
            assertThatThrownBy(() -> db.loadExtension(null, "aiosqlite4j_test_init"))
                    .isInstanceOf(NullPointerException.class);
            assertThat(db.executeFetchAll("select 3").get(30, TimeUnit.SECONDS))
                    .extracting(r -> r.getLong(0)).isEqualTo(List.of(3L));
        }
    }
}
