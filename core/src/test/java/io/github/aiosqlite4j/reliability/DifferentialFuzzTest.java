package io.github.aiosqlite4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteError;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.Streams;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteException;

/**
 * Differential concurrency fuzzing. Sixteen producers each generate a seeded random program of
 * inserts, updates, deletes, selects, executeMany, transaction() and run() bodies (with savepoints,
 * failing statements caught or not, aborted bodies), commit/rollback (method and raw SQL), failing
 * statements, cancellations and timeouts of slow queries, and streamed cursors, and submit it to
 * one connection. A lock around each submission records the global submission order, which FIFO
 * makes the execution order. The log is then replayed in that order through plain synchronous
 * JDBC (on a second database, with the implicit-transaction rules of Python's sqlite3 modelled
 * explicitly), and every result must be the same, as must the final table.
 *
 * <p>Cancellable operations are read-only, so whether a cancel won the race does not change the
 * database: their result must be either the cancellation (or timeout) or the replayed result.
 * Streams read a table nothing writes to, because their later fetches are submitted from
 * completion threads at moments the log does not record.
 */
final class DifferentialFuzzTest {
    private static final int PRODUCERS = 16;
    private static final int SLOW_ROWS = 10_000;
    private static final int RO_ROWS = 300;
    private static final int KEYS = 64;

    @TempDir
    Path dir;

    @Test
    void sixteenProducersOnOneConnection_matchTheSynchronousReplay() throws Exception {
        long base = Scale.seed();
        int seeds = Scale.of(2, 24);
        int opsPerProducer = Scale.of(150, 300);
        for (int s = 0; s < seeds; s++) {
            long seed = base + s;
            System.out.println("DifferentialFuzzTest seed=" + seed);
            runSeed(seed, opsPerProducer);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Operations

    /** The synchronous model: a plain autocommit JDBC connection plus our transaction flag. */
    static final class Oracle {
        final Connection c;
        final boolean implicit;
        boolean inTx;
        int savepoints;

        Oracle(Connection c, boolean implicit) {
            this.c = c;
            this.implicit = implicit;
        }

        void raw(String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        private void prologue(String sql) throws SQLException {
            String t = sql.stripLeading().toLowerCase(Locale.ROOT);
            boolean dml = t.startsWith("insert") || t.startsWith("update") || t.startsWith("delete")
                    || t.startsWith("replace");
            if (implicit && !inTx && dml) {
                raw("BEGIN");
                inTx = true;
            }
        }

        long update(String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                prologue(sql); // as in CPython: prepared first, so a bad statement begins nothing
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        }

        /** A statement that changes the transaction state: BEGIN, COMMIT, ROLLBACK. */
        void control(String sql) throws SQLException {
            raw(sql);
            String t = sql.strip().toLowerCase(Locale.ROOT);
            inTx = t.startsWith("begin");
        }

        long lastRowId() throws SQLException {
            return Long.parseLong(query("select last_insert_rowid()").get(0).get(0));
        }

        List<List<String>> query(String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                prologue(sql);
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<List<String>> out = new ArrayList<>();
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            row.add(value(rs.getObject(i)));
                        }
                        out.add(row);
                    }
                    return out;
                }
            }
        }
    }

    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return Long.toString(((Number) v).longValue());
        }
        return v.getClass().getSimpleName() + ":" + v;
    }

    static List<List<String>> rows(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows) {
            List<String> row = new ArrayList<>();
            for (Object v : r.values()) {
                row.add(value(v));
            }
            out.add(row);
        }
        return out;
    }

    /** One step of a transaction()/run() body, run on the session and on the oracle. */
    interface Step {
        String lib(SqliteSession s) throws SQLException;

        String oracle(Oracle o) throws SQLException;
    }

    /** The body gave up: the transaction must roll back. */
    static final class BodyAbort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyAbort() {
            super("body aborted on purpose", null, false, false);
        }
    }

    /** A generated operation. */
    abstract static class Op {
        final String label;
        boolean cancellable;

        Op(String label) {
            this.label = label;
        }

        /** Submits to the connection; the returned future is the library's own (cancellable). */
        abstract CompletableFuture<?> submit(AsyncConnection db);

        /** The library's value, as compared. */
        String normalize(Object value) {
            return "OK:" + value;
        }

        /** The replayed result. */
        abstract String replay(Oracle o) throws SQLException;

        @Override
        public String toString() {
            return label;
        }
    }

    static final class Insert extends Op {
        final String sql;
        final Object[] params;

        Insert(String sql, Object... params) {
            super("executeInsert " + sql + " " + List.of(params));
            this.sql = sql;
            this.params = params;
        }

        @Override
        CompletableFuture<?> submit(AsyncConnection db) {
            return db.executeInsert(sql, params);
        }

        @Override
        String replay(Oracle o) throws SQLException {
            o.update(sql, params);
            return "OK:" + o.lastRowId();
        }
    }

    static final class Change extends Op {
        final String sql;
        final Object[] params;

        Change(String sql, Object... params) {
            super("execute " + sql + " " + List.of(params));
            this.sql = sql;
            this.params = params;
        }

        @Override
        CompletableFuture<?> submit(AsyncConnection db) {
            return db.execute(sql, params).thenApply(AsyncCursor::rowCount);
        }

        @Override
        String replay(Oracle o) throws SQLException {
            return "OK:" + o.update(sql, params);
        }
    }

    static final class Query extends Op {
        final String sql;
        final Object[] params;
        final boolean expected;
        final List<List<String>> known;

        Query(String sql, List<List<String>> known, Object... params) {
            super("executeFetchAll " + sql + " " + List.of(params));
            this.sql = sql;
            this.params = params;
            this.known = known;
            this.expected = known != null;
        }

        @Override
        CompletableFuture<?> submit(AsyncConnection db) {
            return db.executeFetchAll(sql, params);
        }

        @Override
        @SuppressWarnings("unchecked")
        String normalize(Object value) {
            return "OK:" + rows((List<Row>) value);
        }

        @Override
        String replay(Oracle o) throws SQLException {
            return "OK:" + (expected ? known : o.query(sql, params));
        }
    }

    static class Control extends Op {
        final String sql;

        Control(String sql) {
            super("execute " + sql);
            this.sql = sql;
        }

        @Override
        CompletableFuture<?> submit(AsyncConnection db) {
            return db.execute(sql).thenApply(c -> "done");
        }

        @Override
        String replay(Oracle o) throws SQLException {
            o.control(sql);
            return "OK:done";
        }
    }

    static final class EndMethod extends Op {
        final boolean commit;

        EndMethod(boolean commit) {
            super(commit ? "commit()" : "rollback()");
            this.commit = commit;
        }

        @Override
        CompletableFuture<?> submit(AsyncConnection db) {
            return commit ? db.commit() : db.rollback();
        }

        @Override
        String replay(Oracle o) throws SQLException {
            if (o.inTx) {
                o.control(commit ? "COMMIT" : "ROLLBACK");
            }
            return "OK:null";
        }
    }

    static final class Many extends Op {
        final String sql;
        final List<List<?>> seq;

        Many(String sql, List<List<?>> seq) {
            super("executeMany " + sql + " " + seq);
            this.sql = sql;
            this.seq = seq;
        }

        @Override
        CompletableFuture<?> submit(AsyncConnection db) {
            return db.executeMany(sql, seq).thenApply(AsyncCursor::rowCount);
        }

        @Override
        String replay(Oracle o) throws SQLException {
            long total = 0;
            for (List<?> params : seq) {
                total += o.update(sql, params.toArray());
            }
            return "OK:" + total;
        }
    }

    static final class Body extends Op {
        final boolean transaction;
        final List<Step> steps;
        final boolean abort;
        /** For a cancellable writing body: the tag of its two rows in {@code marks}, else null. */
        String markTag;

        Body(boolean transaction, List<Step> steps, boolean abort, String description) {
            super((transaction ? "transaction " : "run ") + description + (abort ? " then abort" : ""));
            this.transaction = transaction;
            this.steps = steps;
            this.abort = abort;
        }

        @Override
        CompletableFuture<?> submit(AsyncConnection db) {
            io.github.aiosqlite4j.SqlFunction<SqliteSession, String> body = s -> {
                StringBuilder out = new StringBuilder();
                for (Step step : steps) {
                    out.append(step.lib(s)).append(',');
                }
                if (abort) {
                    throw new BodyAbort();
                }
                return out.toString();
            };
            return transaction ? db.transaction(body) : db.run(body);
        }

        private String steps(Oracle o) throws SQLException {
            StringBuilder out = new StringBuilder();
            for (Step step : steps) {
                out.append(step.oracle(o)).append(',');
            }
            if (abort) {
                throw new BodyAbort();
            }
            return out.toString();
        }

        @Override
        String replay(Oracle o) throws SQLException {
            if (!transaction) {
                return "OK:" + steps(o);
            }
            if (o.inTx) {
                String sp = "oracle_sp_" + (++o.savepoints);
                o.raw("SAVEPOINT " + sp);
                try {
                    String r = steps(o);
                    o.raw("RELEASE " + sp);
                    return "OK:" + r;
                } catch (SQLException | RuntimeException e) {
                    o.raw("ROLLBACK TO " + sp);
                    o.raw("RELEASE " + sp);
                    throw e;
                }
            }
            o.control("BEGIN");
            try {
                String r = steps(o);
                o.control("COMMIT");
                return "OK:" + r;
            } catch (SQLException | RuntimeException e) {
                o.control("ROLLBACK");
                throw e;
            }
        }
    }

    /** A streamed read of the table nothing writes to: rows(), fetchMany() or forEach(). */
    static final class Stream extends Op {
        final int after;
        final int style;
        final int batch;
        final int take;

        Stream(int after, int style, int batch, int take) {
            super("stream#" + style + " ro after " + after + " batch " + batch + " take " + take);
            this.after = after;
            this.style = style;
            this.batch = batch;
            this.take = take;
        }

        static final String SQL = "select id, label from ro where id > ? order by id";

        @Override
        CompletableFuture<?> submit(AsyncConnection db) {
            CompletableFuture<AsyncCursor> cursor = db.execute(SQL, after);
            switch (style) {
                case 0:
                    return cursor.thenCompose(c -> {
                        c.setIterChunkSize(batch);
                        return Streams.collect(limit(c.rows()), batch);
                    });
                case 1:
                    return cursor.thenCompose(c -> fetchLoop(c, new ArrayList<>())
                            .whenComplete((r, e) -> c.closeAsync()));
                default:
                    return cursor.thenCompose(c -> {
                        List<Row> out = new ArrayList<>();
                        return c.forEach(out::add).thenApply(n -> {
                            if (n != out.size()) {
                                throw new AssertionError("forEach counted " + n + " of " + out.size());
                            }
                            return out.subList(0, Math.min(take, out.size()));
                        });
                    });
            }
        }

        private java.util.concurrent.Flow.Publisher<Row> limit(java.util.concurrent.Flow.Publisher<Row> p) {
            return subscriber -> p.subscribe(new java.util.concurrent.Flow.Subscriber<Row>() {
                private java.util.concurrent.Flow.Subscription subscription;
                private int seen;
                private boolean done;

                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                    subscription = s;
                    subscriber.onSubscribe(s);
                }

                @Override
                public void onNext(Row item) {
                    if (done) {
                        return;
                    }
                    subscriber.onNext(item);
                    if (++seen == take) {
                        done = true;
                        subscription.cancel();
                        subscriber.onComplete();
                    }
                }

                @Override
                public void onError(Throwable t) {
                    if (!done) {
                        subscriber.onError(t);
                    }
                }

                @Override
                public void onComplete() {
                    if (!done) {
                        done = true;
                        subscriber.onComplete();
                    }
                }
            });
        }

        private CompletableFuture<List<Row>> fetchLoop(AsyncCursor c, List<Row> acc) {
            return c.fetchMany(batch).thenCompose(rows -> {
                acc.addAll(rows);
                if (rows.isEmpty() || acc.size() >= take) {
                    return CompletableFuture.completedFuture(acc.subList(0, Math.min(take, acc.size())));
                }
                return fetchLoop(c, acc);
            });
        }

        @Override
        @SuppressWarnings("unchecked")
        String normalize(Object value) {
            return "OK:" + rows((List<Row>) value);
        }

        @Override
        String replay(Oracle o) throws SQLException {
            List<List<String>> all = o.query(SQL, after);
            return "OK:" + all.subList(0, Math.min(take, all.size()));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Generation

    private static String[] kv(Random r) {
        return new String[] {"v" + r.nextInt(1000)};
    }

    private static Step dmlStep(Random r, boolean mayFail) {
        String sql;
        Object[] params;
        switch (r.nextInt(mayFail ? 4 : 3)) {
            case 0:
                sql = "insert or ignore into kv (k, v, n) values (?, ?, ?)";
                params = new Object[] {r.nextInt(KEYS), kv(r)[0], r.nextInt(100)};
                break;
            case 1:
                sql = "update kv set n = n + ? where k between ? and ?";
                int lo = r.nextInt(KEYS);
                params = new Object[] {1 + r.nextInt(5), lo, lo + r.nextInt(5)};
                break;
            case 2:
                sql = "delete from kv where k = ?";
                params = new Object[] {r.nextInt(KEYS)};
                break;
            default:
                sql = "insert into kv (k, v, n) values (?, ?, ?)"; // may violate unique(k)
                params = new Object[] {r.nextInt(KEYS), kv(r)[0], r.nextInt(100)};
                break;
        }
        return new Step() {
            @Override
            public String lib(SqliteSession s) throws SQLException {
                return Long.toString(s.execute(sql, params));
            }

            @Override
            public String oracle(Oracle o) throws SQLException {
                return Long.toString(o.update(sql, params));
            }

            @Override
            public String toString() {
                return sql + " " + List.of(params);
            }
        };
    }

    /** A statement that fails, caught inside the body, which goes on. */
    private static Step caughtStep(Random r) {
        Step inner = r.nextBoolean() ? dmlStep(r, true) : new Step() {
            @Override
            public String lib(SqliteSession s) throws SQLException {
                return Long.toString(s.execute("insert into nope values (1)"));
            }

            @Override
            public String oracle(Oracle o) throws SQLException {
                return Long.toString(o.update("insert into nope values (1)"));
            }

            @Override
            public String toString() {
                return "insert into nope";
            }
        };
        return new Step() {
            @Override
            public String lib(SqliteSession s) {
                try {
                    return inner.lib(s);
                } catch (SQLException e) {
                    return "caught" + ((SqliteError) e).resultCode();
                }
            }

            @Override
            public String oracle(Oracle o) {
                try {
                    return inner.oracle(o);
                } catch (SQLException e) {
                    return "caught" + oracleCode(e);
                }
            }

            @Override
            public String toString() {
                return "try{" + inner + "}";
            }
        };
    }

    private static Step queryStep(Random r) {
        int k = r.nextInt(KEYS);
        String sql = "select id, k, v, n from kv where k >= ? order by id limit 5";
        return new Step() {
            @Override
            public String lib(SqliteSession s) throws SQLException {
                return rows(s.query(sql, k)).toString();
            }

            @Override
            public String oracle(Oracle o) throws SQLException {
                return o.query(sql, k).toString();
            }

            @Override
            public String toString() {
                return "query k >= " + k;
            }
        };
    }

    private static Step savepointStep(Random r, int id) {
        String sp = "user_sp_" + id;
        List<Step> inner = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            inner.add(dmlStep(r, false));
        }
        boolean rollback = r.nextBoolean();
        return new Step() {
            @Override
            public String lib(SqliteSession s) throws SQLException {
                s.execute("savepoint " + sp);
                StringBuilder b = new StringBuilder("sp[");
                for (Step st : inner) {
                    b.append(st.lib(s)).append(';');
                }
                if (rollback) {
                    s.execute("rollback to " + sp);
                }
                s.execute("release " + sp);
                return b.append(']').toString();
            }

            @Override
            public String oracle(Oracle o) throws SQLException {
                o.raw("savepoint " + sp);
                StringBuilder b = new StringBuilder("sp[");
                for (Step st : inner) {
                    b.append(st.oracle(o)).append(';');
                }
                if (rollback) {
                    o.raw("rollback to " + sp);
                }
                o.raw("release " + sp);
                return b.append(']').toString();
            }

            @Override
            public String toString() {
                return "savepoint" + inner + (rollback ? " rolled back" : " released");
            }
        };
    }

    private static final String SLOW = "with recursive c(x) as (select 1 union all select x + 1 from c where x < ?)"
            + " select count(*) from c";

    /**
     * A cancellable transaction that writes: two rows in {@code marks} (which no other operation
     * reads, so whether it ran changes no other result) around a slow query, where a cancel or
     * timeout is likely to land. Whatever the race, its two rows must end up both there or both
     * absent.
     */
    private static Op markedTransaction(int id) {
        String tag = "m" + id;
        List<Step> steps = new ArrayList<>();
        for (int part = 1; part <= 2; part++) {
            int p = part;
            steps.add(new Step() {
                @Override
                public String lib(SqliteSession s) throws SQLException {
                    return Long.toString(s.execute("insert into marks (tag, part) values (?, ?)", tag, p));
                }

                @Override
                public String oracle(Oracle o) throws SQLException {
                    return Long.toString(o.update("insert into marks (tag, part) values (?, ?)", tag, p));
                }
            });
            if (part == 1) {
                steps.add(new Step() {
                    @Override
                    public String lib(SqliteSession s) throws SQLException {
                        return rows(s.query(SLOW, SLOW_ROWS)).toString();
                    }

                    @Override
                    public String oracle(Oracle o) {
                        return List.of(List.of(Integer.toString(SLOW_ROWS))).toString();
                    }
                });
            }
        }
        Body b = new Body(true, steps, false, "marks " + tag + " around a slow query");
        b.markTag = tag;
        b.cancellable = true;
        return b;
    }

    private static Op generate(Random r, int id) {
        int roll = r.nextInt(100);
        if (roll < 18) {
            boolean unique = r.nextInt(3) > 0;
            return new Insert((unique ? "insert" : "insert or replace") + " into kv (k, v, n) values (?, ?, ?)",
                    r.nextInt(KEYS), kv(r)[0], r.nextInt(100));
        }
        if (roll < 26) {
            int lo = r.nextInt(KEYS);
            return new Change("update kv set n = n + ?, v = ? where k between ? and ?",
                    1 + r.nextInt(9), kv(r)[0], lo, lo + r.nextInt(6));
        }
        if (roll < 32) {
            return new Change("delete from kv where k = ?", r.nextInt(KEYS));
        }
        if (roll < 42) {
            Query q = r.nextBoolean()
                    ? new Query("select id, k, v, n from kv where k >= ? order by id limit 15", null, r.nextInt(KEYS))
                    : new Query("select count(*), coalesce(sum(n), 0), coalesce(max(id), 0) from kv", null);
            q.cancellable = true; // read-only: may be cancelled at random
            return q;
        }
        if (roll < 48) {
            List<List<?>> seq = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
                seq.add(List.of(r.nextInt(KEYS), kv(r)[0], r.nextInt(100)));
            }
            return new Many("insert into kv (k, v, n) values (?, ?, ?)", seq);
        }
        if (roll < 62) {
            boolean transaction = roll < 57;
            List<Step> steps = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
                int kind = r.nextInt(10);
                if (kind < 5) {
                    steps.add(dmlStep(r, true));
                } else if (kind < 7) {
                    steps.add(caughtStep(r));
                } else if (kind < 8) {
                    steps.add(queryStep(r));
                } else if (transaction) {
                    steps.add(savepointStep(r, id * 10 + i));
                } else {
                    steps.add(dmlStep(r, false));
                }
            }
            return new Body(transaction, steps, transaction && r.nextInt(8) == 0, steps.toString());
        }
        if (roll < 70) {
            return new EndMethod(r.nextInt(3) > 0);
        }
        if (roll < 74) {
            String[] control = {"begin", "commit", "rollback", "begin immediate"};
            return new Control(control[r.nextInt(control.length)]);
        }
        if (roll < 80) {
            String[] bad = {"selec 1", "select nope from kv", "insert into kv (nope) values (1)",
                "update nope set x = 1", "select * from kv where", "delete from kv where nope = 1"};
            return new Control(bad[r.nextInt(bad.length)]) {
                @Override
                String replay(Oracle o) throws SQLException {
                    return "OK:" + o.update(sql); // fails in prepare, before any implicit BEGIN
                }
            };
        }
        if (roll < 82 && roll >= 80) {
            return markedTransaction(id);
        }
        if (roll < 85) {
            Query slow = new Query("with recursive c(x) as (select 1 union all select x + 1 from c where x < ?)"
                    + " select count(*) from c", List.of(List.of(Integer.toString(SLOW_ROWS))), SLOW_ROWS);
            slow.cancellable = true;
            return slow;
        }
        Stream s = new Stream(r.nextInt(RO_ROWS), r.nextInt(3), 1 + r.nextInt(KEYS), 1 + r.nextInt(RO_ROWS));
        return s;
    }

    // ---------------------------------------------------------------------------------------
    // Running

    record Entry(int index, int producer, Op op, CompletableFuture<?> raw, CompletableFuture<String> outcome) {}

    static String libOutcome(Op op, CompletableFuture<?> raw) {
        return outcome(raw, op::normalize, DifferentialFuzzTest::errorOutcome);
    }

    /**
     * A future's result as text for comparison: its value normalized, CANCELLED, the error as
     * {@code onError} names it, or HUNG when it does not complete within two minutes.
     */
    static String outcome(CompletableFuture<?> raw, java.util.function.Function<Object, String> normalize,
            java.util.function.Function<Throwable, String> onError) {
        try {
            return normalize.apply(raw.get(120, TimeUnit.SECONDS));
        } catch (CancellationException e) {
            return "CANCELLED";
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return onError.apply(t);
        } catch (Exception e) {
            return "HUNG:" + e;
        }
    }

    static String errorOutcome(Throwable t) {
        if (t instanceof CancellationException) {
            return "CANCELLED";
        }
        if (t instanceof SQLTimeoutException) {
            return "TIMEOUT";
        }
        if (t instanceof BodyAbort) {
            return "ABORT";
        }
        if (t instanceof SqliteError) {
            return "ERR:" + ((SqliteError) t).resultCode();
        }
        return "EXC:" + t;
    }

    static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }

    static int oracleCode(SQLException e) {
        if (e instanceof SQLiteException) {
            return ((SQLiteException) e).getResultCode().code & 0xff;
        }
        return -1;
    }

    private static final String SCHEMA = "create table kv (id integer primary key, k integer unique,"
            + " v text, n integer not null default 0);"
            + "create table ro (id integer primary key, label text);"
            + "create table marks (tag text not null, part integer not null);"
            + "insert into ro (id, label) with recursive c(x) as (select 1 union all select x + 1 from c where x < "
            + RO_ROWS + ") select x, 'label ' || x from c";

    private void runSeed(long seed, int opsPerProducer) throws Exception {
        Path libFile = dir.resolve("lib-" + seed + ".db");
        Path oracleFile = dir.resolve("oracle-" + seed + ".db");
        Random setup = new Random(seed);
        boolean implicit = setup.nextBoolean();
        SqliteConfig config = SqliteConfig.builder(libFile)
                .isolationLevel(implicit ? IsolationLevel.DEFERRED : IsolationLevel.AUTOCOMMIT)
                .journalMode(setup.nextBoolean() ? SqliteConfig.JournalMode.WAL : SqliteConfig.JournalMode.DELETE)
                .synchronous(SqliteConfig.SynchronousMode.OFF) // durability is CrashSafetyTest's subject
                .build();
        int progressPeriod = new int[] {0, 0, 7, 100}[setup.nextInt(4)];
        String context = "seed " + seed + " (replay with -Daiosqlite4j.reliability.seed=" + seed
                + "), isolation " + config.isolationLevel() + ", journal " + config.journalMode()
                + ", user progress handler every " + progressPeriod;
        List<Entry> log = new ArrayList<>();
        ReentrantLock submitLock = new ReentrantLock();
        AsyncConnection db = AioSqlite.connect(config).get(30, TimeUnit.SECONDS);
        try {
            db.executeScript(SCHEMA).get(30, TimeUnit.SECONDS);
            if (progressPeriod > 0) {
                db.setProgressHandler(() -> false, progressPeriod).get(30, TimeUnit.SECONDS);
            }
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
                                Op op = generate(r, producer * 100_000 + i);
                                CompletableFuture<?> raw = op.submit(db);
                                e = new Entry(log.size(), producer, op, raw, null);
                                log.add(e);
                            } finally {
                                submitLock.unlock();
                            }
                            if (cancelLater != null) {
                                cancelLater.cancel(true);
                                cancelLater = null;
                            }
                            if (e.op().cancellable) {
                                int how = r.nextInt(6);
                                if (how == 0) {
                                    e.raw().cancel(true);
                                } else if (how == 1) {
                                    cancelLater = e.raw();
                                } else if (how == 2) {
                                    e.raw().orTimeout(1 + r.nextInt(5), TimeUnit.MILLISECONDS);
                                }
                            }
                            if (r.nextInt(4) == 0) {
                                try {
                                    e.raw().get(120, TimeUnit.SECONDS);
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
            List<String> lib = new ArrayList<>();
            for (Entry e : log) {
                lib.add(libOutcome(e.op(), e.raw()));
            }
            db.commit().get(30, TimeUnit.SECONDS);
            List<List<String>> libMarks = rows(db.executeFetchAll("select tag, part from marks order by tag, part")
                    .get(30, TimeUnit.SECONDS));
            java.util.Map<String, List<String>> partsByTag = new java.util.TreeMap<>();
            for (List<String> m : libMarks) {
                partsByTag.computeIfAbsent(m.get(0), k -> new ArrayList<>()).add(m.get(1));
            }
            partsByTag.forEach((tag, parts) -> assertThat(parts)
                    .as("%s: the rows of cancellable transaction %s, all or nothing", context, tag)
                    .containsExactly("1", "2"));
            // --- replay -----------------------------------------------------------------------
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + oracleFile)) {
                Oracle o = new Oracle(c, implicit);
                try (Statement s = c.createStatement()) {
                    s.execute("pragma synchronous = off");
                    for (String stmt : SCHEMA.split(";")) {
                        s.execute(stmt);
                    }
                }
                for (Entry e : log) {
                    String got0 = lib.get(e.index());
                    boolean lost = got0.equals("CANCELLED") || got0.equals("TIMEOUT");
                    if (lost && e.op() instanceof Body && ((Body) e.op()).markTag != null
                            && !partsByTag.containsKey("String:" + ((Body) e.op()).markTag)) {
                        continue; // stopped before it wrote, or rolled back: nothing to replay
                    }
                    String expected;
                    try {
                        expected = e.op().replay(o);
                    } catch (SQLException ex) {
                        expected = "ERR:" + oracleCode(ex);
                    } catch (BodyAbort ex) {
                        expected = "ABORT";
                    }
                    String got = lib.get(e.index());
                    boolean ok = got.equals(expected)
                            || (e.op().cancellable && (got.equals("CANCELLED") || got.equals("TIMEOUT")));
                    if (!ok) {
                        StringBuilder history = new StringBuilder();
                        for (int j = Math.max(0, e.index() - 12); j <= e.index(); j++) {
                            history.append(String.format("%n  #%d p%d %s -> %s", j, log.get(j).producer(),
                                    log.get(j).op(), abbreviate(lib.get(j))));
                        }
                        throw new AssertionError(context + ": operation #" + e.index() + " of producer "
                                + e.producer() + " (" + e.op() + ") gave " + got + " but the synchronous"
                                + " replay gave " + expected + "; the operations before it:" + history);
                    }
                }
                if (o.inTx) {
                    o.control("COMMIT");
                }
                assertThat(rows(db.executeFetchAll("select id, k, v, n from kv order by id").get(30, TimeUnit.SECONDS)))
                        .as("%s: final table", context).isEqualTo(o.query("select id, k, v, n from kv order by id"));
                List<List<String>> oracleMarks = o.query("select tag, part from marks order by tag, part");
                if (!libMarks.equals(oracleMarks)) {
                    java.util.Set<List<String>> onlyLib = new java.util.LinkedHashSet<>(libMarks);
                    oracleMarks.forEach(onlyLib::remove);
                    java.util.Set<List<String>> onlyOracle = new java.util.LinkedHashSet<>(oracleMarks);
                    libMarks.forEach(onlyOracle::remove);
                    StringBuilder which = new StringBuilder();
                    for (Entry e : log) {
                        if (e.op() instanceof Body && ((Body) e.op()).markTag != null) {
                            String tag = "String:" + ((Body) e.op()).markTag;
                            if (onlyLib.stream().anyMatch(m -> m.get(0).equals(tag))
                                    || onlyOracle.stream().anyMatch(m -> m.get(0).equals(tag))) {
                                which.append(String.format("%n  #%d %s -> %s", e.index(), e.op(), lib.get(e.index())));
                            }
                        }
                    }
                    throw new AssertionError(context + ": marks only in the library's file " + onlyLib
                            + ", only in the replay " + onlyOracle + "; their operations:" + which);
                }
                assertThat(log).as(context).hasSize(PRODUCERS * opsPerProducer);
                long cancelled = lib.stream().filter(s -> s.equals("CANCELLED") || s.equals("TIMEOUT")).count();
                long errors = lib.stream().filter(s -> s.startsWith("ERR:")).count();
                System.out.println("  " + log.size() + " operations, " + cancelled + " cancelled or timed out, "
                        + errors + " failed as expected");
                assertThat(errors).as("%s: failing statements were exercised", context).isPositive();
            }
        } finally {
            db.closeAsync().get(60, TimeUnit.SECONDS);
        }
    }
}
