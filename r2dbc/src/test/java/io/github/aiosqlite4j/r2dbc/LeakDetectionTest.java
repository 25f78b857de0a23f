package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.SqliteConfig;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** A connection left open past leakDetectionThreshold is reported once, with where it was acquired. */
final class LeakDetectionTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "&pool=true"})
    void aConnectionOpenPastTheThreshold_isReportedWithItsAcquisitionStack(String pool) throws Exception {
        Path file = Db.tempFile();
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite:///"
                + file + "?journalMode=WAL&leakDetectionThreshold=PT0.2S" + pool);
        Logger logger = Logger.getLogger(SqliteConnectionFactory.LEAK_LOGGER);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
                reported.countDown();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        Connection closed = Db.open(cf);
        Connection leaked = null;
        try {
            Db.close(closed); // closed in time: its check, which runs first, reports nothing
            leaked = Db.open(cf);
            assertThat(reported.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(records).hasSize(1);
            LogRecord r = records.get(0);
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("Possible connection leak").contains(file.toString())
                    .contains("PT0.2S");
            assertThat(Arrays.stream(r.getThrown().getStackTrace()))
                    .anyMatch(e -> e.getClassName().equals(LeakDetectionTest.class.getName()));
        } finally {
            logger.removeHandler(handler);
            if (leaked != null) {
                Db.close(leaked);
            }
            Mono.from(cf.close()).block(Db.GUARD);
        }
    }

    @Test
    void aThresholdMustBePositive() {
        SqliteConnectionFactory.Builder b = SqliteConnectionFactory.builder(SqliteConfig.builder("x.db").build());
        assertThatThrownBy(() -> b.leakDetectionThreshold(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leakDetectionThreshold");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?leakDetectionThreshold=soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leakDetectionThreshold");
    }
}
