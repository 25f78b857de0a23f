package io.github.aiosqlite4j.r2dbc;

import io.r2dbc.spi.Connection;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that each run on one connection to a fresh temporary database {@link #file}:
 * {@link #c} is opened before every test (before the subclass's own {@code @BeforeEach}) and
 * closed after it.
 */
abstract class FileConnectionTest {
    Path file;
    Connection c;

    @BeforeEach
    final void openConnection() {
        file = Db.tempFile();
        c = Db.open(Db.factory(file));
    }

    @AfterEach
    final void closeConnection() {
        Db.close(c);
    }
}
