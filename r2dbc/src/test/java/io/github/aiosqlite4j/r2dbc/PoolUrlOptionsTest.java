package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.SqlitePool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Wrapped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Pool options from the URL: {@code groupCommit} groups the pool's {@code write} bodies (reached
 * by unwrapping a pooled connection) while R2DBC statements commit on their own; {@code
 * leakDetectionThreshold} also watches the pool's leases.
 */
final class PoolUrlOptionsTest {

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void groupCommitFromTheUrl_sharesOneCommitAmongQueuedWrites() throws Exception {
        Path file = Db.tempFile();
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + file + "?pool=true&poolReaders=1&groupCommit=8");
        assertThat(cf.poolOptions().orElseThrow().groupCommit()).isEqualTo(8);
        Connection c = Db.open(cf);
        try {
            Db.update(c, "CREATE TABLE t(x INTEGER)");
            @SuppressWarnings("unchecked")
            SqlitePool pool = ((Wrapped<SqlitePool>) c).unwrap();

            // Hold the writer in one write body: three more queue behind it and share one commit.
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            long commitsBefore = pool.metrics().commits();
            CompletableFuture<Long> first = pool.write(s -> {
                writing.countDown();
                await(finish);
                return s.execute("INSERT INTO t VALUES (0)");
            });
            await(writing);
            List<CompletableFuture<Long>> queued = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int v = i;
                queued.add(pool.write(s -> s.execute("INSERT INTO t VALUES (?)", v)));
            }
            finish.countDown();
            first.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<Long> q : queued) {
                q.get(30, TimeUnit.SECONDS);
            }
            PoolMetrics m = pool.metrics();
            assertThat(m.commits() - commitsBefore).isEqualTo(2);

            // An R2DBC statement is not a write body: it commits alone, seen by the next one.
            Db.update(c, "INSERT INTO t VALUES (4)");
            assertThat(Db.rows(c, "SELECT count(*) FROM t")).containsExactly(List.of(5));
        } finally {
            Db.close(c);
            Mono.from(cf.close()).block(Db.GUARD);
        }
    }

    @Test
    void groupCommitNeedsThePoolAndANumber() {
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?groupCommit=4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupCommit needs pool=true");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?pool=true&groupCommit=many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupCommit");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?pool=true&groupCommit=0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupCommit");
    }

    @Test
    void theLeakThreshold_isAlsoThePoolsLeaseThreshold() {
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///x.db?pool=true&leakDetectionThreshold=PT5S");
        assertThat(cf.poolOptions().orElseThrow().leakDetectionThreshold())
                .isEqualTo(java.time.Duration.ofSeconds(5));
    }
}
