package io.github.aiosqlite4j;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * The mixed workload of issue 5 (and benchmark W14), written against the public API only so a
 * benchmark can copy it: W writer threads make transfers between accounts (read a balance, move
 * an amount, record the transfer in a ledger) and R reader threads check in one body, statement
 * by statement, that the balances still add up. Each thread waits for each of its futures.
 *
 * <p>Two sides run it: a {@link SqlitePool} ({@code transaction} and {@code read}), and one plain
 * {@link AsyncConnection} per thread ({@code transaction(body)} at the default DEFERRED level,
 * what a user without a pool writes).
 */
final class PoolWorkload {
    static final int ACCOUNTS = 10;
    static final long INITIAL_BALANCE = 1_000;
    static final long TOTAL = ACCOUNTS * INITIAL_BALANCE;

    /** Where the threads send their bodies. */
    interface Side extends AutoCloseable {
        <T> CompletableFuture<T> write(int thread, SqlFunction<SqliteSession, T> body);

        <T> CompletableFuture<T> read(int thread, SqlFunction<SqliteSession, T> body);

        @Override
        void close();
    }

    /** What one run observed. */
    record Result(int operations, Set<List<Long>> ackedTransfers, long readsOk,
            List<Long> badTotals, List<Throwable> failures, long elapsedNanos) {
        double opsPerSecond() {
            return (ackedTransfers.size() + readsOk) / (elapsedNanos / 1e9);
        }
    }

    private PoolWorkload() {}

    /** Creates the accounts (in WAL mode) and the ledger in a new file. */
    static void createSchema(Path file) throws Exception {
        SqliteConfig config = SqliteConfig.builder(file).journalMode(SqliteConfig.JournalMode.WAL)
                .build();
        try (AsyncConnection db = AioSqlite.connect(config).get(30, SECONDS)) {
            db.transaction(s -> {
                s.execute("create table account(id integer primary key, balance integer not null)");
                s.execute("create table ledger(writer integer, seq integer, primary key(writer, seq))");
                for (int i = 0; i < ACCOUNTS; i++) {
                    s.execute("insert into account(id, balance) values (?, ?)", i, INITIAL_BALANCE);
                }
                return null;
            }).get(30, SECONDS);
        }
    }

    /** The pool side: writes through {@link SqlitePool#transaction}. */
    static Side pool(SqlitePool pool) {
        return pool(pool, false);
    }

    /** The pool side: writes through {@link SqlitePool#write} (group commit, if on) or transaction. */
    static Side pool(SqlitePool pool, boolean viaWrite) {
        return new Side() {
            @Override
            public <T> CompletableFuture<T> write(int thread, SqlFunction<SqliteSession, T> body) {
                return viaWrite ? pool.write(body) : pool.transaction(body);
            }

            @Override
            public <T> CompletableFuture<T> read(int thread, SqlFunction<SqliteSession, T> body) {
                return pool.read(body);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    /** One plain connection per thread, with the given configuration. */
    static Side plain(SqliteConfig config, int threads) throws Exception {
        List<AsyncConnection> connections = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            connections.add(AioSqlite.connect(config).get(30, SECONDS));
        }
        return new Side() {
            @Override
            public <T> CompletableFuture<T> write(int thread, SqlFunction<SqliteSession, T> body) {
                return connections.get(thread).transaction(body);
            }

            @Override
            public <T> CompletableFuture<T> read(int thread, SqlFunction<SqliteSession, T> body) {
                return connections.get(thread).transaction(body);
            }

            @Override
            public void close() {
                CompletableFuture.allOf(connections.stream().map(AsyncConnection::closeAsync)
                        .toArray(CompletableFuture<?>[]::new)).join();
            }
        };
    }

    /**
     * Runs the workload: threads {@code 0..writers-1} write, the next {@code readers} read.
     *
     * @param side where bodies run
     * @param writers writer threads
     * @param readers reader threads
     * @param opsPerThread operations each thread makes
     * @return what was acknowledged, read and failed
     */
    static Result run(Side side, int writers, int readers, int opsPerThread) throws Exception {
        Set<List<Long>> acked = Collections.synchronizedSet(new HashSet<>());
        List<Long> badTotals = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long[] readsOk = new long[readers];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < writers + readers; t++) {
            int id = t;
            boolean writer = t < writers;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < opsPerThread; i++) {
                        int seq = i;
                        try {
                            if (writer) {
                                side.write(id, s -> transfer(s, id, seq)).get(60, SECONDS);
                                acked.add(List.of((long) id, (long) seq));
                            } else {
                                long[] totals = side.read(id, PoolWorkload::totals).get(60, SECONDS);
                                if (totals[0] != TOTAL || totals[1] != TOTAL) {
                                    badTotals.add(totals[0]);
                                    badTotals.add(totals[1]);
                                }
                                readsOk[id - writers]++;
                            }
                        } catch (ExecutionException e) {
                            failures.add(e.getCause());
                        }
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, (writer ? "workload-writer-" : "workload-reader-") + t));
        }
        threads.forEach(Thread::start);
        long began = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join(SECONDS.toMillis(300));
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not finish within 300 s");
            }
        }
        long elapsed = System.nanoTime() - began;
        long reads = 0;
        for (long r : readsOk) {
            reads += r;
        }
        return new Result((writers + readers) * opsPerThread, Set.copyOf(acked), reads,
                List.copyOf(badTotals), List.copyOf(failures), elapsed);
    }

    /** Moves a small amount between two accounts and records the transfer: read, then write. */
    static Void transfer(SqliteSession s, int writer, int seq) throws SQLException {
        int from = (writer + seq) % ACCOUNTS;
        int to = (from + 1 + seq % (ACCOUNTS - 1)) % ACCOUNTS;
        long balance = s.query("select balance from account where id = ?", from).get(0).getLong(0);
        long amount = Math.min(balance, 1 + seq % 7);
        s.execute("update account set balance = balance - ? where id = ?", amount, from);
        s.execute("update account set balance = balance + ? where id = ?", amount, to);
        s.execute("insert into ledger(writer, seq) values (?, ?)", writer, seq);
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

    /** Reads back, through a fresh connection, the ledger and the total. */
    static Set<List<Long>> ledger(Path file) throws Exception {
        try (AsyncConnection db = AioSqlite.connect(file).get(30, SECONDS)) {
            Set<List<Long>> rows = new HashSet<>();
            for (Row r : db.executeFetchAll("select writer, seq from ledger").get(30, SECONDS)) {
                rows.add(List.of(r.getLong(0), r.getLong(1)));
            }
            return rows;
        }
    }

    /** The sum of the balances, through a fresh connection. */
    static long total(Path file) throws Exception {
        try (AsyncConnection db = AioSqlite.connect(file).get(30, SECONDS)) {
            return db.executeFetchAll("select sum(balance) from account").get(30, SECONDS)
                    .get(0).getLong(0);
        }
    }
}
