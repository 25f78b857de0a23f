package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Rows are fetched in chunks on demand; cancelling stops the statement and frees the cursor. */
final class BackpressureTest {

    /** Never ends: counts upward until interrupted. */
    private static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1"
            + " FROM c) SELECT max(started(x)) FROM c";

    private Connection connection;
    private final AtomicInteger ticks = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        Path file = Db.tempFile();
        connection = Db.open(Db.factory(file));
        Db.update(connection, "CREATE TABLE t(x INTEGER); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
                + " SELECT x + 1 FROM c WHERE x < 1000) INSERT INTO t SELECT x FROM c");
        Db.core(connection).createFunction("tick", 1, args -> {
            ticks.incrementAndGet();
            return args[0];
        }, false).join();
        Db.core(connection).createFunction("started", 1, args -> {
            started.countDown();
            return args[0];
        }, false).join();
    }

    @AfterEach
    void tearDown() {
        Db.close(connection);
    }

    @Test
    void rows_areFetchedInChunksOfTheFetchSize_onlyAsRequested() {
        Flux<Integer> rows = Flux.from(connection.createStatement("SELECT tick(x) AS v FROM t")
                        .fetchSize(10).execute())
                .concatMap(r -> r.map((row, md) -> row.get(0, Integer.class)));
        StepVerifier.create(rows, 0)
                .thenRequest(3)
                .expectNext(1, 2, 3)
                .then(() -> assertThat(ticks.get()).as("rows evaluated after 3 requested")
                        .isBetween(3, 20))
                .thenRequest(10)
                .expectNextCount(10)
                .thenCancel()
                .verify(Db.GUARD);
        assertThat(ticks.get()).as("rows evaluated in all").isLessThan(100);
        // The cancelled cursor was closed: its table can be dropped (an open statement would lock it).
        assertThat(Db.update(connection, "DROP TABLE t")).containsExactly(0L);
    }

    @Test
    void rows_allArriveWhenAllAreRequested() {
        Long sum = Flux.from(connection.createStatement("SELECT x FROM t").fetchSize(7).execute())
                .concatMap(r -> r.map((row, md) -> row.get(0, Long.class)))
                .reduce(0L, Long::sum)
                .block(Db.GUARD);
        assertThat(sum).isEqualTo(500_500L);
    }

    @Test
    void cancel_interruptsARunningStatement_andTheConnectionStaysUsable() throws Exception {
        Disposable running = Flux.from(connection.createStatement(ENDLESS).execute())
                .concatMap(r -> r.map((row, md) -> row.get(0)))
                .subscribe(v -> { }, e -> { });
        assertThat(started.await(Db.GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
        running.dispose();
        assertThat(Db.rows(connection, "SELECT 1")).containsExactly(List.of(1));
    }

    @Test
    void statementTimeout_failsTheStatementWithR2dbcTimeoutException() {
        Mono.from(connection.setStatementTimeout(Duration.ofMillis(200))).block(Db.GUARD);
        Flux.from(connection.createStatement(ENDLESS).execute())
                .concatMap(Result::getRowsUpdated)
                .as(StepVerifier::create)
                .expectError(R2dbcTimeoutException.class)
                .verify(Db.GUARD);
        Mono.from(connection.setStatementTimeout(Duration.ZERO)).block(Db.GUARD);
        assertThat(Db.rows(connection, "SELECT 2")).containsExactly(List.of(2));
    }
}
