package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.internal.pool.DefaultSqlitePool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.Wrapped;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pooled connections given up at random points (cancelled, timed out, never closed) under load:
 * afterwards every pool connection is back, and writes go through.
 */
final class PoolAbandonmentTest {

    private static final int READERS = 2;

    private Path file;
    private SqliteConnectionFactory factory;
    private DefaultSqlitePool pool;
    /** Inserts acknowledged as committed; each must be stored. */
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() {
        file = Db.tempFile();
        // A short lock wait, so that load waiting for a leaked writer gives up soon.
        factory = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite:///" + file
                + "?pool=true&poolReaders=" + READERS + "&busyTimeout=PT2S");
        Connection c = Db.open(factory);
        @SuppressWarnings("unchecked")
        DefaultSqlitePool p = (DefaultSqlitePool) ((Wrapped<io.github.aiosqlite4j.SqlitePool>) c).unwrap();
        pool = p;
        Db.update(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, tag TEXT)");
        Db.update(c, "CREATE TABLE n(i INTEGER)");
        Db.update(c, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200)"
                + " INSERT INTO n SELECT i FROM s");
        Db.close(c);
    }

    @AfterEach
    void tearDown() {
        Mono.from(factory.close()).block(Db.GUARD);
    }

    @Test
    void operationsCancelledAtRandomPointsGiveEveryPoolConnectionBack() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // Every connection stays reachable until the end: only cancellation may give leases back.
        List<Connection> kept = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Mono<Void>> work = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // Given up after 1 us to 100 ms, evenly spread on a log scale: at every stage.
            Duration after = Duration.ofNanos((long) Math.pow(10, 3 + 5 * random.nextDouble()));
            work.add(cancelled(i, random.nextInt(8), after, random.nextInt(4), kept));
        }
        Flux.fromIterable(work).flatMap(w -> w.onErrorResume(e -> Mono.empty()), 16)
                .blockLast(Duration.ofMinutes(2));
        assertEverythingIsBack("seed " + seed);
        assertThat(kept).isNotEmpty(); // (kept reachable up to here)
    }

    @Test
    void aFirstStatementCancelledWhileItsBeginRunsGivesTheWriterBack() {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean();
        // Every pool connection asks this authorizer before each statement, on its worker: an
        // armed one holds the next BEGIN there until the test lets it go on.
        SqliteConnectionFactory held = SqliteConnectionFactory.builder(SqliteConfig.builder(file)
                        .onOpen(c -> c.setAuthorizer((action, arg1, arg2, db, trigger) -> {
                            if (action == Authorizer.SQLITE_TRANSACTION && armed.compareAndSet(true, false)) {
                                reached.countDown();
                                await(resume);
                            }
                            return Authorizer.SQLITE_OK;
                        }))
                        .build())
                .pool(PoolOptions.builder().readers(READERS).build())
                .build();
        try {
            Connection a = Db.open(held);
            Mono.from(a.beginTransaction()).block(Db.GUARD);
            armed.set(true);
            // The transaction's first statement takes the writer and runs BEGIN first.
            Disposable first = insert(a, "a1").subscribe();
            assertThat(await(reached)).isTrue(); // a has the writer; its BEGIN is running
            first.dispose();
            resume.countDown();

            Connection b = Db.open(held);
            Mono.from(b.setLockWaitTimeout(Duration.ofSeconds(10))).block(Db.GUARD);
            assertThat(Db.update(b, "INSERT INTO t(tag) VALUES ('b')")).containsExactly(1L);
            // a is still in its transaction (its caller began it), and it works.
            assertThat(a.isAutoCommit()).isFalse();
            insert(a, "a2").block(Db.GUARD);
            Mono.from(a.commitTransaction()).block(Db.GUARD);
            assertThat(count(b, "SELECT count(*) FROM t WHERE tag IN ('a1', 'a2', 'b')")).isEqualTo(2);
            Db.close(a);
            Db.close(b);
        } finally {
            Mono.from(held.close()).block(Db.GUARD);
        }
    }

    @Test
    void connectionsNeverClosedGiveEverythingBackOnceCollected() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 4; round++) {
            // One connection holding the writer and one for each reader (more would wait for
            // what these hold), each left holding it with nothing referring to it any more.
            List<WeakReference<Connection>> dropped = new ArrayList<>();
            dropped.add(abandoned(new int[] {0, 1, 4}[random.nextInt(3)], random.nextInt(3)).block(Db.GUARD));
            for (int k = 0; k < READERS; k++) {
                dropped.add(abandoned(2 + random.nextInt(2), 0).block(Db.GUARD));
            }
            for (int i = 0; i < 1_000 && dropped.stream().anyMatch(r -> r.get() != null); i++) {
                System.gc();
            }
            assertThat(dropped).as("seed %d: connections still reachable", seed)
                    .allMatch(r -> r.get() == null);
            // Collected: their cleaner gives everything back (the probes wait for it).
            assertEverythingIsBack("seed " + seed);
        }
        Connection c = Db.open(factory);
        assertThat(count(c, "SELECT count(*) FROM t WHERE tag = 'abandoned'"))
                .as("seed %d: an abandoned transaction was committed", seed)
                .isZero();
        Db.close(c);
    }

    /**
     * One operation given up at a random point. Connections are closed only where a caller that
     * gives up would close them (as Spring does after a statement inside a transaction).
     */
    private Mono<Void> cancelled(int i, int kind, Duration after, int rows, List<Connection> kept) {
        Mono<Connection> create = factory.create().doOnNext(kept::add);
        switch (kind) {
            case 0: // a transaction's first statement given up (perhaps as it waits for the
                    // writer), the transaction then rolled back; the connection dropped
                return create.flatMap(c -> Mono.from(c.beginTransaction())
                        .then(insert(c, i).timeout(after))
                        .then(Mono.from(c.commitTransaction()))
                        .doOnSuccess(v -> this.acknowledged.add(i))
                        .onErrorResume(e -> Mono.from(c.rollbackTransaction())));
            case 1: // begin cancelled as soon as subscribed, connection dropped
                return create.flatMap(c -> Flux.from(c.beginTransaction()).take(0).then());
            case 2: // a transaction begun and never used nor ended, connection dropped
                return create.flatMap(c -> Mono.from(c.beginTransaction()).timeout(after));
            case 3: // a transaction given up anywhere, then cleaned up as Spring does
                return Mono.usingWhen(create, c -> Mono.from(c.beginTransaction())
                                .then(insert(c, i))
                                .then(Mono.from(c.commitTransaction()))
                                .doOnSuccess(v -> this.acknowledged.add(i))
                                .timeout(after),
                        Connection::close,
                        (c, e) -> Mono.from(c.rollbackTransaction()).then(Mono.from(c.close())),
                        Connection::close);
            case 4: // a write outside a transaction given up, connection dropped
                return create.flatMap(c -> insert(c, i).doOnSuccess(v -> this.acknowledged.add(i))
                        .timeout(after));
            case 5: // rows read in part, connection dropped
                return create.flatMap(c -> Flux.from(c.createStatement("SELECT i FROM n").fetchSize(1).execute())
                        .concatMap(r -> r.map((row, md) -> row.get(0)))
                        .take(1 + rows)
                        .then());
            case 6: // a query given up anywhere, then the connection closed
                return Mono.usingWhen(create, c -> Flux.from(c.createStatement("SELECT i FROM n").execute())
                                .concatMap(r -> r.map((row, md) -> row.get(0)))
                                .timeout(after)
                                .then(),
                        Connection::close);
            default: // load: a transaction that commits
                return Mono.usingWhen(create, c -> Mono.from(c.beginTransaction())
                                .then(insert(c, i))
                                .then(Mono.from(c.commitTransaction()))
                                .doOnSuccess(v -> this.acknowledged.add(i)),
                        Connection::close);
        }
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(Db.GUARD.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A connection left holding something, and dropped: nothing but the returned reference remains. */
    private Mono<WeakReference<Connection>> abandoned(int kind, int rows) {
        return factory.create().flatMap(c -> {
            WeakReference<Connection> ref = new WeakReference<>(c);
            Mono<Void> left;
            switch (kind) {
                case 0: // a transaction with an insert, never ended
                    left = Mono.from(c.beginTransaction()).then(insert(c, "abandoned"));
                    break;
                case 1: // auto-commit off: the insert began a transaction
                    left = Mono.from(c.setAutoCommit(false)).then(insert(c, "abandoned"));
                    break;
                case 2: // a read-only transaction on a reader
                    left = Mono.from(c.beginTransaction(readOnly()))
                            .then(Flux.from(c.createStatement("SELECT count(*) FROM n").execute())
                                    .concatMap(r -> r.map((row, md) -> row.get(0))).then());
                    break;
                case 3: // a result never read (it holds a reader)
                    left = Flux.from(c.createStatement("SELECT i FROM n").execute()).next().then();
                    break;
                default: // BEGIN run as a statement, rows read in part inside it
                    left = Flux.from(c.createStatement("BEGIN IMMEDIATE").execute())
                            .concatMap(Result::getRowsUpdated).then(insert(c, "abandoned"))
                            .thenMany(Flux.from(c.createStatement("SELECT i FROM n").fetchSize(1).execute())
                                    .concatMap(r -> r.map((row, md) -> row.get(0))).take(1 + rows))
                            .then();
                    break;
            }
            return left.thenReturn(ref);
        });
    }

    private static Mono<Void> insert(Connection c, int i) {
        return Flux.from(c.createStatement("INSERT INTO t(id, tag) VALUES (" + i + ", 'load')").execute())
                .concatMap(Result::getRowsUpdated).then();
    }

    private static Mono<Void> insert(Connection c, String tag) {
        return Flux.from(c.createStatement("INSERT INTO t(tag) VALUES ('" + tag + "')").execute())
                .concatMap(Result::getRowsUpdated).then();
    }

    private static long count(Connection c, String sql) {
        return ((Number) Db.rows(c, sql).get(0).get(0)).longValue();
    }

    private static TransactionDefinition readOnly() {
        return new TransactionDefinition() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T getAttribute(io.r2dbc.spi.Option<T> option) {
                return TransactionDefinition.READ_ONLY.equals(option) ? (T) Boolean.TRUE : null;
            }
        };
    }

    /**
     * The writer and every reader can be had again, at the same time, and once given back no
     * lease is left; the acknowledged writes are stored.
     */
    private void assertEverythingIsBack(String seed) {
        List<Connection> probes = new ArrayList<>();
        for (int k = 0; k < READERS + 1; k++) {
            Connection c = Db.open(factory);
            Mono.from(c.setLockWaitTimeout(Duration.ofSeconds(30))).block(Db.GUARD);
            probes.add(c);
        }
        // The writer: a transaction that writes (waits for any release still on its way).
        Mono.from(probes.get(0).beginTransaction()).block(Db.GUARD);
        assertThat(Db.update(probes.get(0), "INSERT INTO t(tag) VALUES ('probe')")).as(seed).containsExactly(1L);
        // Every reader, all at once, beside it.
        for (int k = 1; k <= READERS; k++) {
            Connection c = probes.get(k);
            Mono.from(c.beginTransaction(readOnly())).block(Db.GUARD);
            assertThat(count(c, "SELECT count(*) FROM n")).as(seed).isEqualTo(200);
        }
        assertThat(pool.metrics().readersBusy()).as(seed).isEqualTo(READERS);
        Mono.from(probes.get(0).commitTransaction()).block(Db.GUARD);
        for (Connection c : probes) {
            Db.close(c);
        }
        assertThat(pool.leasesHeld()).as("%s: leases still held", seed).isZero();
        assertThat(pool.metrics().readersBusy()).as(seed).isZero();
        Connection c = Db.open(factory);
        List<Integer> stored = Db.query(c.createStatement("SELECT id FROM t WHERE tag = 'load'"),
                row -> ((Number) row.get(0)).intValue());
        assertThat(stored).as("%s: acknowledged writes lost", seed).containsAll(this.acknowledged);
        Db.close(c);
    }
}
