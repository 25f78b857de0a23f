package io.github.aiosqlite4j.portability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The portability suite on aiosqlite4j: a temporary file, the pool as an application runs it. */
final class SqlitePortabilityTest extends PortabilityContract {

    private Path dir;

    @Override
    String url() {
        try {
            dir = Files.createTempDirectory("aiosqlite4j-portability");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "r2dbc:sqlite:///" + dir.resolve("app.db") + "?pool=true";
    }

    @Override
    void afterClose() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
