package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.PoolMetrics;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import io.github.aiosqlite4j.SqlitePool;
import io.github.aiosqlite4j.SqliteSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential concurrency fuzzing of {@link SqlitePool} (issue 7, "and to a pool"). Sixteen
 * producers submit seeded random programs to one pool on a WAL file: write bodies through {@code
 * transaction()} and {@code write()} (several DML steps, transfers between accounts, caught
 * failures, nested transactions, uncaught constraint violations, bodies that throw midway), routed
 * {@code execute} and {@code executeFetchAll} writes (with {@code RETURNING}, after {@code WITH}
 * or a comment: shapes the router must send to the writer) and failing statements, reads through
 * {@code read()} bodies (some throwing) and routed statements (plain and mapped), and
 * cancellations and timeouts of queued or running writes and reads. Some seeds turn group commit on; each has 2 to 4 readers. The pool is closed
 * while requests are still queued and running: they must finish as if it had stayed open.
 *
 * <p><b>Writes</b> are checked differentially. Every write body takes a number from a counter as
 * it starts, on the writer thread: the order in which the writer really ran it. Without group
 * commit the writer runs every write in submission order (recorded under a lock, as in {@link
 * DifferentialFuzzTest}), which the test checks against those numbers; the writes are replayed in
 * that order. With group commit a {@code write()} body may overtake an earlier {@code
 * transaction()}, so the bodies are replayed in the order they ran, and the only routed writes are
 * ones whose result and effect do not depend on the state (syntax errors). Some bodies hold an
 * {@code INSERT OR ROLLBACK}: when it conflicts inside a group, SQLite rolls back the whole group,
 * the pool fails the bodies of the group that had run and runs the rest again; the replay models
 * that by running such bodies in savepoints of one open transaction until the OR ROLLBACK ends it,
 * and checks that no body committed in between. The replay runs each
 * write through plain synchronous JDBC (autocommit off, one transaction per body, rolled back on
 * the same failures) on a second database, and every result (rows changed, generated ids, rows
 * read inside bodies, the error code) and the final tables must be the same. A write that was
 * cancelled or timed out is replayed if, and only if, its log row (see below) is in the pool's
 * file: its outcome is decided afterwards.
 *
 * <p><b>Reads</b> run on snapshots at moments the log cannot fix, so they are checked by
 * consistency: every committed body inserts one row into {@code log} with the next sequence number
 * and sets {@code meta.n} to the count of log rows, transfers keep the sum of the balances
 * constant, and triggers keep {@code kvstat} equal to the count and sum of {@code kv}. Every read
 * must see a state where all of that holds; its snapshot {@code n} must be at least the highest
 * sequence acknowledged to a writer, or seen by a finished read, before the read was submitted;
 * and the balances it saw must be exactly those the replay had after its {@code n}-th committed
 * body (only bodies touch the accounts).
 *
 * <p>No {@link SQLTransientException} (BUSY, LOCKED, an acquisition timeout, a full queue) may
 * reach a caller.
 */
final class PoolDifferentialFuzzTest {
    private static final int PRODUCERS = 16;
    private static final int ACCOUNTS = 16;
    private static final int START_BALANCE = 1000;
    private static final int KEYS = 48;
    private static final int SLOW_ROWS = 20_000;
    /** The code of a grouped write() failed because SQLite rolled its whole group back. */
    private static final int GROUP_ROLLED_BACK = -1;

    @TempDir
    Path dir;

    @Test
    void sixteenProducersOnOnePool_matchTheSynchronousReplay() throws Exception {
        long base = Scale.seed();
        int seeds = Scale.of(2, 12);
        int opsPerProducer = Scale.of(120, 180);
        for (int s = 0; s < seeds; s++) {
            long seed = base + s;
            System.out.println("PoolDifferentialFuzzTest seed=" + seed);
            runSeed(seed, opsPerProducer);
        }
    }

    // ---------------------------------------------------------------------------------------
    // One SQL interface over both sides

    /** What a step needs: the pool's session on the writer, or the replay's JDBC connection. */
    interface Sql {
        long update(String sql, Object... params) throws SQLException;

        List<List<String>> query(String sql, Object... params) throws SQLException;

        long lastRowId() throws SQLException;

        /** Runs {@code inner} as a nested transaction: a savepoint, rolled back if it throws. */
        String nested(StepFn inner) throws SQLException;
    }

    static Sql of(SqliteSession s) {
        return new Sql() {
            @Override
            public String nested(StepFn inner) throws SQLException {
                return s.transaction(x -> inner.run(of(x)));
            }

            @Override
            public long update(String sql, Object... params) throws SQLException {
                return s.execute(sql, params);
            }

            @Override
            public List<List<String>> query(String sql, Object... params) throws SQLException {
                return DifferentialFuzzTest.rows(s.query(sql, params));
            }

            @Override
            public long lastRowId() {
                return s.lastRowId();
            }
        };
    }

    /** The synchronous model: one plain JDBC connection, autocommit off. */
    static final class Jdbc implements Sql {
        final Connection c;

        Jdbc(Connection c) {
            this.c = c;
        }

        @Override
        public long update(String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        }

        @Override
        public List<List<String>> query(String sql, Object... params) throws SQLException {
            return query(c, sql, params);
        }

        static List<List<String>> query(Connection c, String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                if (!ps.execute()) {
                    return List.of(); // a write without RETURNING, as the pool's executeFetchAll has it
                }
                try (ResultSet rs = ps.getResultSet()) {
                    List<List<String>> out = new ArrayList<>();
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            row.add(DifferentialFuzzTest.value(rs.getObject(i)));
                        }
                        out.add(row);
                    }
                    return out;
                }
            }
        }

        private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
        }

        @Override
        public long lastRowId() throws SQLException {
            return Long.parseLong(query("select last_insert_rowid()").get(0).get(0));
        }

        private int savepoints;

        @Override
        public String nested(StepFn inner) throws SQLException {
            String sp = "nested_" + (++savepoints);
            raw("savepoint " + sp);
            try {
                String r = inner.run(this);
                raw("release " + sp);
                return r;
            } catch (SQLException | RuntimeException e) {
                raw("rollback to " + sp);
                raw("release " + sp);
                throw e;
            }
        }

        void raw(String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        /** Rolls back after {@code failure}, unless SQLite already did (OR ROLLBACK). */
        void rollback(Throwable failure) throws SQLException {
            try {
                c.rollback();
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                    throw e;
                }
                // OR ROLLBACK: SQLite has rolled back already, and sqlite-jdbc (which keeps a
                // transaction open whenever autocommit is off) has not begun the next one
                failure.addSuppressed(e);
                try (Statement s = c.createStatement()) {
                    s.execute("begin");
                }
            }
        }
    }

    /** The primary result code of a failure, on either side. */
    static int code(SQLException e) {
        if (e instanceof SqliteError) {
            return ((SqliteError) e).resultCode();
        }
        return DifferentialFuzzTest.oracleCode(e);
    }

    // ---------------------------------------------------------------------------------------
    // Steps of a write body

    interface StepFn {
        String run(Sql db) throws SQLException;
    }

    record Step(String label, StepFn fn) {
        String run(Sql db) throws SQLException {
            return fn.run(db);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private static Step insertStep(Random r) {
        int k = r.nextInt(KEYS);
        String v = "v" + r.nextInt(1000);
        int n = r.nextInt(100);
        switch (r.nextInt(3)) {
            case 0: { // may violate unique(k): uncaught, it fails the body
                String sql = "insert into kv (k, v, n) values (?, ?, ?)";
                return new Step("insert k=" + k, db -> db.update(sql, k, v, n) + "@" + db.lastRowId());
            }
            case 1: {
                String sql = "insert or ignore into kv (k, v, n) values (?, ?, ?)";
                return new Step("insert or ignore k=" + k, db -> {
                    long changed = db.update(sql, k, v, n);
                    return changed > 0 ? changed + "@" + db.lastRowId() : "0";
                });
            }
            default: {
                String sql = "insert into kv (k, v, n) values (?, ?, ?) on conflict(k) do update set n = n + excluded.n";
                return new Step("upsert k=" + k, db -> Long.toString(db.update(sql, k, v, n)));
            }
        }
    }

    private static Step dmlStep(Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return insertStep(r);
            case 1: {
                int lo = r.nextInt(KEYS);
                int hi = lo + r.nextInt(6);
                int add = 1 + r.nextInt(9);
                String v = "u" + r.nextInt(1000);
                return new Step("update k in [" + lo + "," + hi + "]", db -> Long.toString(
                        db.update("update kv set n = n + ?, v = ? where k between ? and ?", add, v, lo, hi)));
            }
            case 2: {
                int k = r.nextInt(KEYS);
                return new Step("delete k=" + k, db -> Long.toString(db.update("delete from kv where k = ?", k)));
            }
            default:
                return transferStep(r, 1 + r.nextInt(400));
        }
    }

    /**
     * An insert whose conflict clause is OR ROLLBACK: if the key is taken, SQLite rolls back the
     * whole transaction, the group's too under group commit (the pool then fails the bodies of the
     * group that had run, and runs the rest again in a new group).
     */
    private static Step rollbackInsertStep(Random r, WriteBody body) {
        int k = r.nextInt(KEYS);
        return new Step("insert or rollback k=" + k, db -> {
            try {
                return db.update("insert or rollback into kv (k, v, n) values (?, 'x', 1)", k) + "@" + db.lastRowId();
            } catch (SQLException e) {
                if (db instanceof Jdbc) {
                    body.rolledBackInReplay = true;
                }
                throw e;
            }
        });
    }

    /** Moves money between two accounts; overdrawing violates the CHECK and fails the body. */
    private static Step transferStep(Random r, int amount) {
        int from = 1 + r.nextInt(ACCOUNTS);
        int to = 1 + r.nextInt(ACCOUNTS);
        return new Step("transfer " + amount + " " + from + "->" + to, db -> {
            long a = db.update("update acct set bal = bal - ? where id = ?", amount, from);
            long b = db.update("update acct set bal = bal + ? where id = ?", amount, to);
            return "t" + a + b;
        });
    }

    /** A statement that may fail with {@code expected}, caught inside the body, which goes on. */
    private static Step caughtStep(Random r) {
        Step inner;
        int expected;
        switch (r.nextInt(3)) {
            case 0:
                int k = r.nextInt(KEYS);
                inner = new Step("insert k=" + k, db -> Long.toString(
                        db.update("insert into kv (k, v, n) values (?, 'c', 1)", k)));
                expected = 19;
                break;
            case 1:
                inner = transferStep(r, 600 + r.nextInt(2000));
                expected = 19;
                break;
            default:
                inner = new Step("insert into nope", db -> Long.toString(db.update("insert into nope values (1)")));
                expected = 1;
                break;
        }
        Step in = inner;
        int exp = expected;
        return new Step("try{" + in + "}", db -> {
            try {
                return in.run(db);
            } catch (SQLException e) {
                if (code(e) != exp) {
                    throw e; // an interrupt from a cancel, say: not ours to swallow
                }
                return "caught" + exp;
            }
        });
    }

    /** Steps in a nested transaction ({@code SqliteSession.transaction}), aborted or caught at times. */
    private static Step nestedStep(Random r) {
        List<Step> inner = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            inner.add(dmlStep(r));
        }
        boolean abort = r.nextInt(3) == 0;
        boolean caught = r.nextBoolean();
        StepFn body = db -> {
            StringBuilder b = new StringBuilder("[");
            for (Step st : inner) {
                b.append(st.run(db)).append(';');
            }
            if (abort) {
                throw new DifferentialFuzzTest.BodyAbort();
            }
            return b.append(']').toString();
        };
        return new Step("nested" + inner + (abort ? " aborted" : "") + (caught ? " caught" : ""), db -> {
            if (!caught) {
                return db.nested(body);
            }
            try {
                return db.nested(body);
            } catch (DifferentialFuzzTest.BodyAbort e) {
                return "undone";
            } catch (SQLException e) {
                if (code(e) != 19) {
                    throw e;
                }
                return "undone19";
            }
        });
    }

    private static Step queryStep(Random r) {
        int k = r.nextInt(KEYS);
        return new Step("query k>=" + k, db -> db.query(
                "select id, k, v, n from kv where k >= ? order by id limit 4", k).toString()
                + db.query("select sum(bal) from acct"));
    }

    private static final String SLOW = "with recursive c(x) as (select 1 union all select x + 1 from c where x < ?)"
            + " select count(*) from c";

    private static Step slowStep() {
        return new Step("slow", db -> db.query(SLOW, SLOW_ROWS).toString());
    }

    /** The step every write body has once: its log row and the counter. */
    private static Step logStep(WriteBody body) {
        return new Step("log", db -> {
            db.update("insert into log (seq, op, what) values ((select n from meta) + 1, ?, ?)",
                    body.id, body.mode.name());
            db.update("update meta set n = n + 1");
            long seq = Long.parseLong(db.query("select n from meta").get(0).get(0));
            body.logSeq = seq;
            return "seq" + seq;
        });
    }

    // ---------------------------------------------------------------------------------------
    // Operations

    enum Mode { TRANSACTION, WRITE }

    /** A generated operation. */
    abstract static class Op {
        final int id;
        boolean cancellable;

        Op(int id) {
            this.id = id;
        }

        abstract CompletableFuture<?> submit(SqlitePool pool);

        String normalize(Object value) {
            return "OK:" + value;
        }
    }

    /** A write: replayed on the oracle. */
    abstract static class WriteOp extends Op {
        WriteOp(int id) {
            super(id);
        }

        abstract String replay(Jdbc o) throws SQLException;
    }

    static final class WriteBody extends WriteOp {
        final Mode mode;
        final List<Step> steps = new ArrayList<>();
        int abortAt = -1;
        /** Its INSERT OR ROLLBACK step failed in the replay, rolling the transaction back. */
        boolean rolledBackInReplay;
        final AtomicLong order;
        /** Taken as the body starts on the writer: the order the writer ran it (0: never ran). */
        volatile long execOrder;
        /** The log sequence the body wrote in its last run (on the library's side). */
        volatile long logSeq;

        WriteBody(int id, Mode mode, AtomicLong order) {
            super(id);
            this.mode = mode;
            this.order = order;
        }

        String body(Sql db) throws SQLException {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < steps.size(); i++) {
                if (i == abortAt) {
                    throw new DifferentialFuzzTest.BodyAbort();
                }
                out.append(steps.get(i).run(db)).append(',');
            }
            if (abortAt == steps.size()) {
                throw new DifferentialFuzzTest.BodyAbort();
            }
            return out.toString();
        }

        @Override
        CompletableFuture<?> submit(SqlitePool pool) {
            io.github.aiosqlite4j.SqlFunction<SqliteSession, String> b = s -> {
                execOrder = order.incrementAndGet();
                return body(of(s));
            };
            return mode == Mode.TRANSACTION ? pool.transaction(b) : pool.write(b);
        }

        @Override
        String replay(Jdbc o) throws SQLException {
            try {
                String r = body(o);
                o.c.commit();
                return "OK:" + r;
            } catch (SQLException | RuntimeException e) {
                o.rollback(e);
                throw e;
            }
        }

        /** Replays the body as one of a group: in a savepoint of the open transaction, not committed. */
        String replayInGroup(Jdbc o) throws SQLException {
            o.raw("savepoint grouped");
            try {
                String r = body(o);
                o.raw("release grouped");
                return "OK:" + r;
            } catch (SQLException | RuntimeException e) {
                if (rolledBackInReplay) {
                    o.rollback(e); // OR ROLLBACK ended the whole transaction
                } else {
                    o.raw("rollback to grouped");
                    o.raw("release grouped");
                }
                throw e;
            }
        }

        @Override
        public String toString() {
            return "#" + id + " " + mode.name().toLowerCase(java.util.Locale.ROOT) + steps
                    + (abortAt >= 0 ? " throwing before step " + abortAt : "")
                    + (cancellable ? " (cancellable)" : "");
        }
    }

    /** One statement routed to the writer: {@code execute} or {@code executeFetchAll}. */
    static final class RoutedWrite extends WriteOp {
        final String sql;
        final Object[] params;
        final boolean fetch;
        /** Its result and effect do not depend on the state: replayed anywhere. */
        final boolean stateFree;

        RoutedWrite(int id, String sql, boolean fetch, boolean stateFree, Object... params) {
            super(id);
            this.sql = sql;
            this.params = params;
            this.fetch = fetch;
            this.stateFree = stateFree;
        }

        @Override
        CompletableFuture<?> submit(SqlitePool pool) {
            return fetch ? pool.executeFetchAll(sql, params) : pool.execute(sql, params);
        }

        @Override
        @SuppressWarnings("unchecked")
        String normalize(Object value) {
            return fetch ? "OK:" + DifferentialFuzzTest.rows((List<Row>) value) : "OK:" + value;
        }

        @Override
        String replay(Jdbc o) throws SQLException {
            try {
                String r = fetch ? o.query(sql, params).toString() : Long.toString(rowCount(o.update(sql, params)));
                o.c.commit();
                return "OK:" + r;
            } catch (SQLException | RuntimeException e) {
                o.rollback(e);
                throw e;
            }
        }

        /**
         * The library counts rows as Python's sqlite3 does: a statement starting with {@code
         * WITH} reports -1.
         */
        private long rowCount(long changed) {
            return sql.strip().toLowerCase(java.util.Locale.ROOT).startsWith("with") ? -1 : changed;
        }

        @Override
        public String toString() {
            return "#" + id + (fetch ? " executeFetchAll " : " execute ") + sql + " " + List.of(params);
        }
    }

    /** What a read saw in its snapshot. */
    record Snapshot(long n, long logCount, long logMax, long sum, long min, String balances,
            long kvCount, long kvStatCount, long kvSum, long kvStatSum) {
        String violation() {
            if (sum != (long) ACCOUNTS * START_BALANCE || min < 0) {
                return "balances sum to " + sum + " (min " + min + ")";
            }
            if (n != logCount || n != logMax) {
                return "meta.n " + n + " but " + logCount + " log rows up to " + logMax;
            }
            if (kvCount != kvStatCount || kvSum != kvStatSum) {
                return "kv has " + kvCount + " rows summing to " + kvSum + ", kvstat says " + kvStatCount
                        + "/" + kvStatSum;
            }
            return null;
        }
    }

    private static final String SNAPSHOT = "select (select n from meta), (select count(*) from log),"
            + " (select coalesce(max(seq), 0) from log), (select sum(bal) from acct), (select min(bal) from acct),"
            + " (select group_concat(bal, ' ') from (select bal from acct order by id)),"
            + " (select count(*) from kv), (select cnt from kvstat), (select coalesce(sum(n), 0) from kv),"
            + " (select sumn from kvstat)";

    static Snapshot snapshot(List<String> row) {
        long[] v = new long[10];
        for (int i = 0; i < 10; i++) {
            if (i != 5) {
                v[i] = Long.parseLong(row.get(i));
            }
        }
        return new Snapshot(v[0], v[1], v[2], v[3], v[4], row.get(5).replaceFirst("^String:", ""), v[6], v[7],
                v[8], v[9]);
    }

    /** A consistency-checked read: a read() body of several queries, or one routed statement. */
    static final class SnapshotRead extends Op {
        final int style;
        final long floor;
        volatile Snapshot seen;

        SnapshotRead(int id, int style, long floor) {
            super(id);
            this.style = style;
            this.floor = floor;
            this.cancellable = style == 2;
        }

        @Override
        CompletableFuture<?> submit(SqlitePool pool) {
            switch (style) {
                case 0: // one statement, routed to a reader
                    return pool.executeFetchAll(SNAPSHOT).thenApply(rows -> record(
                            snapshot(DifferentialFuzzTest.rows(rows).get(0))));
                case 3: // the same, mapped on the reader's thread
                    return pool.executeFetchAll(SNAPSHOT, row -> record(snapshot(DifferentialFuzzTest.rows(
                            List.of(row)).get(0)))).thenApply(list -> list.get(0));
                default: // a body of separate queries (and, for style 2, a slow one to cancel)
                    return pool.read(s -> {
                        Sql db = of(s);
                        long n = Long.parseLong(db.query("select n from meta").get(0).get(0));
                        if (style == 2) {
                            db.query(SLOW, SLOW_ROWS);
                        }
                        List<String> log = db.query("select count(*), coalesce(max(seq), 0) from log").get(0);
                        List<List<String>> acct = db.query("select bal from acct order by id");
                        long sum = 0;
                        long min = Long.MAX_VALUE;
                        StringBuilder balances = new StringBuilder();
                        for (List<String> a : acct) {
                            long b = Long.parseLong(a.get(0));
                            sum += b;
                            min = Math.min(min, b);
                            balances.append(balances.length() == 0 ? "" : " ").append(b);
                        }
                        List<String> kv = db.query("select count(*), coalesce(sum(n), 0) from kv").get(0);
                        List<String> stat = db.query("select cnt, sumn from kvstat").get(0);
                        return record(new Snapshot(n, Long.parseLong(log.get(0)), Long.parseLong(log.get(1)), sum,
                                min, balances.toString(), Long.parseLong(kv.get(0)), Long.parseLong(stat.get(0)),
                                Long.parseLong(kv.get(1)), Long.parseLong(stat.get(1))));
                    });
            }
        }

        private Snapshot record(Snapshot s) {
            seen = s;
            return s;
        }

        @Override
        String normalize(Object value) {
            return "OK:snapshot";
        }

        @Override
        public String toString() {
            return "#" + id + (style == 0 ? " executeFetchAll snapshot" : style == 3 ? " mapped snapshot" : " read snapshot")
                    + (style == 2 ? " with a slow query" : "") + ", floor " + floor;
        }
    }

    /** A read whose result is only its outcome: rows of kv, or a failure of a given code. */
    static final class PlainRead extends Op {
        final int style;
        final int k;

        PlainRead(int id, int style, int k) {
            super(id);
            this.style = style;
            this.k = k;
        }

        /** What the outcome must be. */
        String expected() {
            switch (style) {
                case 2:
                    return "ERR:1"; // no such column
                case 3:
                    return "ERR:8"; // a reader is query_only
                case 8:
                    return "ABORT";
                default:
                    return "OK";
            }
        }

        @Override
        CompletableFuture<?> submit(SqlitePool pool) {
            switch (style) {
                case 0:
                    return pool.executeFetchAll("select id, k, v, n from kv where k >= ? order by id limit 10", k);
                case 1:
                    return pool.execute("select count(*) from kv where k < ?", k);
                case 2:
                    return pool.executeFetchAll("select nope from kv");
                case 3:
                    return pool.read(s -> s.execute("insert into kv (k, v, n) values (?, 'ro', 0)", k));
                case 4:
                    return pool.executeFetchAll("with c(x) as (select ?) select count(*) from kv where k > (select x from c)", k);
                case 5:
                    return pool.execute("/* a comment */ select count(*) from kv");
                case 6:
                    return pool.executeFetchAll("values (1), (?)", k);
                case 8:
                    return pool.read(s -> {
                        s.query("select count(*) from kv where k < ?", k);
                        throw new DifferentialFuzzTest.BodyAbort();
                    });
                default:
                    return pool.executeFetchAll("explain query plan select * from kv where k = ?", k);
            }
        }

        @Override
        String normalize(Object value) {
            return "OK";
        }

        @Override
        public String toString() {
            return "#" + id + " plain read style " + style + " k " + k;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Generation

    private static Op generate(Random r, int id, boolean group, AtomicLong order, long floor) {
        int roll = r.nextInt(100);
        if (roll < 45) {
            Mode mode = group ? (r.nextInt(4) == 0 ? Mode.TRANSACTION : Mode.WRITE)
                    : (r.nextBoolean() ? Mode.TRANSACTION : Mode.WRITE);
            WriteBody b = new WriteBody(id, mode, order);
            int n = 1 + r.nextInt(5);
            for (int i = 0; i < n; i++) {
                int kind = r.nextInt(10);
                b.steps.add(kind < 5 ? dmlStep(r) : kind < 7 ? caughtStep(r) : kind < 8 ? nestedStep(r) : queryStep(r));
            }
            b.steps.add(r.nextInt(b.steps.size() + 1), logStep(b));
            if (r.nextInt(25) == 0) {
                b.steps.add(r.nextInt(b.steps.size() + 1), rollbackInsertStep(r, b));
            }
            if (r.nextInt(10) == 0) {
                b.abortAt = r.nextInt(b.steps.size() + 1);
            }
            if (r.nextInt(8) == 0) {
                b.cancellable = true;
                b.steps.add(r.nextInt(b.steps.size() + 1), slowStep());
            }
            return b;
        }
        if (roll < 60) {
            if (group) { // only writes whose result and effect do not depend on where they run
                String[] bad = {"update nope set x = 1", "insert into kv (nope) values (1)", "delete from kv where"};
                return new RoutedWrite(id, bad[r.nextInt(bad.length)], r.nextBoolean(), true);
            }
            int k = r.nextInt(KEYS);
            switch (r.nextInt(10)) {
                case 0:
                    return new RoutedWrite(id, "insert into kv (k, v, n) values (?, ?, ?)", false, false,
                            k, "e" + r.nextInt(1000), r.nextInt(100));
                case 1:
                    return new RoutedWrite(id, "insert into kv (k, v, n) values (?, ?, ?) returning id, k", true,
                            false, k, "r" + r.nextInt(1000), r.nextInt(100));
                case 2:
                    return new RoutedWrite(id, "update kv set n = n + 1 where k between ? and ?", false, false,
                            k, k + r.nextInt(8));
                case 3:
                    return new RoutedWrite(id, "delete from kv where k = ? returning id", true, false, k);
                case 4:
                    return new RoutedWrite(id, "delete from kv where k = ?", false, false, k);
                case 5: // shapes the router must still send to the writer
                    return new RoutedWrite(id, "with c(x) as (select ?) insert into kv (k, v, n) select x, 'w', 2 from c",
                            r.nextBoolean(), false, k);
                case 6:
                    return new RoutedWrite(id, "/* a comment */ update kv set n = n + 1 where k = ?", false, false, k);
                case 7:
                    return new RoutedWrite(id, "-- a comment\ndelete from kv where k = ? returning k", true, false, k);
                case 8:
                    return new RoutedWrite(id, "with c(x) as (select ?) delete from kv where k in (select x from c)",
                            false, false, k);
                default:
                    return new RoutedWrite(id, "insert into kv (nope) values (1)", r.nextBoolean(), true);
            }
        }
        if (roll < 85) {
            return new SnapshotRead(id, r.nextInt(4), floor);
        }
        return new PlainRead(id, r.nextInt(9), r.nextInt(KEYS));
    }

    // ---------------------------------------------------------------------------------------
    // Running

    record Entry(int index, int producer, Op op, CompletableFuture<?> raw) {}

    static String libOutcome(Op op, CompletableFuture<?> raw) {
        return DifferentialFuzzTest.outcome(raw, op::normalize, PoolDifferentialFuzzTest::errorOutcome);
    }

    static String errorOutcome(Throwable t) {
        if (t instanceof CancellationException) {
            return "CANCELLED";
        }
        if (t instanceof TimeoutException) {
            return "TIMEOUT"; // our orTimeout
        }
        if (t instanceof SQLTransientException) {
            return "TRANSIENT:" + t; // BUSY, LOCKED, a full queue: must never reach us
        }
        if (t instanceof DifferentialFuzzTest.BodyAbort) {
            return "ABORT";
        }
        if (t instanceof SqliteError) {
            int code = ((SqliteError) t).resultCode();
            if (code == 19 && !(t instanceof SQLIntegrityConstraintViolationException)
                    || code == 8 && !(t instanceof SQLNonTransientException)) {
                return "WRONGTYPE:" + t;
            }
            return "ERR:" + code;
        }
        return "EXC:" + t;
    }

    static boolean lost(String outcome) {
        return outcome.equals("CANCELLED") || outcome.equals("TIMEOUT");
    }

    private static final String SCHEMA = "create table acct (id integer primary key, bal integer not null check (bal >= 0));"
            + "insert into acct (id, bal) with recursive c(x) as (select 1 union all select x + 1 from c where x < "
            + ACCOUNTS + ") select x, " + START_BALANCE + " from c;"
            + "create table log (seq integer primary key, op integer not null unique, what text not null);"
            + "create table meta (id integer primary key, n integer not null);"
            + "insert into meta values (1, 0);"
            + "create table kv (id integer primary key, k integer unique, v text, n integer not null default 0);"
            + "create table kvstat (id integer primary key, cnt integer not null, sumn integer not null);"
            + "insert into kvstat values (1, 0, 0);"
            + "create trigger kv_ins after insert on kv begin"
            + " update kvstat set cnt = cnt + 1, sumn = sumn + new.n; end;"
            + "create trigger kv_del after delete on kv begin"
            + " update kvstat set cnt = cnt - 1, sumn = sumn - old.n; end;"
            + "create trigger kv_upd after update on kv begin"
            + " update kvstat set sumn = sumn - old.n + new.n; end";

    private static final String[] TABLES = {
        "select id, bal from acct order by id", "select seq, op, what from log order by seq",
        "select id, n from meta", "select id, k, v, n from kv order by id", "select id, cnt, sumn from kvstat"};

    private static void createSchema(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("pragma journal_mode = wal");
            for (String stmt : schemaStatements()) {
                s.execute(stmt);
            }
        }
    }

    /** The schema split into statements (the triggers' bodies hold semicolons). */
    private static List<String> schemaStatements() {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String part : SCHEMA.split(";")) {
            cur.append(part);
            String t = cur.toString().strip();
            if (t.startsWith("create trigger") && !t.endsWith("end")) {
                cur.append(';');
                continue;
            }
            out.add(t);
            cur.setLength(0);
        }
        return out;
    }

    private void runSeed(long seed, int opsPerProducer) throws Exception {
        Path libFile = dir.resolve("pool-" + seed + ".db");
        Path oracleFile = dir.resolve("oracle-" + seed + ".db");
        Random setup = new Random(seed);
        boolean group = (seed & 1) == 1;
        int readers = 2 + setup.nextInt(3);
        int groupCommit = group ? 2 + setup.nextInt(15) : 1;
        SqliteConfig.SynchronousMode sync = setup.nextBoolean()
                ? SqliteConfig.SynchronousMode.OFF : SqliteConfig.SynchronousMode.NORMAL;
        String context = "seed " + seed + " (replay with -Daiosqlite4j.reliability.seed=" + seed
                + "), readers " + readers + ", group commit " + groupCommit + ", synchronous " + sync;
        createSchema(libFile);
        createSchema(oracleFile);
        List<Entry> log = new ArrayList<>();
        ReentrantLock submitLock = new ReentrantLock();
        AtomicLong order = new AtomicLong();
        AtomicLong floor = new AtomicLong(); // highest sequence acknowledged or seen by a finished read
        SqlitePool pool = SqlitePool.open(SqliteConfig.builder(libFile).synchronous(sync).build(),
                PoolOptions.builder().name("fuzz-" + seed).readers(readers).groupCommit(groupCommit).build())
                .get(30, TimeUnit.SECONDS);
        PoolMetrics metrics;
        List<String> lib = new ArrayList<>();
        try {
            ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    int producer = p;
                    Random r = new Random(seed * 1_000_003L + p);
                    done.add(producers.submit(() -> {
                        CompletableFuture<?> cancelLater = null;
                        for (int i = 0; i < opsPerProducer; i++) {
                            Entry e;
                            submitLock.lock();
                            try {
                                Op op = generate(r, producer * 100_000 + i, group, order, floor.get());
                                CompletableFuture<?> raw = op.submit(pool);
                                e = new Entry(log.size(), producer, op, raw);
                                log.add(e);
                            } finally {
                                submitLock.unlock();
                            }
                            Op op = e.op();
                            e.raw().whenComplete((v, error) -> acknowledge(op, error, floor));
                            if (cancelLater != null) {
                                cancelLater.cancel(true);
                                cancelLater = null;
                            }
                            if (op.cancellable) {
                                int how = r.nextInt(5);
                                if (how == 0) {
                                    e.raw().cancel(true);
                                } else if (how == 1) {
                                    cancelLater = e.raw();
                                } else if (how == 2) {
                                    e.raw().orTimeout(1 + r.nextInt(5), TimeUnit.MILLISECONDS);
                                }
                            }
                            if (r.nextInt(3) == 0) {
                                try {
                                    e.raw().get(120, TimeUnit.SECONDS);
                                    acknowledge(op, null, floor);
                                } catch (ExecutionException | CancellationException ignored) {
                                    // compared later
                                }
                            }
                        }
                        if (cancelLater != null) {
                            cancelLater.cancel(true);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(300, TimeUnit.SECONDS);
                }
            } finally {
                producers.shutdownNow();
            }
            // Close with requests still queued and running: every one accepted must finish as if
            // the pool stayed open (the outcomes are compared as the others are).
            CompletableFuture<Void> closing = pool.closeAsync();
            for (Entry e : log) {
                lib.add(libOutcome(e.op(), e.raw()));
            }
            closing.get(120, TimeUnit.SECONDS);
        } finally {
            pool.closeAsync().get(120, TimeUnit.SECONDS); // every accepted write has run after this
        }
        PoolMetrics closed = pool.metrics();
        metrics = closed;
        long writeOps = log.stream().filter(e -> e.op() instanceof WriteOp).count();
        assertThat(closed.writesPending()).as("%s: writes pending after close, %s", context, closed).isZero();
        assertThat(closed.readersWaiting()).as("%s: reads waiting after close, %s", context, closed).isZero();
        assertThat(closed.readersBusy()).as("%s: readers busy after close, %s", context, closed).isZero();
        assertThat(closed.writes()).as("%s: every write request finished, %s", context, closed).isEqualTo(writeOps);
        assertThat(log).as(context).hasSize(PRODUCERS * opsPerProducer);
        List<String> transients = new ArrayList<>();
        for (Entry e : log) {
            String got = lib.get(e.index());
            if (got.startsWith("TRANSIENT:") || got.startsWith("HUNG:") || got.startsWith("EXC:")
                    || got.startsWith("WRONGTYPE:")) {
                transients.add("#" + e.index() + " " + e.op() + " -> " + got);
            }
        }
        assertThat(transients).as("%s: transient, hung or unexpected failures reached the caller", context).isEmpty();
        assertThat(metrics.timeouts()).as(context).isZero();
        assertThat(metrics.rejections()).as(context).isZero();

        // --- what the pool's file holds -----------------------------------------------------------
        Set<Integer> committedOps = new TreeSet<>();
        List<List<List<String>>> libTables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + libFile)) {
            for (List<String> row : Jdbc.query(c, "select op from log")) {
                committedOps.add(Integer.parseInt(row.get(0)));
            }
            for (String t : TABLES) {
                libTables.add(Jdbc.query(c, t));
            }
            assertThat(Jdbc.query(c, "pragma integrity_check").toString()).as(context).isEqualTo("[[String:ok]]");
        }

        // --- the writes, in the order the writer ran them ---------------------------------------
        List<Entry> writes = new ArrayList<>();
        List<Entry> anywhere = new ArrayList<>();
        int neverRan = 0;
        int overtaken = 0;
        long lastOrder = 0;
        for (Entry e : log) {
            if (e.op() instanceof WriteBody) {
                WriteBody b = (WriteBody) e.op();
                String got = lib.get(e.index());
                if (b.execOrder != 0) {
                    overtaken += b.execOrder < lastOrder ? 1 : 0;
                    lastOrder = Math.max(lastOrder, b.execOrder);
                }
                if (b.execOrder == 0) {
                    neverRan++;
                    assertThat(got).as("%s: %s never ran, yet was not cancelled", context, b).matches("CANCELLED|TIMEOUT");
                    assertThat(committedOps).as("%s: %s never ran", context, b).doesNotContain(b.id);
                    continue;
                }
                writes.add(e);
            } else if (e.op() instanceof RoutedWrite) {
                if (group) {
                    assertThat(((RoutedWrite) e.op()).stateFree).as(context).isTrue();
                    anywhere.add(e);
                } else {
                    writes.add(e);
                }
            }
        }
        if (group) {
            writes.sort(Comparator.comparingLong(e -> ((WriteBody) e.op()).execOrder));
        } else {
            long last = 0;
            for (Entry e : writes) {
                if (e.op() instanceof WriteBody) {
                    long ran = ((WriteBody) e.op()).execOrder;
                    assertThat(ran).as("%s: without group commit the writer runs writes in submission order,"
                            + " but %s ran as body %d after body %d", context, e.op(), ran, last).isGreaterThan(last);
                    last = ran;
                }
            }
        }
        writes.addAll(anywhere);
        Map<Long, String> balancesAfter = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + oracleFile)) {
            c.setAutoCommit(false);
            Jdbc o = new Jdbc(c);
            balancesAfter.put(0L, balances(o));
            int replayed = 0;
            int skipped = 0;
            int victims = 0;
            int killedGroups = 0;
            List<Entry> pending = new ArrayList<>(); // ran in a group not yet ended, and succeeded
            for (int w = 0; w < writes.size(); w++) {
                Entry e = writes.get(w);
                WriteOp op = (WriteOp) e.op();
                String got = lib.get(e.index());
                boolean committed = committedOps.contains(op.id);
                boolean victim = got.equals("ERR:" + GROUP_ROLLED_BACK);
                if (group && op instanceof WriteBody && (victim || !pending.isEmpty()
                        || lost(got) && ((WriteBody) op).mode == Mode.WRITE && !committed)) {
                    // A body that may have run in a group SQLite rolled back (OR ROLLBACK in a later
                    // body of the group): replayed in a savepoint of one open transaction, as the
                    // pool ran it, so the later bodies of the group see its writes.
                    WriteBody b = (WriteBody) op;
                    String expected = outcome(() -> b.replayInGroup(o));
                    replayed++;
                    String problem = null;
                    if (!pending.isEmpty() && b.mode == Mode.TRANSACTION) {
                        problem = "a transaction() body ran amid the bodies of a group";
                    } else if (b.rolledBackInReplay && expected.equals("ERR:19")) {
                        if (!got.equals(expected) && !(lost(got) && !committed)) {
                            problem = "its INSERT OR ROLLBACK failed in the replay, but it gave " + got;
                        }
                        killedGroups += pending.isEmpty() ? 0 : 1;
                        pending.clear();
                    } else if (expected.startsWith("OK:")) {
                        if ((victim || lost(got)) && !committed && b.mode == Mode.WRITE) {
                            pending.add(e);
                            victims += victim ? 1 : 0;
                        } else {
                            problem = "it succeeded in the replay and gave " + got + " (its log row "
                                    + (committed ? "is" : "is not") + " in the file), after bodies of a group"
                                    + " that SQLite rolled back and no OR ROLLBACK between";
                        }
                    } else if (!got.equals(expected) && !(lost(got) && !committed)) {
                        problem = "it gave " + got + " but the replay (in a savepoint) gave " + expected;
                    }
                    if (problem != null) {
                        throw new AssertionError(context + ": write #" + e.index() + " (" + op + "): " + problem
                                + "; bodies of the open group: " + pending.stream().map(x -> x.op().toString()).toList()
                                + "; the writes before it, in the order they ran:" + history(writes, w, lib));
                    }
                    continue;
                }
                if (lost(got) && op instanceof WriteBody && !committed) {
                    skipped++;
                    continue; // cancelled or timed out, and rolled back (or never committed): no effect
                }
                String expected = outcome(() -> op.replay(o));
                replayed++;
                boolean ok = got.equals(expected) || (lost(got) && expected.startsWith("OK:"));
                if (op instanceof WriteBody) {
                    ok &= committed == expected.startsWith("OK:");
                    if (expected.startsWith("OK:")) {
                        long n = Long.parseLong(Jdbc.query(c, "select n from meta").get(0).get(0));
                        balancesAfter.put(n, balances(o));
                    }
                }
                if (!ok) {
                    throw new AssertionError(context + ": write #" + e.index() + " of producer " + e.producer()
                            + " (" + op + ") gave " + got + " (its log row " + (committed ? "is" : "is not")
                            + " in the file) but the synchronous replay gave " + expected
                            + "; the writes before it, in the order they ran:" + history(writes, w, lib));
                }
            }
            assertThat(pending).as("%s: bodies failed as part of a group that was never rolled back", context)
                    .isEmpty();
            for (int t = 0; t < TABLES.length; t++) {
                assertThat(libTables.get(t)).as("%s: final table (%s)", context, TABLES[t])
                        .isEqualTo(Jdbc.query(c, TABLES[t]));
            }

            // --- the reads ---------------------------------------------------------------------
            int reads = 0;
            int tight = 0;
            for (Entry e : log) {
                String got = lib.get(e.index());
                if (e.op() instanceof SnapshotRead) {
                    SnapshotRead read = (SnapshotRead) e.op();
                    if (lost(got) && read.cancellable) {
                        continue;
                    }
                    assertThat(got).as("%s: %s", context, read).isEqualTo("OK:snapshot");
                    Snapshot s = read.seen;
                    assertThat(s.violation()).as("%s: %s saw an inconsistent state %s", context, read, s).isNull();
                    assertThat(s.n()).as("%s: %s saw a state older than a write acknowledged (or a read"
                            + " finished) before it was submitted", context, read).isGreaterThanOrEqualTo(read.floor);
                    assertThat(s.balances()).as("%s: %s saw balances the replay never had after %d bodies",
                            context, read, s.n()).isEqualTo(balancesAfter.get(s.n()));
                    reads++;
                    tight += read.floor > 0 && s.n() == read.floor ? 1 : 0;
                } else if (e.op() instanceof PlainRead) {
                    assertThat(got).as("%s: %s", context, e.op()).isEqualTo(((PlainRead) e.op()).expected());
                    reads++;
                }
            }
            long cancelled = lib.stream().filter(PoolDifferentialFuzzTest::lost).count();
            long errors = lib.stream().filter(s -> s.startsWith("ERR:") || s.equals("ABORT")).count();
            System.out.println("  " + log.size() + " operations: " + replayed + " writes replayed (" + victims
                    + " failed in the " + killedGroups + " groups a later body's OR ROLLBACK rolled back; "
                    + overtaken + " bodies ran before one submitted earlier; " + neverRan + " cancelled before"
                    + " they ran, " + skipped + " after they ran but before committing), " + reads + " reads checked ("
                    + tight + " saw exactly their floor), " + cancelled + " cancelled or timed out, " + errors
                    + " failed as expected; " + committedOps.size() + " bodies committed in " + metrics.commits()
                    + " commits, " + metrics.waits() + " reads queued for a reader");
            assertThat(errors).as("%s: failing statements were exercised", context).isPositive();
        }
    }

    interface Replay {
        String run() throws SQLException;
    }

    /** The replay's outcome, in the library's outcome format. */
    private static String outcome(Replay replay) throws SQLException {
        try {
            return replay.run();
        } catch (SQLException ex) {
            return "ERR:" + code(ex);
        } catch (DifferentialFuzzTest.BodyAbort ex) {
            return "ABORT";
        }
    }

    private static String history(List<Entry> writes, int w, List<String> lib) {
        StringBuilder history = new StringBuilder();
        for (int j = Math.max(0, w - 12); j <= w; j++) {
            Entry h = writes.get(j);
            history.append(String.format("%n  #%d p%d %s -> %s", h.index(), h.producer(), h.op(),
                    DifferentialFuzzTest.abbreviate(lib.get(h.index()))));
        }
        return history.toString();
    }

    private static String balances(Jdbc o) throws SQLException {
        StringBuilder b = new StringBuilder();
        for (List<String> row : o.query("select bal from acct order by id")) {
            b.append(b.length() == 0 ? "" : " ").append(row.get(0));
        }
        return b.toString();
    }

    /** Raises the floor: a write acknowledged, or a read finished, with what it saw. */
    private static void acknowledge(Op op, Throwable error, AtomicLong floor) {
        if (error != null) {
            return;
        }
        long seq = op instanceof WriteBody ? ((WriteBody) op).logSeq
                : op instanceof SnapshotRead && ((SnapshotRead) op).seen != null ? ((SnapshotRead) op).seen.n() : 0;
        floor.accumulateAndGet(seq, Math::max);
    }
}
