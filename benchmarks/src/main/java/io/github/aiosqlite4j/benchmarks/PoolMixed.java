package io.github.aiosqlite4j.benchmarks;

import static io.github.aiosqlite4j.benchmarks.Side.check;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * W14 pool_mixed: 8 writer threads and 32 reader threads on one WAL file for a fixed time, each
 * thread waiting for each of its futures. A writer makes a transfer between two accounts (read a
 * balance, move an amount, record the transfer in a ledger) in one transaction; a reader checks in
 * one transaction, statement by statement and in one statement, that the balances still add up.
 * This is core's {@code PoolWorkload} test (issue 5), run for a duration instead of an op count.
 *
 * <ul>
 *   <li>The "sync" column: the plain-connections approach, one aiosqlite4j {@link
 *       AsyncConnection} per thread, {@code transaction(body)} at the default DEFERRED level.
 *   <li>The "aiosqlite4j" column: one {@link SqlitePool} with its default options ({@code
 *       transaction} for writers, {@code read} for readers).
 * </ul>
 *
 * <p>Both sides use the same {@link SqliteConfig}: WAL, a {@value #BUSY_TIMEOUT_MS} ms busy
 * timeout, SQLite's default synchronous setting. A failed operation whose exception is a {@link
 * SQLTransientException} (SQLITE_BUSY, SQLITE_LOCKED, or a pool that could not hand out a
 * connection in time) is a <em>BUSY error</em>: counted, not retried, and not counted in ops/s.
 * Any other failure fails the run, and so does a single BUSY error on the pool side.
 */
final class PoolMixed {

    private PoolMixed() {}

    static final int WRITERS = 8;
    static final int READERS = 32;
    static final int ACCOUNTS = 10;
    static final long INITIAL_BALANCE = 1_000;
    static final long TOTAL = ACCOUNTS * INITIAL_BALANCE;
    static final long BUSY_TIMEOUT_MS = 50;

    /** How long one batch runs: {@code --quick} 100 ms, the full run 2 s. */
    static long runNanos(boolean quick) {
        return quick ? 100_000_000L : 2_000_000_000L;
    }

    static List<String> schema() {
        List<String> sql = new ArrayList<>();
        sql.add("create table account (id integer primary key, balance integer not null)");
        sql.add("create table ledger (writer integer, seq integer, primary key (writer, seq))");
        for (int i = 0; i < ACCOUNTS; i++) {
            sql.add("insert into account (id, balance) values (" + i + ", " + INITIAL_BALANCE + ")");
        }
        return sql;
    }

    static SqliteConfig config(Path file) {
        return Env.config(file.toString())
                .journalMode(SqliteConfig.JournalMode.WAL)
                .busyTimeout(Duration.ofMillis(BUSY_TIMEOUT_MS))
                .build();
    }

    static Workload workload(Env env) {
        long runNanos = runNanos(env.quick);
        Workload.Factory plain = () -> {
            Path file = env.newFile("w14-plain", schema());
            SqliteConfig config = config(file);
            List<AsyncConnection> connections = new ArrayList<>();
            try {
                for (int i = 0; i < WRITERS + READERS; i++) {
                    connections.add(AioSqlite.connect(config).get(30, TimeUnit.SECONDS));
                }
            } catch (Exception e) {
                connections.forEach(AsyncConnection::close);
                throw e;
            }
            return new Mixed(file, runNanos, false) {
                @Override
                <T> CompletableFuture<T> write(int thread, SqlFunction<SqliteSession, T> body) {
                    return connections.get(thread).transaction(body);
                }

                @Override
                <T> CompletableFuture<T> read(int thread, SqlFunction<SqliteSession, T> body) {
                    return connections.get(thread).transaction(body);
                }

                @Override
                void closeConnections() {
                    CompletableFuture.allOf(connections.stream().map(AsyncConnection::closeAsync)
                            .toArray(CompletableFuture<?>[]::new)).join();
                }
            };
        };
        Workload.Factory pool = () -> {
            Path file = env.newFile("w14-pool", schema());
            SqlitePool p = SqlitePool.open(config(file), PoolOptions.builder().name("w14").build())
                    .get(30, TimeUnit.SECONDS);
            return new Mixed(file, runNanos, true) {
                @Override
                <T> CompletableFuture<T> write(int thread, SqlFunction<SqliteSession, T> body) {
                    return p.transaction(body);
                }

                @Override
                <T> CompletableFuture<T> read(int thread, SqlFunction<SqliteSession, T> body) {
                    return p.read(body);
                }

                @Override
                public void verify() throws Exception {
                    super.verify();
                    PoolMetrics m = p.metrics();
                    check(m.timeouts() == 0 && m.rejections() == 0,
                            "no pool timeouts or rejections, got " + m);
                }

                @Override
                void closeConnections() {
                    p.close();
                }
            };
        };
        return new Workload("W14", "pool_mixed", null, false, plain, pool, null);
    }

    /** Moves a small amount between two accounts and records the transfer: read, then write. */
    static Void transfer(SqliteSession s, int writer, long seq) throws SQLException {
        int from = (int) ((writer + seq) % ACCOUNTS);
        int to = (int) ((from + 1 + seq % (ACCOUNTS - 1)) % ACCOUNTS);
        long balance = s.query("select balance from account where id = ?", from).get(0).getLong(0);
        long amount = Math.min(balance, 1 + seq % 7);
        s.execute("update account set balance = balance - ? where id = ?", amount, from);
        s.execute("update account set balance = balance + ? where id = ?", amount, to);
        s.execute("insert into ledger (writer, seq) values (?, ?)", writer, seq);
        return null;
    }

    /** The total twice: account by account (one statement each), and in one statement. */
    static long[] totals(SqliteSession s) throws SQLException {
        long sum = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            sum += s.query("select balance from account where id = ?", i).get(0).getLong(0);
        }
        long all = s.query("select sum(balance) from account").get(0).getLong(0);
        return new long[] {sum, all};
    }

    static long key(int writer, long seq) {
        return ((long) writer << 40) | seq;
    }

    /**
     * One side of W14. {@link #before()} starts the 40 threads (untimed) and parks them on a
     * latch; {@link #batch()} releases them, and they run operations until the batch's deadline
     * (an operation started before it completes); {@link #verify()} reads the file back through
     * a fresh JDBC connection.
     */
    abstract static class Mixed extends Side {
        final Path file;
        final long runNanos;
        final boolean pool;
        /** Every transfer acknowledged since the side opened, as {@link #key}. */
        final Set<Long> acked = ConcurrentHashMap.newKeySet();
        /** The next ledger sequence number of each writer, across batches. */
        final long[] nextSeq = new long[WRITERS];
        final LongAdder ok = new LongAdder();
        final AtomicLong busy = new AtomicLong();
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong busyWrites = new AtomicLong();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> badTotals = new ConcurrentLinkedQueue<>();
        private List<Thread> threads = List.of();
        private CountDownLatch go;
        private volatile long deadline;

        Mixed(Path file, long runNanos, boolean pool) {
            this.file = file;
            this.runNanos = runNanos;
            this.pool = pool;
        }

        abstract <T> CompletableFuture<T> write(int thread, SqlFunction<SqliteSession, T> body);

        abstract <T> CompletableFuture<T> read(int thread, SqlFunction<SqliteSession, T> body);

        abstract void closeConnections() throws Exception;

        @Override
        public Counts counts() {
            return new Counts(attempts.get(), busy.get(), writes.get(), acked.size(),
                    busyWrites.get());
        }

        @Override
        public void before() throws InterruptedException {
            go = new CountDownLatch(1);
            CountDownLatch ready = new CountDownLatch(WRITERS + READERS);
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < WRITERS + READERS; t++) {
                int id = t;
                Thread thread = new Thread(() -> {
                    ready.countDown();
                    try {
                        go.await();
                        loop(id);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, (pool ? "w14-pool-" : "w14-plain-") + (t < WRITERS ? "writer-" : "reader-") + t);
                thread.setDaemon(true);
                thread.start();
                started.add(thread);
            }
            threads = started;
            ready.await();
        }

        private void loop(int id) throws Exception {
            boolean writer = id < WRITERS;
            while (System.nanoTime() - deadline < 0) {
                attempts.incrementAndGet();
                try {
                    if (writer) {
                        writes.incrementAndGet();
                        long seq = nextSeq[id]++;
                        write(id, s -> transfer(s, id, seq)).get(60, TimeUnit.SECONDS);
                        acked.add(key(id, seq));
                    } else {
                        long[] t = read(id, PoolMixed::totals).get(60, TimeUnit.SECONDS);
                        if (t[0] != TOTAL || t[1] != TOTAL) {
                            badTotals.add(t[0] + "/" + t[1]);
                        }
                    }
                    ok.increment();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    while (cause instanceof CompletionException && cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    if (cause instanceof SQLTransientException) {
                        busy.incrementAndGet(); // not retried: the next operation goes on
                        if (writer) {
                            busyWrites.incrementAndGet();
                        }
                    } else {
                        failures.add(cause);
                    }
                }
            }
        }

        @Override
        public long batch() throws Exception {
            long before = ok.sum();
            long busyBefore = busy.get();
            deadline = System.nanoTime() + runNanos;
            go.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(120));
                check(!t.isAlive(), t.getName() + " finished within 120 s");
            }
            threads = List.of();
            Throwable failure = failures.peek();
            if (failure != null) {
                IllegalStateException e = new IllegalStateException("wrong result: "
                        + failures.size() + " operations failed with errors other than BUSY"
                        + " (SQLTransientException), the first: " + failure, failure);
                throw e;
            }
            check(badTotals.isEmpty(), "readers always see a total of " + TOTAL + ", saw "
                    + badTotals);
            if (pool) {
                check(busy.get() == busyBefore, "the pool lets 0 BUSY errors reach its callers"
                        + " (the W14 target), got " + (busy.get() - busyBefore));
            }
            return ok.sum() - before;
        }

        @Override
        public void verify() throws Exception {
            try (Connection c = Env.jdbc(file.toString()); Statement s = c.createStatement()) {
                Set<Long> ledger = new HashSet<>();
                try (ResultSet rs = s.executeQuery("select writer, seq from ledger")) {
                    while (rs.next()) {
                        ledger.add(key(rs.getInt(1), rs.getLong(2)));
                    }
                }
                check(ledger.size() == acked.size() && ledger.containsAll(acked),
                        "the ledger holds exactly the " + acked.size()
                                + " acknowledged transfers, found " + ledger.size() + " rows");
                long total = Env.queryLong(c, "select sum(balance) from account");
                check(total == TOTAL, "the balances add up to " + TOTAL + ", found " + total);
            }
        }

        @Override
        public void close() throws Exception {
            closeConnections();
        }
    }
}
