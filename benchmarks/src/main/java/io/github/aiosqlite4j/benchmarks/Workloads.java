package io.github.aiosqlite4j.benchmarks;

import static io.github.aiosqlite4j.benchmarks.Env.await;
import static io.github.aiosqlite4j.benchmarks.Env.onLoop;
import static io.github.aiosqlite4j.benchmarks.Env.repeat;
import static io.github.aiosqlite4j.benchmarks.Side.check;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.Row;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.IntFunction;

/**
 * W1..W13 for each system (W14 is {@link PoolMixed}, W15 {@link PoolPoints}); the list of all in
 * {@link #all}. Each workload's three implementations sit next to each other so they
 * can be compared line by line: the sync side is what a careful JDBC user writes (prepared
 * statements reused), the aiosqlite4j side awaits each call with {@code join()} as aiosqlite's
 * perf tests await each call, and the Vert.x side uses {@code JDBCPool} (max size 1) as its users
 * do: each batch runs on the side's own event loop ({@link Env#onLoop}), each call chained to the
 * previous one with {@code compose}, and the runner waits once per batch, never per call.
 */
public final class Workloads {

    private Workloads() {}

    static final String PERF = "create table perf (i integer primary key asc, k integer)";
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";

    static final Workload.Target OPEN = new Workload.Target("W1-W2 open and close", 0.5);
    static final Workload.Target MEMORY = new Workload.Target("W3-W8 on :memory:", 0.25);
    static final Workload.Target FILE = new Workload.Target("W4-W6 on a file", 0.9);
    static final Workload.Target STREAM = new Workload.Target("W9 at chunk 64, W13 (#14)", 0.85);
    static final Workload.Target ATOMICS = new Workload.Target("W3 atomics (#14)", 0.5);
    /** Issue 14: many callers through one connection keep up with the sync loop. */
    static final Workload.Target ONE_CONNECTION =
            new Workload.Target("W11, W15 through one connection (#14)", 0.95);

    /**
     * Every workload, in table order.
     *
     * @param env sizes, temp files, the Vertx instance
     * @return the workloads
     */
    public static List<Workload> all(Env env) {
        List<Workload> all = new ArrayList<>();
        all.add(w1(env));
        all.add(w2(env));
        all.add(w3(env));
        all.add(w4(env, false));
        all.add(w4(env, true));
        all.add(w5(env, false));
        all.add(w5(env, true));
        all.add(w6(env, false));
        all.add(w6(env, true));
        all.add(w7(env));
        all.add(w8(env));
        for (int chunk : new int[] {16, 64, 256, 1024}) {
            all.add(w9(env, chunk));
        }
        all.add(w10(env));
        all.add(w11(env));
        all.add(w12(env));
        all.add(w13(env));
        all.add(PoolMixed.workload(env));
        all.add(PoolPoints.workload(env, 2));
        all.add(PoolPoints.workload(env, 1));
        return all;
    }

    // ---------------------------------------------------------------- W1, W2: open and close

    static Workload w1(Env env) {
        return open(env, "W1", "connection_memory", () -> ":memory:");
    }

    static Workload w2(Env env) {
        List<String> setup = List.of(PERF, "insert into perf (k) values (2), (3)");
        return open(env, "W2", "connection_file",
                () -> env.sharedFile("w2", setup).toString());
    }

    interface Location {
        String get() throws Exception;
    }

    static Workload open(Env env, String id, String name, Location location) {
        int n = env.n(20, 3);
        Workload.Factory sync = () -> {
            String db = location.get();
            return Side.of(() -> {
                for (int i = 0; i < n; i++) {
                    try (Connection c = Env.jdbc(db)) {
                        check(!c.isClosed(), "an open connection");
                    }
                }
                return n;
            }, () -> {});
        };
        Workload.Factory async = () -> {
            String db = location.get();
            return Side.of(() -> {
                for (int i = 0; i < n; i++) {
                    AsyncConnection c = AioSqlite.connect(db).join();
                    check(c != null, "an open connection");
                    c.closeAsync().join();
                }
                return n;
            }, () -> {});
        };
        Workload.Factory vertx = () -> {
            String db = location.get();
            JDBCConnectOptions options = new JDBCConnectOptions().setJdbcUrl("jdbc:sqlite:" + db);
            Context loop = env.loop();
            return Side.of(() -> {
                onLoop(loop, () -> repeat(n, i -> {
                    Pool pool = JDBCPool.pool(env.vertx, options, new PoolOptions().setMaxSize(1));
                    return pool.getConnection().compose(c -> c.close()).compose(x -> pool.close());
                }));
                return n;
            }, () -> {});
        };
        return new Workload(id, name, OPEN, false, sync, async, vertx);
    }

    // ---------------------------------------------------------------- W3 atomics

    static Workload w3(Env env) {
        List<String> setup = List.of(PERF, "insert into perf (k) values (2), (3)");
        String sql = "select last_insert_rowid()";
        int n = env.n(1000, 20);
        Workload.Factory sync = () -> {
            Connection c = Env.jdbc(":memory:");
            Env.run(c, setup);
            PreparedStatement ps = c.prepareStatement(sql);
            return Side.of(() -> {
                for (int i = 0; i < n; i++) {
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next() && rs.getLong(1) == 2, "last_insert_rowid() = 2");
                    }
                }
                return n;
            }, c::close);
        };
        Workload.Factory async = () -> {
            AsyncConnection db = Env.aio(":memory:", setup);
            return Side.of(() -> {
                for (int i = 0; i < n; i++) {
                    AsyncCursor cursor = db.execute(sql).join();
                    Optional<Row> row = cursor.fetchOne().join();
                    cursor.closeAsync().join();
                    check(row.isPresent() && row.get().getLong(0) == 2, "last_insert_rowid() = 2");
                }
                return n;
            }, db::close);
        };
        Workload.Factory vertx = () -> {
            Pool pool = env.vertxPool(":memory:", setup);
            Context loop = env.loop();
            return Side.of(() -> {
                onLoop(loop, () -> repeat(n, i -> pool.preparedQuery(sql).execute().map(rows -> {
                    check(rows.size() == 1 && rows.iterator().next().getLong(0) == 2,
                            "last_insert_rowid() = 2");
                    return rows;
                })));
                return n;
            }, () -> await(pool.close()));
        };
        return new Workload("W3", "atomics", ATOMICS, true, sync, async, vertx);
    }

    // ---------------------------------------------------------------- W4-W6: inserts

    /** The database of a W4-W6 variant: {@code :memory:} (set up by each side) or a new file. */
    record Db(String database, List<String> setup) {
        static Db of(Env env, boolean file, String name) throws Exception {
            return file ? new Db(env.newFile(name, List.of(PERF)).toString(), List.of())
                    : new Db(":memory:", List.of(PERF));
        }
    }

    /** A side that counts the rows its batches inserted and checks the table holds them. */
    static final String COUNT_PERF = "select count(*) from perf";

    /** A plain JDBC connection to a new perf table, in manual-commit mode. */
    static Connection inserting(Env env, boolean file, String name) throws Exception {
        Db db = Db.of(env, file, name);
        Connection c = Env.jdbc(db.database());
        Env.run(c, db.setup());
        c.setAutoCommit(false);
        return c;
    }

    /** An aiosqlite4j connection to a new perf table. */
    static AsyncConnection insertingAio(Env env, boolean file, String name) throws Exception {
        Db d = Db.of(env, file, name);
        return Env.aio(d.database(), d.setup());
    }

    /** A Vert.x pool on a new perf table. */
    static Pool insertingVertx(Env env, boolean file, String name) throws Exception {
        Db d = Db.of(env, file, name);
        return env.vertxPool(d.database(), d.setup());
    }

    abstract static class Inserting extends Side {
        private final java.util.concurrent.Callable<Long> count;
        private final AutoCloseable closer;
        long inserted;

        /**
         * @param count reads the table's row count
         * @param closer closes the side's connection or pool
         */
        Inserting(java.util.concurrent.Callable<Long> count, AutoCloseable closer) {
            this.count = count;
            this.closer = closer;
        }

        @Override
        public void verify() throws Exception {
            long rows = count.call();
            check(rows == inserted, "perf holds " + inserted + " rows, found " + rows);
        }

        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    static Workload w4(Env env, boolean file) {
        String sql = "insert into perf (k) values (1), (2), (3)";
        int n = file ? env.n(5, 2) : env.n(200, 10);
        Workload.Factory sync = () -> {
            Connection c = inserting(env, file, "w4-sync");
            PreparedStatement ps = c.prepareStatement(sql);
            return new Inserting(() -> Env.queryLong(c, COUNT_PERF), c::close) {
                @Override
                public long batch() throws Exception {
                    for (int i = 0; i < n; i++) {
                        check(ps.executeUpdate() == 3, "3 rows inserted");
                        c.commit();
                    }
                    inserted += 3L * n;
                    return n;
                }
            };
        };
        Workload.Factory async = () -> {
            AsyncConnection db = insertingAio(env, file, "w4-async");
            return new Inserting(() -> Env.queryLong(db, COUNT_PERF), db::close) {
                @Override
                public long batch() {
                    for (int i = 0; i < n; i++) {
                        AsyncCursor cursor = db.execute(sql).join();
                        db.commit().join();
                        check(cursor.rowCount() == 3, "3 rows inserted");
                    }
                    inserted += 3L * n;
                    return n;
                }
            };
        };
        Workload.Factory vertx = () -> {
            Pool pool = insertingVertx(env, file, "w4-vertx");
            Context loop = env.loop();
            return new Inserting(() -> Env.queryLong(pool, COUNT_PERF), () -> await(pool.close())) {
                @Override
                public long batch() {
                    onLoop(loop, () -> repeat(n, i -> pool.withTransaction(c ->
                            c.preparedQuery(sql).execute()).map(r -> {
                                check(r.rowCount() == 3, "3 rows inserted");
                                return r;
                            })));
                    inserted += 3L * n;
                    return n;
                }
            };
        };
        return new Workload("W4", file ? "inserts (file)" : "inserts", file ? FILE : MEMORY,
                !file, sync, async, vertx);
    }

    static Workload w5(Env env, boolean file) {
        String insert = "insert into perf (k) values (1)";
        String lastId = "select last_insert_rowid()";
        int n = file ? env.n(5, 2) : env.n(200, 10);
        Workload.Factory sync = () -> {
            Connection c = inserting(env, file, "w5-sync");
            PreparedStatement ins = c.prepareStatement(insert);
            PreparedStatement sel = c.prepareStatement(lastId);
            return new Inserting(() -> Env.queryLong(c, COUNT_PERF), c::close) {
                @Override
                public long batch() throws Exception {
                    for (int i = 0; i < n; i++) {
                        ins.executeUpdate();
                        try (ResultSet rs = sel.executeQuery()) {
                            check(rs.next() && rs.getLong(1) == inserted + 1, "id " + (inserted + 1));
                        }
                        c.commit();
                        inserted++;
                    }
                    return n;
                }
            };
        };
        Workload.Factory async = () -> {
            AsyncConnection db = insertingAio(env, file, "w5-async");
            return new Inserting(() -> Env.queryLong(db, COUNT_PERF), db::close) {
                @Override
                public long batch() {
                    for (int i = 0; i < n; i++) {
                        AsyncCursor cursor = db.execute(insert).join();
                        cursor.execute(lastId).join();
                        Optional<Row> row = cursor.fetchOne().join();
                        db.commit().join();
                        inserted++;
                        check(row.isPresent() && row.get().getLong(0) == inserted, "id " + inserted);
                    }
                    return n;
                }
            };
        };
        Workload.Factory vertx = () -> {
            Pool pool = insertingVertx(env, file, "w5-vertx");
            Context loop = env.loop();
            return new Inserting(() -> Env.queryLong(pool, COUNT_PERF), () -> await(pool.close())) {
                @Override
                public long batch() {
                    onLoop(loop, () -> repeat(n, i -> pool.withTransaction(c ->
                            c.preparedQuery(insert).execute()
                                    .compose(x -> c.preparedQuery(lastId).execute())).map(r -> {
                                        inserted++;
                                        check(r.iterator().next().getLong(0) == inserted,
                                                "id " + inserted);
                                        return r;
                                    })));
                    return n;
                }
            };
        };
        return new Workload("W5", file ? "insert_ids (file)" : "insert_ids", file ? FILE : MEMORY,
                !file, sync, async, vertx);
    }

    static Workload w6(Env env, boolean file) {
        String insert = "insert into perf (k) values (1)";
        int n = file ? env.n(5, 2) : env.n(200, 10);
        Workload.Factory sync = () -> {
            Connection c = inserting(env, file, "w6-sync");
            PreparedStatement ins = c.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS);
            return new Inserting(() -> Env.queryLong(c, COUNT_PERF), c::close) {
                @Override
                public long batch() throws Exception {
                    for (int i = 0; i < n; i++) {
                        ins.executeUpdate();
                        try (ResultSet keys = ins.getGeneratedKeys()) {
                            check(keys.next() && keys.getLong(1) == inserted + 1, "id " + (inserted + 1));
                        }
                        c.commit();
                        inserted++;
                    }
                    return n;
                }
            };
        };
        Workload.Factory async = () -> {
            AsyncConnection db = insertingAio(env, file, "w6-async");
            return new Inserting(() -> Env.queryLong(db, COUNT_PERF), db::close) {
                @Override
                public long batch() {
                    for (int i = 0; i < n; i++) {
                        long id = db.executeInsert(insert).join();
                        db.commit().join();
                        inserted++;
                        check(id == inserted, "id " + inserted + ", got " + id);
                    }
                    return n;
                }
            };
        };
        Workload.Factory vertx = () -> {
            Pool pool = insertingVertx(env, file, "w6-vertx");
            Context loop = env.loop();
            return new Inserting(() -> Env.queryLong(pool, COUNT_PERF), () -> await(pool.close())) {
                @Override
                public long batch() {
                    onLoop(loop, () -> repeat(n, i -> pool.withTransaction(c ->
                            c.preparedQuery(insert).execute()).map(r -> {
                                long id = r.property(JDBCPool.GENERATED_KEYS).getLong(0);
                                inserted++;
                                check(id == inserted, "id " + inserted + ", got " + id);
                                return id;
                            })));
                    return n;
                }
            };
        };
        return new Workload("W6", file ? "insert_macro_ids (file)" : "insert_macro_ids",
                file ? FILE : MEMORY, !file, sync, async, vertx);
    }

    // ---------------------------------------------------------------- W7, W8: select 100 rows

    static final List<String> HUNDRED = List.of(PERF, "insert into perf (k) with recursive"
            + " c(x) as (select 0 union all select x + 1 from c where x < 99) select x from c");

    static void checkHundred(int size, long sumK) {
        check(size == 100 && sumK == 4950, "100 rows with sum(k) = 4950, got " + size + ", " + sumK);
    }

    static Workload select(Env env, String id, String name, boolean macro) {
        String sql = "select i, k from perf";
        int n = env.n(50, 5);
        Workload.Factory sync = () -> {
            Connection c = Env.jdbc(":memory:");
            Env.run(c, HUNDRED);
            PreparedStatement ps = c.prepareStatement(sql);
            return Side.of(() -> {
                for (int i = 0; i < n; i++) {
                    List<long[]> rows = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
                        }
                    }
                    long sum = 0;
                    for (long[] r : rows) {
                        sum += r[1];
                    }
                    checkHundred(rows.size(), sum);
                }
                return n;
            }, c::close);
        };
        Workload.Factory async = () -> {
            AsyncConnection db = Env.aio(":memory:", HUNDRED);
            return Side.of(() -> {
                for (int i = 0; i < n; i++) {
                    List<Row> rows = macro
                            ? db.executeFetchAll(sql).join()
                            : db.execute(sql).join().fetchAll().join();
                    long sum = 0;
                    for (Row r : rows) {
                        sum += r.getLong(1);
                    }
                    checkHundred(rows.size(), sum);
                }
                return n;
            }, db::close);
        };
        Workload.Factory vertx = () -> {
            Pool pool = env.vertxPool(":memory:", HUNDRED);
            Context loop = env.loop();
            return Side.of(() -> {
                onLoop(loop, () -> repeat(n, i -> (macro
                        ? pool.preparedQuery(sql).execute()
                        : pool.query(sql).execute()).map(rows -> {
                            long sum = 0;
                            for (io.vertx.sqlclient.Row r : rows) {
                                sum += r.getLong(1);
                            }
                            checkHundred(rows.size(), sum);
                            return rows;
                        })));
                return n;
            }, () -> await(pool.close()));
        };
        return new Workload(id, name, MEMORY, true, sync, async, vertx);
    }

    static Workload w7(Env env) {
        return select(env, "W7", "select", false);
    }

    static Workload w8(Env env) {
        return select(env, "W8", "select_macro", true);
    }

    // ---------------------------------------------------------------- W9, W13: streaming

    static Workload w9(Env env, int chunk) {
        int total = env.n(131_072, 4_096);
        List<String> setup = List.of(
                "create table ic_perf (i integer primary key asc, k integer, a integer, b integer,"
                        + " c char(16))",
                "insert into ic_perf (k, a, b, c) with recursive n(x) as (select 0 union all"
                        + " select x + 1 from n where x < " + (total - 1) + ") select x, 1, 2, '"
                        + ALPHABET + "' from n");
        long sumK = (long) total * (total - 1) / 2;
        String sql = "SELECT * FROM ic_perf";
        Workload.Factory sync = () -> {
            Connection c = Env.jdbc(":memory:");
            Env.run(c, setup);
            PreparedStatement ps = c.prepareStatement(sql);
            return Side.of(() -> {
                long count = 0;
                long sum = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                        sum += rs.getLong(2);
                        check(rs.getLong(3) == 1 && rs.getLong(4) == 2
                                && ALPHABET.equals(rs.getString(5)), "row values");
                        count++;
                    }
                }
                check(count == total && sum == sumK, total + " rows");
                return count;
            }, c::close);
        };
        Workload.Factory async = () -> {
            AsyncConnection db = Env.aio(":memory:", setup);
            return Side.of(() -> {
                long[] sum = new long[1];
                AsyncCursor cursor = db.execute(sql).join();
                cursor.setIterChunkSize(chunk);
                long count = cursor.forEach(row -> {
                    sum[0] += row.getLong(1);
                    check(row.getLong(2) == 1 && row.getLong(3) == 2
                            && ALPHABET.equals(row.getString(4)), "row values");
                }).join();
                cursor.closeAsync().join();
                check(count == total && sum[0] == sumK, total + " rows");
                return count;
            }, db::close);
        };
        // Vert.x has no real cursor on JDBC (the whole result is loaded), so the chunk size means
        // nothing there: it is measured once, at chunk 64.
        Workload.Factory vertx = chunk != 64 ? null : () -> {
            Pool pool = env.vertxPool(":memory:", setup);
            Context loop = env.loop();
            return Side.of(() -> onLoop(loop, () -> pool.query(sql).execute().map(rows -> {
                long count = 0;
                long sum = 0;
                for (io.vertx.sqlclient.Row row : rows) {
                    sum += row.getLong(1);
                    check(row.getLong(2) == 1 && row.getLong(3) == 2
                            && ALPHABET.equals(row.getString(4)), "row values");
                    count++;
                }
                check(count == total && sum == sumK, total + " rows");
                return count;
            })), () -> await(pool.close()));
        };
        return new Workload("W9", "iterable_cursor@" + chunk, chunk == 64 ? STREAM : null,
                chunk == 64, sync, async, vertx);
    }

    static Workload w13(Env env) {
        int total = env.n(1_000_000, 20_000);
        List<String> setup = List.of("create table big (i integer primary key, k integer, v text)",
                "insert into big (k, v) with recursive n(x) as (select 1 union all select x + 1"
                        + " from n where x < " + total + ") select x % 1000, 'v' || x from n");
        long sumK = 0;
        for (int x = 1; x <= total; x++) {
            sumK += x % 1000;
        }
        long expected = sumK;
        String sql = "select i, k, v from big";
        Workload.Factory sync = () -> {
            Connection c = Env.jdbc(env.sharedFile("w13", setup).toString());
            PreparedStatement ps = c.prepareStatement(sql);
            return Side.of(() -> {
                long count = 0;
                long sum = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                        sum += rs.getLong(2);
                        check(rs.getString(3) != null, "v");
                        count++;
                    }
                }
                check(count == total && sum == expected, total + " rows");
                return count;
            }, c::close);
        };
        Workload.Factory async = () -> {
            AsyncConnection db = Env.aio(env.sharedFile("w13", setup).toString(), List.of());
            return Side.of(() -> {
                AsyncCursor cursor = db.execute(sql).join();
                Summing sub = new Summing(256);
                cursor.rows().subscribe(sub);
                sub.done.join();
                cursor.closeAsync().join();
                check(sub.count == total && sub.sum == expected, total + " rows, got " + sub.count);
                return sub.count;
            }, db::close);
        };
        // Vert.x: no streaming cursor on JDBC; loading 1M rows at once is not the same workload.
        return new Workload("W13", "scan_1m", STREAM, false, sync, async, null);
    }

    /** A subscriber that sums column k, requesting {@code window} rows at a time. */
    static final class Summing implements Flow.Subscriber<Row> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final int window;
        Flow.Subscription subscription;
        long count;
        long sum;
        int left;

        Summing(int window) {
            this.window = window;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            left = window;
            s.request(window);
        }

        @Override
        public void onNext(Row row) {
            count++;
            sum += row.getLong(1);
            if (row.getString(2) == null) {
                subscription.cancel();
                done.completeExceptionally(new IllegalStateException("wrong result: v is null"));
            }
            if (--left == window / 2) {
                left += window / 2;
                subscription.request(window / 2);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }

    // ---------------------------------------------------------------- W10, W11: point selects

    static final String POINT = "select * from t where id = ?";

    static List<String> pointSetup(int rows) {
        return List.of("create table t (id integer primary key, k integer, v text)",
                "insert into t (id, k, v) with recursive n(x) as (select 1 union all select x + 1"
                        + " from n where x < " + rows + ") select x, x * 3, 'v' || x from n");
    }

    static int[] randomIds(int rows) {
        Random random = new Random(42);
        int[] ids = new int[65_536];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + random.nextInt(rows);
        }
        return ids;
    }

    static void checkPoint(int size, long k, int id) {
        check(size == 1 && k == id * 3L, "row " + id + " with k = " + id * 3 + ", got " + k);
    }

    static Workload w10(Env env) {
        int rows = 10_000;
        int n = env.n(500, 20);
        int[] ids = randomIds(rows);
        Workload.Factory sync = () -> {
            Connection c = Env.jdbc(env.sharedFile("points", pointSetup(rows)).toString());
            PreparedStatement ps = c.prepareStatement(POINT);
            return new Side() {
                int next;

                @Override
                public long batch() throws Exception {
                    for (int i = 0; i < n; i++) {
                        int id = ids[next++ & 0xffff];
                        ps.setInt(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            check(rs.next(), "a row");
                            long k = rs.getLong(2);
                            checkPoint(rs.next() ? 2 : 1, k, id);
                        }
                    }
                    return n;
                }

                @Override
                public void close() throws Exception {
                    c.close();
                }
            };
        };
        Workload.Factory async = () -> {
            AsyncConnection db = Env.aio(env.sharedFile("points", pointSetup(rows)).toString(),
                    List.of());
            return new Side() {
                int next;

                @Override
                public long batch() {
                    for (int i = 0; i < n; i++) {
                        int id = ids[next++ & 0xffff];
                        List<Row> found = db.executeFetchAll(POINT, id).join();
                        checkPoint(found.size(), found.get(0).getLong(1), id);
                    }
                    return n;
                }

                @Override
                public void close() {
                    db.close();
                }
            };
        };
        Workload.Factory vertx = () -> {
            Pool pool = env.vertxPool(env.sharedFile("points", pointSetup(rows)).toString(),
                    List.of());
            Context loop = env.loop();
            return new Side() {
                int next;

                @Override
                public long batch() {
                    onLoop(loop, () -> repeat(n, i -> {
                        int id = ids[next++ & 0xffff];
                        return pool.preparedQuery(POINT).execute(Tuple.of(id)).map(found -> {
                            checkPoint(found.size(), found.iterator().next().getLong(1), id);
                            return found;
                        });
                    }));
                    return n;
                }

                @Override
                public void close() {
                    await(pool.close());
                }
            };
        };
        return new Workload("W10", "point_select_seq", new Workload.Target(
                "W10 awaited point selects (#14)", 0.8), true, sync, async, vertx);
    }

    static Workload w11(Env env) {
        int rows = 10_000;
        int callers = env.n(100, 10);
        // One batch: 100 callers x 250 lookups; a round runs batches for >= 0.3 s, so the full run
        // makes about 100 x 1,000 lookups per round. Vert.x runs about 20k lookups/s on this kind
        // of machine: its batch is 100 callers x 50 lookups, so a round stays near a second.
        int lookups = env.n(250, 20);
        int vertxLookups = env.n(50, 20);
        int[] ids = randomIds(rows);
        Workload.Factory sync = () -> {
            Connection c = Env.jdbc(env.sharedFile("points", pointSetup(rows)).toString());
            PreparedStatement ps = c.prepareStatement(POINT);
            // The floor: the same lookups, one after another, on one connection.
            return Side.of(() -> syncLookups(ps, ids, callers, lookups), c::close);
        };
        Workload.Factory async = () -> {
            AsyncConnection db = Env.aio(env.sharedFile("points", pointSetup(rows)).toString(),
                    List.of());
            return Side.of(() -> aioCallers(id -> db.executeFetchAll(POINT, id), ids, callers,
                    lookups), db::close);
        };
        Workload.Factory vertx = () -> {
            Pool pool = env.vertxPool(env.sharedFile("points", pointSetup(rows)).toString(),
                    List.of());
            Context loop = env.loop();
            return Side.of(() -> vertxCallers(loop, pool, ids, callers, vertxLookups),
                    () -> await(pool.close()));
        };
        return new Workload("W11", "point_select_concurrent", ONE_CONNECTION, true, sync, async,
                vertx);
    }

    /** One point select on plain JDBC, checked. */
    static void syncLookup(PreparedStatement ps, int id) throws java.sql.SQLException {
        ps.setInt(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            check(rs.next(), "a row");
            long k = rs.getLong(2);
            checkPoint(rs.next() ? 2 : 1, k, id);
        }
    }

    /**
     * The floor of W11 and W15: the lookups of {@code callers} callers, one after another on one
     * thread and one connection.
     *
     * @return the number of lookups
     */
    static long syncLookups(PreparedStatement ps, int[] ids, int callers, int lookups)
            throws java.sql.SQLException {
        for (int caller = 0; caller < callers; caller++) {
            for (int j = 0; j < lookups; j++) {
                syncLookup(ps, ids[(caller * lookups + j) & 0xffff]);
            }
        }
        return (long) callers * lookups;
    }

    /**
     * {@code callers} chains of {@code lookups} aiosqlite4j point selects each, awaited together.
     *
     * @param lookup runs one point select ({@link #POINT}) for an id
     * @return the number of lookups
     */
    static long aioCallers(IntFunction<CompletableFuture<List<Row>>> lookup, int[] ids,
            int callers, int lookups) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[callers];
        for (int caller = 0; caller < callers; caller++) {
            all[caller] = aioCaller(lookup, ids, caller * lookups, lookups);
        }
        CompletableFuture.allOf(all).join();
        return (long) callers * lookups;
    }

    /** One caller of W11/W15: a chain of lookups, each started when the previous one completed. */
    static CompletableFuture<Void> aioCaller(IntFunction<CompletableFuture<List<Row>>> lookup,
            int[] ids, int next, int left) {
        if (left == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int id = ids[next & 0xffff];
        return lookup.apply(id).thenCompose(found -> {
            checkPoint(found.size(), found.get(0).getLong(1), id);
            return aioCaller(lookup, ids, next + 1, left - 1);
        });
    }

    /**
     * {@code callers} chains of {@code lookups} point selects each, started on the side's event
     * loop and awaited there together ({@code Future.all}); the runner waits once.
     *
     * @return the number of lookups
     */
    static long vertxCallers(Context loop, Pool pool, int[] ids, int callers, int lookups) {
        onLoop(loop, () -> {
            List<Future<Void>> all = new ArrayList<>(callers);
            for (int caller = 0; caller < callers; caller++) {
                all.add(vertxCaller(pool, ids, caller * lookups, lookups));
            }
            return Future.all(all);
        });
        return (long) callers * lookups;
    }

    static Future<Void> vertxCaller(Pool pool, int[] ids, int next, int left) {
        if (left == 0) {
            return Future.succeededFuture();
        }
        int id = ids[next & 0xffff];
        return pool.preparedQuery(POINT).execute(Tuple.of(id)).compose(found -> {
            checkPoint(found.size(), found.iterator().next().getLong(1), id);
            return vertxCaller(pool, ids, next + 1, left - 1);
        });
    }

    // ---------------------------------------------------------------- W12 executemany

    static Workload w12(Env env) {
        int total = env.n(100_000, 2_000);
        List<String> setup = List.of("create table m (id integer primary key, k integer, v text)");
        String sql = "insert into m (k, v) values (?, ?)";
        List<List<Object>> params = new ArrayList<>(total);
        List<Tuple> tuples = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            params.add(List.of((long) i, "v" + i));
            tuples.add(Tuple.of((long) i, "v" + i));
        }
        long sumK = (long) total * (total - 1) / 2;
        String check = "select count(*) * 1000000000000 + sum(k) from m";
        long expected = total * 1_000_000_000_000L + sumK;
        Workload.Factory sync = () -> {
            Connection c = Env.jdbc(env.newFile("w12-sync", setup).toString());
            c.setAutoCommit(false);
            PreparedStatement ps = c.prepareStatement(sql);
            return new Side() {
                @Override
                public void before() throws Exception {
                    Env.run(c, List.of("delete from m"));
                    c.commit();
                }

                @Override
                public long batch() throws Exception {
                    for (List<Object> row : params) {
                        ps.setLong(1, (Long) row.get(0));
                        ps.setString(2, (String) row.get(1));
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    c.commit();
                    check(counts.length == total, total + " rows inserted");
                    return total;
                }

                @Override
                public void verify() throws Exception {
                    check(Env.queryLong(c, check) == expected, total + " rows in m");
                }

                @Override
                public void close() throws Exception {
                    c.close();
                }
            };
        };
        Workload.Factory async = () -> {
            AsyncConnection db = Env.aio(env.newFile("w12-async", setup).toString(), List.of());
            return new Side() {
                @Override
                public void before() {
                    db.execute("delete from m").join();
                    db.commit().join();
                }

                @Override
                public long batch() {
                    AsyncCursor cursor = db.executeMany(sql, params).join();
                    db.commit().join();
                    check(cursor.rowCount() == total, total + " rows inserted");
                    return total;
                }

                @Override
                public void verify() {
                    check(Env.queryLong(db, check) == expected, total + " rows in m");
                }

                @Override
                public void close() {
                    db.close();
                }
            };
        };
        Workload.Factory vertx = () -> {
            Pool pool = env.vertxPool(env.newFile("w12-vertx", setup).toString(), List.of());
            Context loop = env.loop();
            return new Side() {
                @Override
                public void before() {
                    await(pool.query("delete from m").execute());
                }

                @Override
                public long batch() {
                    onLoop(loop, () -> pool.withTransaction(c ->
                            c.preparedQuery(sql).executeBatch(tuples)));
                    return total;
                }

                @Override
                public void verify() {
                    check(Env.queryLong(pool, check) == expected, total + " rows in m");
                }

                @Override
                public void close() {
                    await(pool.close());
                }
            };
        };
        return new Workload("W12", "executemany_100k", new Workload.Target(
                "W12 executemany 100k (#4, #14)", 0.95), false, sync, async, vertx);
    }
}
