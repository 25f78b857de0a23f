package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.Autocommit;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.TransactionDefinition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Auto-commit, explicit transactions, definitions, savepoints and timeouts. */
final class TransactionTest extends FileConnectionTest {

    @BeforeEach
    void createTable() {
        Db.update(c, "CREATE TABLE t(a INTEGER)");
    }

    private static <T> T block(org.reactivestreams.Publisher<T> p) {
        return Mono.from(p).block(Db.GUARD);
    }

    private long count() {
        return ((Number) Db.rows(c, "SELECT count(*) FROM t").get(0).get(0)).longValue();
    }

    @Test
    void autoCommitOff_beginsImplicitly_andRollbackDiscards() {
        block(c.setAutoCommit(false));
        assertThat(c.isAutoCommit()).isFalse();
        Db.update(c, "INSERT INTO t VALUES (1)");
        assertThat(Db.core(c).inTransaction()).isTrue();
        block(c.rollbackTransaction());
        assertThat(count()).isZero();
        Db.update(c, "INSERT INTO t VALUES (2)");
        block(c.setAutoCommit(true)); // commits
        assertThat(c.isAutoCommit()).isTrue();
        assertThat(Db.core(c).inTransaction()).isFalse();
        assertThat(count()).isOne();
    }

    @Test
    void coreAutocommitOff_isReplaced_soAutoCommitStillCommitsEachStatement() {
        SqliteConfig off = SqliteConfig.builder(file).autocommit(Autocommit.OFF).build();
        for (SqliteConnectionFactory factory : List.of(SqliteConnectionFactory.create(off),
                SqliteConnectionFactory.builder(off).pool(PoolOptions.defaults()).build())) {
            assertThat(factory.config().autocommit()).isEqualTo(Autocommit.LEGACY);
            Connection d = Db.open(factory);
            try {
                assertThat(d.isAutoCommit()).isTrue();
                Db.update(d, "INSERT INTO t VALUES (1)");
                assertThat(d.isAutoCommit()).isTrue();
                assertThat(count()).isOne(); // seen by another connection: committed
            } finally {
                Db.close(d);
                block(factory.close());
            }
            Db.update(c, "DELETE FROM t");
        }
    }

    @Test
    void savepoints_releaseAndRollBackTo() {
        Db.undoInASavepoint(c, "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)");
        assertThat(c.isAutoCommit()).isFalse();
        block(c.commitTransaction());
        assertThat(c.isAutoCommit()).isTrue();
        assertThat(Db.rows(c, "SELECT a FROM t")).containsExactly(List.of(1));
    }

    @Test
    void definition_modeAndLockWait_applyForOneTransaction() {
        TransactionDefinition immediate = new TransactionDefinition() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T getAttribute(Option<T> option) {
                if (option.equals(SqliteConnectionFactoryProvider.TRANSACTION_MODE)) {
                    return (T) "IMMEDIATE";
                }
                if (option.equals(TransactionDefinition.LOCK_WAIT_TIMEOUT)) {
                    return (T) Duration.ofMillis(1500);
                }
                return null;
            }
        };
        block(c.beginTransaction(immediate));
        assertThat(Db.rows(c, "PRAGMA busy_timeout")).containsExactly(List.of(1500));
        // IMMEDIATE took the write lock at BEGIN: another connection cannot write.
        Connection other = Db.open(SqliteConnectionFactory.create(
                SqliteConfig.builder(file).busyTimeout(Duration.ZERO).build()));
        try {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                    () -> Db.update(other, "INSERT INTO t VALUES (9)")))
                    .isInstanceOf(io.r2dbc.spi.R2dbcTransientResourceException.class);
        } finally {
            Db.close(other);
        }
        block(c.commitTransaction());
        assertThat(Db.rows(c, "PRAGMA busy_timeout")).containsExactly(List.of(5000));
    }

    @Test
    void isolationLevel_readUncommittedIsThePragma_othersAreSerializable() {
        assertThat(c.getTransactionIsolationLevel()).isEqualTo(io.r2dbc.spi.IsolationLevel.SERIALIZABLE);
        block(c.setTransactionIsolationLevel(io.r2dbc.spi.IsolationLevel.READ_UNCOMMITTED));
        assertThat(c.getTransactionIsolationLevel()).isEqualTo(io.r2dbc.spi.IsolationLevel.READ_UNCOMMITTED);
        assertThat(Db.rows(c, "PRAGMA read_uncommitted")).containsExactly(List.of(1));
        block(c.setTransactionIsolationLevel(io.r2dbc.spi.IsolationLevel.READ_COMMITTED));
        assertThat(c.getTransactionIsolationLevel()).isEqualTo(io.r2dbc.spi.IsolationLevel.SERIALIZABLE);
        assertThat(Db.rows(c, "PRAGMA read_uncommitted")).containsExactly(List.of(0));
    }

    @Test
    void lockWaitTimeout_setsTheBusyTimeout() {
        block(c.setLockWaitTimeout(Duration.ofMillis(777)));
        assertThat(Db.rows(c, "PRAGMA busy_timeout")).containsExactly(List.of(777));
    }

    @Test
    void factoryTransactionMode_isUsedByBeginTransaction() {
        SqliteConnectionFactory cf = SqliteConnectionFactory.builder(SqliteConfig.builder(file).build())
                .transactionMode(IsolationLevel.EXCLUSIVE).build();
        Connection ex = Db.open(cf);
        Connection other = Db.open(SqliteConnectionFactory.create(
                SqliteConfig.builder(file).busyTimeout(Duration.ZERO).build()));
        try {
            block(ex.beginTransaction());
            // EXCLUSIVE (rollback journal): even readers are locked out.
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Db.rows(other, "SELECT * FROM t")))
                    .isInstanceOf(io.r2dbc.spi.R2dbcTransientResourceException.class);
            block(ex.rollbackTransaction());
            assertThat(Db.rows(other, "SELECT count(*) FROM t")).containsExactly(List.of(0));
        } finally {
            Db.close(other);
            Db.close(ex);
        }
    }
}
