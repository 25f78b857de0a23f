package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cursor semantics, streaming, parameters, transaction tracking and callbacks. */
final class CursorAndTransactionTest extends MemoryDatabaseTest {

    @BeforeEach
    void createTable() throws Exception {
        db.execute("create table t (id integer primary key, name text, score real, data blob)").join();
    }

    private void insertN(int n) {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            rows.add(List.of("n" + i, i * 1.5, new byte[] {(byte) i}));
        }
        db.executeMany("insert into t (name, score, data) values (?, ?, ?)", rows).join();
        db.commit().join();
    }

    @Test
    void cursorProperties_followPython() {
        AsyncCursor fresh = db.cursor().join();
        assertThat(fresh.rowCount()).isEqualTo(-1);
        assertThat(fresh.arraySize()).isEqualTo(1);
        assertThat(fresh.description()).isEmpty();
        AsyncCursor ins = db.execute("insert into t (name) values ('a'), ('b')").join();
        assertThat(ins.rowCount()).isEqualTo(2);
        assertThat(ins.lastRowId()).isEqualTo(2);
        AsyncCursor sel = db.execute("select id, name as label from t").join();
        assertThat(sel.rowCount()).isEqualTo(-1);
        assertThat(sel.description()).containsExactly(new Column("id", "INTEGER"), new Column("label", "TEXT"));
        AsyncCursor many = db.executeMany("update t set score = ? where id = ?",
                List.of(List.of(1.0, 1), List.of(2.0, 2), List.of(3.0, 99))).join();
        assertThat(many.rowCount()).isEqualTo(2);
        assertThat(sel.fetchMany().join()).hasSize(1);
        sel.setArraySize(5);
        assertThat(sel.fetchMany().join()).hasSize(1);
        assertThat(sel.fetchMany().join()).isEmpty();
        assertThatThrownBy(() -> sel.setArraySize(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowsAreTypedAndComparable() {
        db.execute("insert into t (name, score, data) values ('Ann', 2.5, x'0102')").join();
        Row row = db.executeFetchAll("select id, name, score, data, null as empty from t").join().get(0);
        assertThat(row.get(0)).isEqualTo(1L);
        assertThat(row.get("NAME")).isEqualTo("Ann");
        assertThat(row.getDouble("score")).isEqualTo(2.5);
        assertThat(row.getBytes("data")).containsExactly(1, 2);
        assertThat(row.get("empty")).isNull();
        assertThat(row.getLong("empty")).isNull();
        assertThat(row.columnNames()).containsExactly("id", "name", "score", "data", "empty");
        assertThat(row.toString()).isEqualTo("Row{id=1, name=Ann, score=2.5, data=x'0102', empty=NULL}");
        Row again = db.executeFetchAll("select id, name, score, data, null as empty from t").join().get(0);
        assertThat(again).isEqualTo(row).hasSameHashCodeAs(row);
        assertThatThrownBy(() -> row.getLong("name")).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("column 'name' (index 1) holds TEXT Ann, not an INTEGER");
        assertThatThrownBy(() -> row.get("missing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no column named 'missing'");
        assertThat(db.executeFetchAll("select 9223372036854775807, -1.0e300, ''").join().get(0).values())
                .containsExactly(Long.MAX_VALUE, -1.0e300, "");
    }

    @Test
    void namedParameters_allThreePrefixes() {
        List<Row> rows = db.executeFetchAll("select 1").join();
        assertThat(rows).hasSize(1);
        AsyncCursor c = db.execute("select :a, @b, $c, :a", Map.of("a", 1, "b", "two", "c", 3.0)).join();
        assertThat(c.fetchOne().join().orElseThrow().values()).containsExactly(1L, "two", 3.0, 1L);
        AsyncCursor numbered = db.execute("select ?2, ?1", "first", "second").join();
        assertThat(numbered.fetchAll().join().get(0).values()).containsExactly("second", "first");
    }

    @Test
    void rowsPublisher_honoursDemand_andFetchesInChunks() throws Exception {
        insertN(100);
        AtomicInteger statements = new AtomicInteger();
        AsyncCursor c = db.execute("select id from t order by id").join();
        c.setIterChunkSize(16);
        List<Long> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Flow.Subscription[] sub = new Flow.Subscription[1];
        c.rows().subscribe(new Flow.Subscriber<Row>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                sub[0] = s;
                s.request(3);
            }

            @Override
            public void onNext(Row item) {
                seen.add(item.getLong(0));
                if (seen.size() == 3) {
                    statements.incrementAndGet();
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
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(seen).containsExactly(1L, 2L, 3L);
        assertThat(done).isNotDone();
        sub[0].request(Long.MAX_VALUE);
        assertThat(done).succeedsWithin(WAIT);
        assertThat(seen).hasSize(100).isSorted();
        assertThat(seen.get(99)).isEqualTo(100L);
    }

    @Test
    void rowsPublisher_rejectsNonPositiveRequest() {
        AsyncCursor c = db.execute("select 1").join();
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        c.rows().subscribe(new Flow.Subscriber<Row>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(0);
            }

            @Override
            public void onNext(Row item) {}

            @Override
            public void onError(Throwable t) {
                error.complete(t);
            }

            @Override
            public void onComplete() {
                error.complete(null);
            }
        });
        assertThat(error).succeedsWithin(WAIT).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forEach_countsAndVisitsInOrder() {
        insertN(130);
        AsyncCursor c = db.execute("select id from t order by id").join();
        List<Long> ids = Collections.synchronizedList(new ArrayList<>());
        assertThat(c.forEach(r -> ids.add(r.getLong(0)))).succeedsWithin(WAIT).isEqualTo(130L);
        assertThat(ids).hasSize(130).isSorted();
        assertThat(c.forEach(r -> ids.add(-1L))).succeedsWithin(WAIT).isEqualTo(0L);
    }

    @Test
    void implicitTransactions_likePythonLegacyMode() {
        assertThat(db.inTransaction()).isFalse();
        db.execute("select * from t").join();
        assertThat(db.inTransaction()).isFalse();
        db.execute("insert into t (name) values ('x')").join();
        assertThat(db.inTransaction()).isTrue();
        db.rollback().join();
        assertThat(db.inTransaction()).isFalse();
        assertThat(db.executeFetchAll("select count(*) from t").join().get(0).getLong(0)).isZero();
        db.setIsolationLevel(IsolationLevel.AUTOCOMMIT).join();
        db.execute("insert into t (name) values ('y')").join();
        assertThat(db.inTransaction()).isFalse();
        db.execute("begin").join();
        assertThat(db.inTransaction()).isTrue();
        db.execute("savepoint a").join();
        db.execute("insert into t (name) values ('z')").join();
        db.execute("rollback to a").join();
        assertThat(db.inTransaction()).isTrue();
        db.execute("release a").join();
        assertThat(db.inTransaction()).isTrue();
        db.commit().join();
        assertThat(db.inTransaction()).isFalse();
        db.execute("savepoint outer_sp").join();
        assertThat(db.inTransaction()).isTrue();
        db.execute("release outer_sp").join();
        assertThat(db.inTransaction()).isFalse();
        assertThat(db.executeFetchAll("select name from t").join()).extracting(r -> r.getString(0))
                .containsExactly("y");
    }

    @Test
    void switchingToAutocommit_commitsOpenTransaction() {
        db.execute("insert into t (name) values ('kept')").join();
        assertThat(db.inTransaction()).isTrue();
        db.setIsolationLevel(IsolationLevel.AUTOCOMMIT).join();
        assertThat(db.inTransaction()).isFalse();
        assertThat(db.isolationLevel()).isEqualTo(IsolationLevel.AUTOCOMMIT);
        db.execute("rollback").exceptionally(e -> null).join();
        assertThat(db.executeFetchAll("select count(*) from t").join().get(0).getLong(0)).isEqualTo(1L);
    }

    @Test
    void traceCallback_seesImplicitBeginCommitAndScriptStatements() {
        List<String> traced = new CopyOnWriteArrayList<>();
        db.setTraceCallback(traced::add).join();
        db.execute("insert into t (name) values ('a')").join();
        db.commit().join();
        db.executeScript("insert into t (name) values ('b'); select 10;").join();
        db.setTraceCallback(null).join();
        db.execute("select 11").join();
        assertThat(traced).containsExactly("BEGIN DEFERRED", "insert into t (name) values ('a')",
                "COMMIT", "insert into t (name) values ('b')", "select 10");
    }

    @Test
    void executeScript_commitsFirst_andStopsAtTheFailingStatement() throws Exception {
        db.execute("insert into t (name) values ('pending')").join();
        assertThat(db.inTransaction()).isTrue();
        CompletableFuture<AsyncCursor> f = db.executeScript(
                "insert into t (name) values ('one'); insert into nope values (1); insert into t (name) values ('never');");
        assertThat(f).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(java.sql.SQLSyntaxErrorException.class)
                .withMessageContaining("no such table: nope");
        assertThat(db.executeFetchAll("select name from t order by id").join())
                .extracting(r -> r.getString(0)).containsExactly("pending", "one");
    }

    @Test
    void throwingFunction_failsTheStatementWithTheCause_andConnectionStaysUsable() {
        db.createFunction("boom", 1, args -> {
            throw new IllegalStateException("kaboom " + args[0]);
        }, false).join();
        assertThat(db.executeFetchAll("select boom(7)")).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(SQLException.class).withMessageContaining("boom")
                .havingCause().isInstanceOf(IllegalStateException.class).withMessage("kaboom 7");
        db.createFunction("boom", 1, null, false).join();
        assertThat(db.executeFetchAll("select boom(1)")).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(java.sql.SQLSyntaxErrorException.class)
                .withMessageContaining("no such function");
        assertThat(db.executeFetchAll("select 1")).succeedsWithin(WAIT);
    }

    @Test
    void exceptionsOfTheCallersParameterObjects_failTheFutureUnchanged() throws Exception {
        IllegalStateException broken = new IllegalStateException("iterator broke");
        Iterable<List<?>> rows = () -> new java.util.Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public List<?> next() {
                if (++n == 3) {
                    throw broken;
                }
                return List.of("r" + n);
            }
        };
        assertThatThrownBy(() -> db.executeMany("insert into t (name) values (?)", rows).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(broken);
        // the rows before the failing one stay applied, as they would one by one
        assertThat(db.executeFetchAll("select name from t order by id").join())
                .extracting(r -> r.get(0)).containsExactly("r1", "r2");
        UnsupportedOperationException refused = new UnsupportedOperationException("no lookups");
        Map<String, Object> named = new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Entry<String, Object>> entrySet() {
                throw refused;
            }

            @Override
            public boolean containsKey(Object key) {
                throw refused;
            }
        };
        assertThatThrownBy(() -> db.execute("select :a", named).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(refused);
        assertThat(db.executeFetchAll("select 1").join()).hasSize(1);
    }

    @Test
    void functionArgumentsAndResults_byStorageClass() {
        db.createFunction("kind", 1, args -> args[0] == null ? "null" : args[0].getClass().getSimpleName(), true).join();
        db.createFunction("echo", -1, args -> args.length == 0 ? null : args[args.length - 1], true).join();
        Row r = db.executeFetchAll("select kind(1), kind(1.5), kind('s'), kind(x'00'), kind(null), echo(), echo(1, x'ff')")
                .join().get(0);
        assertThat(r.values().subList(0, 6)).containsExactly("Long", "Double", "String", "byte[]", "null", null);
        assertThat((byte[]) r.get(6)).containsExactly(0xff);
    }

    @Test
    void progressHandler_abortsWhenItSaysSo() {
        db.setProgressHandler(() -> true, 1).join();
        assertThat(db.executeFetchAll("select count(*) from t")).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(SQLException.class).withMessageContaining("interrupt");
        db.setProgressHandler(null, 0).join();
        assertThat(db.executeFetchAll("select count(*) from t")).succeedsWithin(WAIT);
    }

    @Test
    void executeInsert_returnsRowid_andExecuteFetchAllMaps() {
        assertThat(db.executeInsert("insert into t (name) values (?)", "a")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(db.executeInsert("insert into t (name) values (?)", "b")).succeedsWithin(WAIT).isEqualTo(2L);
        assertThat(db.executeFetchAll("select name from t order by id", r -> r.getString(0).toUpperCase()))
                .succeedsWithin(WAIT).isEqualTo(List.of("A", "B"));
        assertThat(db.totalChanges()).succeedsWithin(WAIT).isEqualTo(2L);
    }

    @Test
    void closedCursor_failsClearly() {
        AsyncCursor c = db.execute("select 1").join();
        c.close();
        assertThat(c.fetchAll()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(SQLException.class).withMessageContaining("closed cursor");
        c.close();
    }

    @Test
    void dmlThatFailsToPrepare_beginsNoTransaction_butABindErrorDoes_likeCPython() {
        assertThat(db.execute("insert into nope values (1)")).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(java.sql.SQLSyntaxErrorException.class);
        assertThat(db.inTransaction()).isFalse();
        // CPython begins before binding: a wrong parameter count leaves the transaction open.
        assertThat(db.execute("insert into t (id) values (?)", 1, 2)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class);
        assertThat(db.inTransaction()).isTrue();
        db.rollback().join();
        assertThat(db.inTransaction()).isFalse();
    }

    @Test
    void aProgressHandlerAbortingAtAnyInstruction_neverLeavesTheTransactionStateWrong() throws Exception {
        // Round k aborts at the k-th progress call: somewhere inside BEGIN, the INSERT, COMMIT
        // or the ROLLBACK that cleans up. Whatever was hit, afterwards SQLite and the library
        // agree on the transaction state, and the row is there only if the future succeeded.
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger abortAt = new java.util.concurrent.atomic.AtomicInteger();
        db.setProgressHandler(() -> calls.incrementAndGet() == abortAt.get(), 1).join();
        for (int k = 1; k <= 60; k++) {
            int id = 1000 + k;
            calls.set(0);
            abortAt.set(k);
            boolean ok = db.transaction(s -> s.execute("insert into t (id) values (?)", id))
                    .handle((v, e) -> e == null).get(30, TimeUnit.SECONDS);
            abortAt.set(0);
            assertThat(db.inTransaction()).as("library state after round %d", k).isFalse();
            // SQLite's state: BEGIN works only outside a transaction.
            assertThat(db.execute("begin")).as("SQLite state after round %d", k).succeedsWithin(WAIT);
            db.execute("rollback").join();
            long present = db.executeFetchAll("select count(*) from t where id = ?", id).join()
                    .get(0).getLong(0);
            assertThat(present).as("row of round %d (future succeeded: %s)", k, ok).isEqualTo(ok ? 1L : 0L);
        }
        db.setProgressHandler(null, 1).join();
    }
}
