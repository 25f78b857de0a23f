package io.github.aiosqlite4j;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that each run against a fresh {@code ":memory:"} connection: {@link #db} is
 * opened before every test (before the subclass's own {@code @BeforeEach}) and closed after it.
 */
abstract class MemoryDatabaseTest {
    /** How long a test waits for a future it expects to complete. */
    static final Duration WAIT = Duration.ofSeconds(30);
    AsyncConnection db;

    @BeforeEach
    final void openMemoryDatabase() throws Exception {
        db = AioSqlite.connect(":memory:").get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    final void closeMemoryDatabase() {
        db.close();
    }
}
