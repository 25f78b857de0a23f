package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What user code throws reaches the caller as that very object: a body's or a mapper's exception
 * is the future's failure, a callback's exception (function, collation, authorizer, progress
 * handler) is the cause of the statement's failure.
 */
final class UserExceptionsTest {
    @TempDir
    Path dir;

    /** A checked exception that is no {@link SqliteError}: it must not be re-wrapped. */
    private final SQLException mine = new SQLException("the body's own", "S1000", 7);
    /** Keeps its JDBC category only if nobody copies it. */
    private final SQLIntegrityConstraintViolationException category =
            new SQLIntegrityConstraintViolationException("the mapper's own");

    private AsyncConnection open() throws Exception {
        return AioSqlite.connect(dir.resolve("user.db")).get(10, TimeUnit.SECONDS);
    }

    /** Opens the test's database with a committed table {@code t (x)} holding {@code rows}, a VALUES list. */
    private AsyncConnection openWithTable(String rows) throws Exception {
        AsyncConnection db = open();
        db.execute("create table t (x)").join();
        if (!rows.isEmpty()) {
            db.execute("insert into t values " + rows).join();
        }
        db.commit().join();
        return db;
    }

    private static long count(AsyncConnection db) {
        return db.executeFetchAll("select count(*) from t").join().get(0).getLong(0);
    }

    @Test
    void connectionBodies_failWithTheBodysOwnException() throws Exception {
        try (AsyncConnection db = openWithTable("")) {
            assertThat(failure(db.transaction(s -> {
                s.execute("insert into t values (1)");
                throw mine;
            }))).isSameAs(mine);
            assertThat(failure(db.transaction(IsolationLevel.IMMEDIATE, s -> {
                throw category;
            }))).isSameAs(category);
            assertThat(failure(db.transaction(s -> s.transaction(inner -> {
                inner.execute("insert into t values (2)");
                throw mine;
            })))).isSameAs(mine);
            assertThat(failure(db.run(s -> {
                throw mine;
            }))).isSameAs(mine);
            assertThat(failure(db.withJdbc(c -> {
                throw mine;
            }))).isSameAs(mine);
            assertThat(count(db)).as("every failed body was rolled back").isZero();
            // A body that catches a statement's error and throws it on is no different.
            Throwable rethrown = failure(db.run(s -> {
                try {
                    s.execute("insert into nope values (1)");
                } catch (SQLException e) {
                    throw e;
                }
                return null;
            }));
            assertThat(rethrown).isInstanceOf(SQLSyntaxErrorException.class)
                    .isInstanceOf(SqliteError.class);
        }
    }

    @Test
    void rowMappers_failWithTheMappersOwnException() throws Exception {
        try (AsyncConnection db = openWithTable("(1), (2)")) {
            assertThat(failure(db.executeFetchAll("select x from t", row -> {
                throw category;
            }))).isSameAs(category);
            assertThat(failure(db.run(s -> s.query("select x from t", row -> {
                throw mine;
            })))).isSameAs(mine);
            RuntimeException unchecked = new IllegalStateException("unchecked");
            assertThat(failure(db.executeFetchAll("select x from t", row -> {
                throw unchecked;
            }))).isSameAs(unchecked);
            AsyncCursor cursor = db.execute("select x from t").join();
            assertThat(failure(cursor.forEach(row -> {
                throw unchecked;
            }))).isSameAs(unchecked);
            cursor.close();
            assertThat(db.executeFetchAll("select x from t order by x", row -> row.getLong(0)).join())
                    .as("the connection is still usable").containsExactly(1L, 2L);
        }
    }

    @Test
    void withJdbc_sqliteErrorsRaisedThroughTheRawConnection_areCategorised() throws Exception {
        try (AsyncConnection db = open()) {
            Throwable e = failure(db.withJdbc(c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    return s.execute("selec 1");
                }
            }));
            assertThat(e).isInstanceOf(SQLSyntaxErrorException.class).isInstanceOf(SqliteError.class);
            assertThat(e.getCause()).isInstanceOf(org.sqlite.SQLiteException.class);
        }
    }

    @Test
    void poolBodiesAndMappers_failWithTheUsersOwnException() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("pool.db")).build();
        for (int groupCommit : new int[] {1, 8}) {
            try (SqlitePool pool = SqlitePool.open(config, PoolOptions.builder().readers(1)
                    .groupCommit(groupCommit).build()).get(30, TimeUnit.SECONDS)) {
                pool.transaction(s -> s.execute("create table if not exists t (x)")).join();
                assertThat(failure(pool.transaction(s -> {
                    s.execute("insert into t values (1)");
                    throw mine;
                }))).isSameAs(mine);
                assertThat(failure(pool.write(s -> {
                    s.execute("insert into t values (1)");
                    throw category;
                }))).as("groupCommit " + groupCommit).isSameAs(category);
                assertThat(failure(pool.read(s -> {
                    throw mine;
                }))).isSameAs(mine);
                assertThat(failure(pool.executeFetchAll("select 1", row -> {
                    throw category;
                }))).isSameAs(category);
                assertThat(pool.executeFetchAll("select count(*) from t").join().get(0).getLong(0))
                        .isZero();
            }
        }
    }

    @Test
    void callbackExceptions_areTheCauseOfTheStatementsFailure() throws Exception {
        try (AsyncConnection db = openWithTable("('a'), ('b'), ('c')")) {

            db.createFunction("boom", 1, args -> {
                throw mine;
            }, true).join();
            assertCause(failure(db.executeFetchAll("select boom(x) from t")), mine);

            db.createAggregate("badstep", 1, () -> new AggregateFunction() {
                @Override
                public void step(Object... args) throws Exception {
                    throw category;
                }

                @Override
                public Object finish() {
                    return null;
                }
            }).join();
            assertCause(failure(db.executeFetchAll("select badstep(x) from t")), category);

            db.createAggregate("badfinish", 1, () -> new AggregateFunction() {
                @Override
                public void step(Object... args) {
                }

                @Override
                public Object finish() throws Exception {
                    throw mine;
                }
            }).join();
            assertCause(failure(db.executeFetchAll("select badfinish(x) from t")), mine);

            RuntimeException comparison = new IllegalStateException("collation");
            db.createCollation("badcoll", (a, b) -> {
                throw comparison;
            }).join();
            assertCause(failure(db.executeFetchAll("select x from t order by x collate badcoll")),
                    comparison);

            RuntimeException denied = new IllegalStateException("authorizer");
            db.setAuthorizer((action, a1, a2, schema, trigger) -> {
                throw denied;
            }).join();
            assertCause(failure(db.executeFetchAll("select x from t")), denied);
            db.setAuthorizer(null).join();

            RuntimeException stop = new IllegalStateException("progress");
            db.setProgressHandler(() -> {
                throw stop;
            }, 1).join();
            assertCause(failure(db.executeFetchAll("select x from t")), stop);
            db.setProgressHandler(null, 1).join();

            assertThat(db.executeFetchAll("select x from t order by x").join())
                    .extracting(r -> r.getString(0)).isEqualTo(List.of("a", "b", "c"));
        }
    }

    private static void assertCause(Throwable failure, Throwable thrown) {
        assertThat(failure).isInstanceOf(SQLException.class).isInstanceOf(SqliteError.class);
        assertThat(failure.getCause()).isSameAs(thrown);
    }
}
