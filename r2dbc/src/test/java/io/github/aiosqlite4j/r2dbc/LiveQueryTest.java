package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.r2dbc.spi.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The factory's live-query extension, with and without a pool. */
final class LiveQueryTest {
    @ParameterizedTest(name = "pool={0}")
    @ValueSource(booleans = {true, false})
    void aCommitThroughAConnectionReachesTheWatcher(boolean pooled) {
        Path file = Db.tempFile();
        SqliteConfig config = SqliteConfig.builder(file.toString()).journalMode(SqliteConfig.JournalMode.WAL)
                .livePollInterval(Duration.ofMillis(20)).build();
        SqliteConnectionFactory factory = SqliteConnectionFactory.builder(config)
                .pool(pooled ? PoolOptions.builder().readers(2).build() : null).build();
        try {
            Connection c = Db.open(factory);
            try {
                Db.update(c, "create table t(x)");
                CompletableFuture<List<Long>> zero = new CompletableFuture<>();
                CompletableFuture<List<List<Long>>> upToTwo = factory.watch("select count(*) from t", r -> r.getLong(0))
                        .doOnNext(zero::complete)
                        .takeUntil(l -> l.get(0) == 2)
                        .collectList().toFuture();
                assertThat(zero.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join()).containsExactly(0L);
                Db.update(c, "insert into t values (1)");
                Db.update(c, "insert into t values (2)");
                List<List<Long>> seen = upToTwo.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
                assertThat(seen.get(seen.size() - 1)).containsExactly(2L);
                assertThat(seen).allSatisfy(l -> assertThat(l.get(0)).isBetween(0L, 2L));
            } finally {
                Db.close(c);
            }
        } finally {
            factory.close().block(Db.GUARD);
        }
    }
}
