package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.SqlitePool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcNonTransientException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.Wrapped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The factory's pool mode: statements routed to readers or the writer, transactions holding the writer. */
final class PoolRoutingTest {

    private Path file;
    private SqliteConnectionFactory factory;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void setUp() {
        file = Db.tempFile();
        factory = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + file + "?pool=true&poolReaders=2&busyTimeout=PT30S");
        Connection c = open();
        Db.update(c, "CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
        Db.update(c, "INSERT INTO account VALUES (1, 100), (2, 100), (3, 100), (4, 100)");
    }

    @AfterEach
    void tearDown() {
        for (Connection c : connections) {
            Db.close(c);
        }
        Mono.from(factory.close()).block(Db.GUARD);
    }

    private Connection open() {
        Connection c = Db.open(factory);
        connections.add(c);
        return c;
    }

    private static <T> T block(org.reactivestreams.Publisher<T> p) {
        return Mono.from(p).block(Db.GUARD);
    }

    private static Throwable failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, the future completed normally");
    }

    /** Runs an update; the future completes with its counts (cancelling it cancels the update). */
    private static CompletableFuture<List<Long>> updateLater(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.getRowsUpdated())
                .collectList().toFuture();
    }

    private static long balance(Connection c, int id) {
        return ((Number) Db.rows(c, "SELECT balance FROM account WHERE id = " + id).get(0).get(0)).longValue();
    }

    private static long total(Connection c) {
        return ((Number) Db.rows(c, "SELECT sum(balance) FROM account").get(0).get(0)).longValue();
    }

    /** The first column of every row, as long. */
    private static List<Long> longs(Connection c, String sql) {
        return Db.query(c.createStatement(sql), row -> ((Number) row.get(0)).longValue());
    }

    private SqlitePool pool(Connection c) {
        @SuppressWarnings("unchecked")
        SqlitePool pool = ((Wrapped<SqlitePool>) c).unwrap();
        return pool;
    }

    @Test
    void connectionsShareOnePoolAndReadsRunOnReaders() {
        Connection a = open();
        Connection b = open();
        SqlitePool pool = pool(a);
        assertThat(pool(b)).isSameAs(pool);
        assertThat(pool.metrics().readers()).isEqualTo(2);
        long readsBefore = pool.metrics().reads();
        assertThat(total(a)).isEqualTo(400);
        assertThat(Db.update(b, "UPDATE account SET balance = balance + 1 WHERE id = 1")).containsExactly(1L);
        assertThat(balance(a, 1)).isEqualTo(101);
        PoolMetrics m = pool.metrics();
        assertThat(m.reads()).isEqualTo(readsBefore + 2);
        assertThat(m.readersBusy()).isZero();
        assertThat(m.writesPending()).isZero();
    }

    @Test
    void poolMetrics_areReachableFromTheFactory() {
        Connection a = open();
        long readsBefore = factory.poolMetrics().orElseThrow().reads();
        assertThat(total(a)).isEqualTo(400);
        PoolMetrics m = factory.poolMetrics().orElseThrow();
        assertThat(m).isEqualTo(pool(a).metrics());
        assertThat(m.reads()).isEqualTo(readsBefore + 1);
        assertThat(factory.poolOptions().orElseThrow().readers()).isEqualTo(2);

        SqliteConnectionFactory unopened = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + file + "?pool=true");
        assertThat(unopened.poolOptions()).isPresent();
        assertThat(unopened.poolMetrics()).isEmpty(); // the first create() opens the pool
        SqliteConnectionFactory plain = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + file);
        assertThat(plain.poolOptions()).isEmpty();
        assertThat(plain.poolMetrics()).isEmpty();
        block(factory.close());
        assertThat(factory.poolMetrics()).isEmpty();
    }

    @Test
    void aSecondTransactionWaitsForTheWriterInsteadOfFailingBusy() throws Exception {
        Connection a = open();
        Connection b = open();
        block(a.beginTransaction());
        assertThat(a.isAutoCommit()).isFalse();
        Db.update(a, "UPDATE account SET balance = balance - 10 WHERE id = 1");

        block(b.beginTransaction()); // takes the writer at its first statement
        CompletableFuture<List<Long>> bFirst = updateLater(b, "UPDATE account SET balance = balance - 5 WHERE id = 4");
        CompletableFuture<List<Long>> bWritesOutside = updateLater(open(),
                "UPDATE account SET balance = balance + 5 WHERE id = 3");
        Db.update(a, "UPDATE account SET balance = balance + 10 WHERE id = 2");
        assertThat(bFirst).isNotDone();
        assertThat(bWritesOutside).isNotDone();
        // Reads go on beside the open transaction, and see the last commit.
        Connection reads = open();
        assertThat(total(reads)).isEqualTo(400);
        assertThat(balance(reads, 1)).isEqualTo(100);

        block(a.commitTransaction());
        assertThat(a.isAutoCommit()).isTrue();
        assertThat(bFirst.get(30, TimeUnit.SECONDS)).containsExactly(1L);
        assertThat(bWritesOutside).isNotDone(); // b's transaction holds the writer now
        block(b.commitTransaction());
        assertThat(bWritesOutside.get(30, TimeUnit.SECONDS)).containsExactly(1L);
        assertThat(longs(a, "SELECT balance FROM account ORDER BY id")).containsExactly(90L, 110L, 105L, 95L);
    }

    @Test
    void theLockWaitTimeoutBoundsTheWaitForTheWriter() throws Exception {
        Connection a = open();
        Connection b = open();
        block(a.beginTransaction());
        Db.update(a, "UPDATE account SET balance = 0 WHERE id = 1");
        block(b.setLockWaitTimeout(Duration.ofMillis(50)));
        block(b.beginTransaction());
        Throwable e = failure(updateLater(b, "INSERT INTO account VALUES (9, 0)"));
        assertThat(e).isInstanceOf(R2dbcTransientResourceException.class)
                .hasMessageContaining("writer was not free");
        assertThat(b.isAutoCommit()).isFalse(); // still in its transaction, which holds nothing
        block(b.rollbackTransaction());
        assertThat(b.isAutoCommit()).isTrue();
        e = failure(updateLater(b, "INSERT INTO account VALUES (9, 0)"));
        assertThat(e).isInstanceOf(R2dbcTransientResourceException.class);
        block(a.rollbackTransaction());
        // b is still usable once the writer is free.
        assertThat(Db.update(b, "INSERT INTO account VALUES (9, 0)")).containsExactly(1L);
    }

    @Test
    void concurrentTransfersNeverFailAndKeepTheTotal() {
        int workers = 6;
        int transfers = 15;
        List<Connection> cs = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            cs.add(open());
        }
        List<Long> done = Flux.range(0, workers)
                .flatMap(w -> Flux.range(0, transfers).concatMap(k -> {
                    Connection c = cs.get(w);
                    int from = 1 + (w + k) % 4;
                    int to = 1 + (w + k + 1) % 4;
                    return Mono.from(c.beginTransaction())
                            .thenMany(c.createStatement("UPDATE account SET balance = balance - 1 WHERE id = $1")
                                    .bind("$1", from).execute())
                            .concatMap(r -> r.getRowsUpdated())
                            .thenMany(c.createStatement("UPDATE account SET balance = balance + 1 WHERE id = $1")
                                    .bind("$1", to).execute())
                            .concatMap(r -> r.getRowsUpdated())
                            .then(Mono.from(c.commitTransaction()))
                            .thenReturn(1L);
                }), workers)
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(done).hasSize(workers * transfers);
        assertThat(total(cs.get(0))).isEqualTo(400);
        assertThat(pool(cs.get(0)).metrics().writesPending()).isZero();
    }

    @Test
    void aReadOnlyTransactionRunsOnAReaderBesideAWritingOne() {
        Connection writer = open();
        Connection reader = open();
        block(writer.beginTransaction());
        Db.update(writer, "UPDATE account SET balance = 0 WHERE id = 1");
        block(reader.beginTransaction(readOnly()));
        assertThat(reader.isAutoCommit()).isFalse();
        assertThat(balance(reader, 1)).isEqualTo(100);
        assertThatThrownBy(() -> Db.update(reader, "DELETE FROM account"))
                .isInstanceOf(R2dbcNonTransientException.class);
        block(writer.commitTransaction());
        assertThat(balance(reader, 1)).isEqualTo(100); // its snapshot
        block(reader.commitTransaction());
        assertThat(balance(reader, 1)).isZero();
        assertThat(reader.isAutoCommit()).isTrue();
    }

    private static TransactionDefinition readOnly() {
        return new TransactionDefinition() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T getAttribute(io.r2dbc.spi.Option<T> option) {
                return option.equals(TransactionDefinition.READ_ONLY) ? (T) Boolean.TRUE : null;
            }
        };
    }

    @Test
    void autoCommitOffHoldsTheWriterUntilCommit() throws Exception {
        Connection a = open();
        Connection b = open();
        block(a.setAutoCommit(false));
        assertThat(a.isAutoCommit()).isFalse();
        Db.update(a, "DELETE FROM account WHERE id = 4");
        CompletableFuture<List<Long>> bWrite = Flux.from(b.createStatement("DELETE FROM account WHERE id = 3")
                .execute()).flatMap(r -> r.getRowsUpdated()).collectList().toFuture();
        assertThat(longs(a, "SELECT count(*) FROM account")).containsExactly(3L);
        assertThat(bWrite).isNotDone();
        block(a.rollbackTransaction());
        assertThat(bWrite.get(30, TimeUnit.SECONDS)).containsExactly(1L);
        assertThat(longs(b, "SELECT id FROM account ORDER BY id")).containsExactly(1L, 2L, 4L);
        block(a.setAutoCommit(true));
        assertThat(a.isAutoCommit()).isTrue();
    }

    @Test
    void beginAndCommitAsStatementsHoldAndFreeTheWriter() throws Exception {
        Connection a = open();
        Connection b = open();
        Db.update(a, "BEGIN IMMEDIATE");
        assertThat(a.isAutoCommit()).isFalse();
        Db.update(a, "INSERT INTO account VALUES (5, 1)");
        block(b.beginTransaction());
        CompletableFuture<List<Long>> bFirst = updateLater(b, "INSERT INTO account VALUES (7, 1)");
        Db.update(a, "INSERT INTO account VALUES (6, 1)");
        assertThat(bFirst).isNotDone();
        Db.update(a, "COMMIT");
        assertThat(a.isAutoCommit()).isTrue();
        assertThat(bFirst.get(30, TimeUnit.SECONDS)).containsExactly(1L);
        block(b.rollbackTransaction());
        assertThat(total(b)).isEqualTo(402);
    }

    @Test
    void savepointsWorkInsideThePooledTransaction() {
        Connection a = open();
        Db.undoInASavepoint(a, "INSERT INTO account VALUES (5, 1)", "INSERT INTO account VALUES (6, 1)");
        block(a.commitTransaction());
        assertThat(longs(a, "SELECT id FROM account WHERE id > 4")).containsExactly(5L);
    }

    @Test
    void closingAConnectionRollsBackAndFreesTheWriter() throws Exception {
        Connection a = open();
        Connection b = open();
        block(a.beginTransaction());
        Db.update(a, "DELETE FROM account");
        block(b.beginTransaction());
        CompletableFuture<List<Long>> bFirst = updateLater(b, "UPDATE account SET balance = 0 WHERE id = 1");
        assertThat(bFirst).isNotDone();
        Db.close(a);
        assertThat(bFirst.get(30, TimeUnit.SECONDS)).containsExactly(1L); // a's delete rolled back
        block(b.commitTransaction());
        assertThat(total(b)).isEqualTo(300);
        assertThatThrownBy(() -> Db.update(a, "SELECT 1"))
                .isInstanceOf(io.r2dbc.spi.R2dbcNonTransientResourceException.class)
                .hasMessageContaining("closed");
        assertThat(block(a.validate(io.r2dbc.spi.ValidationDepth.LOCAL))).isFalse();
        assertThat(block(b.validate(io.r2dbc.spi.ValidationDepth.REMOTE))).isTrue();
    }

    @Test
    void anUnconsumedResultHoldsItsReaderUntilTheConnectionCloses() {
        Connection a = open();
        Connection b = open();
        // Two results left open take both readers; closing their connection gives them back.
        Flux.from(a.createStatement("SELECT id FROM account").execute()).blockFirst(Db.GUARD);
        Flux.from(a.createStatement("SELECT id FROM account").execute()).blockFirst(Db.GUARD);
        assertThat(pool(a).metrics().readersBusy()).isEqualTo(2);
        Db.close(a);
        assertThat(total(b)).isEqualTo(400);
    }

    @Test
    void attachIsRefusedAndIsolationIsRecorded() {
        Connection a = open();
        assertThatThrownBy(() -> Db.update(a, "ATTACH DATABASE 'other.db' AS other"))
                .isInstanceOf(io.r2dbc.spi.R2dbcNonTransientResourceException.class)
                .isInstanceOf(io.github.aiosqlite4j.SqliteError.class)
                .hasMessageContaining("ATTACH and DETACH are not available on a pooled connection")
                .hasMessageContaining("onOpen");
        block(a.setTransactionIsolationLevel(IsolationLevel.READ_UNCOMMITTED));
        assertThat(a.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.READ_UNCOMMITTED);
        assertThat(total(a)).isEqualTo(400); // still usable
    }

    @Test
    void closingTheFactoryClosesThePool() {
        Connection a = open();
        SqlitePool pool = pool(a);
        Mono.from(factory.close()).block(Db.GUARD);
        assertThat(pool.isClosed()).isTrue();
        assertThatThrownBy(() -> Db.open(factory))
                .isInstanceOf(io.r2dbc.spi.R2dbcNonTransientResourceException.class);
        assertThat(block(a.validate(io.r2dbc.spi.ValidationDepth.LOCAL))).isFalse();
    }

    @Test
    void cancellingAStreamGivesItsReaderBack() {
        Connection a = open();
        Db.update(a, "CREATE TABLE n(i INTEGER)");
        Db.update(a, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000)"
                + " INSERT INTO n SELECT i FROM c");
        SqlitePool pool = pool(a);
        for (int k = 0; k < 5; k++) { // more than the pool's two readers
            List<Object> first = Flux.from(a.createStatement("SELECT i FROM n ORDER BY i").fetchSize(10).execute())
                    .concatMap(r -> r.map((row, md) -> row.get(0)))
                    .take(3)
                    .collectList()
                    .block(Db.GUARD);
            assertThat(first).hasSize(3);
        }
        assertThat(total(a)).isEqualTo(400);
        assertThat(pool.metrics().readersWaiting()).isZero();
    }

    @Test
    void aTransactionHoldsNothingBeforeItsFirstStatement() {
        Connection a = open();
        Connection b = open();
        block(a.beginTransaction()); // and then given up: never ended, never closed
        assertThat(a.isAutoCommit()).isFalse();
        block(b.setLockWaitTimeout(Duration.ZERO)); // fail at once if the writer is taken
        assertThat(Db.update(b, "UPDATE account SET balance = 1 WHERE id = 1")).containsExactly(1L);
        block(b.beginTransaction());
        assertThat(Db.update(b, "UPDATE account SET balance = 2 WHERE id = 2")).containsExactly(1L);
        block(b.commitTransaction());
        // a's transaction starts at its first statement, so it sees b's commits.
        assertThat(longs(a, "SELECT balance FROM account WHERE id < 3 ORDER BY id")).containsExactly(1L, 2L);
        block(a.commitTransaction());
    }

    @Test
    void aFirstStatementCancelledAsItWaitsWithdrawsItsClaimOnTheWriter() throws Exception {
        Connection a = open();
        Connection b = open();
        block(a.beginTransaction());
        Db.update(a, "UPDATE account SET balance = 0 WHERE id = 4");
        block(b.beginTransaction());
        CompletableFuture<List<Long>> bFirst = updateLater(b, "UPDATE account SET balance = 9 WHERE id = 1");
        bFirst.cancel(true);
        block(a.commitTransaction());
        // b's claim on the writer is withdrawn: another connection takes it at once.
        Connection c = open();
        block(c.setLockWaitTimeout(Duration.ZERO));
        assertThat(Db.update(c, "UPDATE account SET balance = 1 WHERE id = 1")).containsExactly(1L);
        // b is still in its transaction, which ran nothing: its next statement starts it.
        assertThat(b.isAutoCommit()).isFalse();
        assertThat(Db.update(b, "UPDATE account SET balance = balance + 1 WHERE id = 1")).containsExactly(1L);
        block(b.commitTransaction());
        assertThat(balance(c, 1)).isEqualTo(2);
    }

    @Test
    void randomTransactionsKeepEveryAcknowledgedCommitAndNothingElse() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        Connection setup = open();
        Db.update(setup, "CREATE TABLE ledger(id INTEGER PRIMARY KEY, owner INTEGER, k INTEGER)");
        int workers = 5;
        int rounds = 12;
        List<Connection> cs = new ArrayList<>();
        List<long[]> plans = new ArrayList<>(); // per worker: 0 commit, 1 rollback, 2 read-only, 3 auto-commit
        for (int i = 0; i < workers; i++) {
            cs.add(open());
            long[] plan = new long[rounds];
            for (int k = 0; k < rounds; k++) {
                plan[k] = random.nextInt(4);
            }
            plans.add(plan);
        }
        List<String> acknowledged = Flux.range(0, workers).flatMap(w -> Flux.range(0, rounds).concatMap(k -> {
            Connection c = cs.get(w);
            String insert = "INSERT INTO ledger(owner, k) VALUES (" + w + ", " + k + ")";
            Mono<Long> ins = Flux.from(c.createStatement(insert).execute())
                    .concatMap(r -> r.getRowsUpdated()).next();
            switch ((int) plans.get(w)[k]) {
                case 0:
                    return Mono.from(c.beginTransaction()).then(ins).then(Mono.from(c.commitTransaction()))
                            .thenReturn(w + ":" + k);
                case 1:
                    return Mono.from(c.beginTransaction()).then(ins).then(Mono.from(c.rollbackTransaction()))
                            .then(Mono.<String>empty());
                case 2:
                    return Mono.from(c.beginTransaction(readOnly()))
                            .then(Flux.from(c.createStatement("SELECT sum(balance) FROM account").execute())
                                    .concatMap(r -> r.map((row, md) -> ((Number) row.get(0)).longValue()))
                                    .next())
                            .flatMap(sum -> sum == 400 ? Mono.from(c.commitTransaction()).then(Mono.<String>empty())
                                    : Mono.error(new AssertionError("total was " + sum)));
                default:
                    return ins.thenReturn(w + ":" + k);
            }
        }), workers).collectList().block(Duration.ofSeconds(60));
        List<String> stored = Db.query(setup.createStatement("SELECT owner, k FROM ledger"),
                row -> row.get(0) + ":" + row.get(1));
        assertThat(stored).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(pool(setup).metrics().writesPending()).isZero();
        assertThat(pool(setup).metrics().readersBusy()).isZero();
    }

    @Test
    void onOpenSetsUpEveryPooledConnection() {
        SqliteConnectionFactory withFunction = SqliteConnectionFactory.builder(
                io.github.aiosqlite4j.SqliteConfig.builder(file)
                        .onOpen(db -> db.createFunction("cents", 1, args -> ((Long) args[0]) * 100, true))
                        .build())
                .pool(io.github.aiosqlite4j.PoolOptions.builder().readers(2).build())
                .build();
        try {
            Connection c = Db.open(withFunction);
            assertThat(longs(c, "SELECT cents(balance) FROM account WHERE id = 1")).containsExactly(10_000L);
            assertThat(Db.update(c, "UPDATE account SET balance = cents(1) WHERE id = 1")).containsExactly(1L);
            block(c.beginTransaction(readOnly()));
            assertThat(longs(c, "SELECT cents(balance) FROM account WHERE id = 1")).containsExactly(10_000L);
            block(c.commitTransaction());
            Db.close(c);
        } finally {
            Mono.from(withFunction.close()).block(Db.GUARD);
        }
    }

    @Test
    void poolOptionsAreCheckedWhenTheFactoryIsBuilt() {
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:mem:///x?pool=true"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a pool needs a database file");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///" + file + "?poolReaders=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poolReaders needs pool=true");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///" + file
                + "?pool=true&journalMode=DELETE"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WAL");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///" + file
                + "?pool=true&poolReaders=zero"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poolReaders");
    }
}
