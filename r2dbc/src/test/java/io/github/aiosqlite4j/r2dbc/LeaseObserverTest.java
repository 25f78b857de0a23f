package io.github.aiosqlite4j.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AsyncConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@link SqliteConnectionFactory#observeLeases}: a pooled connection tells its observer of each
 * pool connection it takes and gives back, one pair per statement outside a transaction and one
 * for a whole transaction; other connections are not observable.
 */
final class LeaseObserverTest {

    /** Events in order: "+" or "-" and the pool connection. */
    private record Event(boolean leased, AsyncConnection sqlite) {
    }

    private static final class Recorder implements SqliteConnectionFactory.LeaseObserver {
        final List<Event> events = new CopyOnWriteArrayList<>();
        /** A permit per lease given back (a result's may come after its rows). */
        final Semaphore returned = new Semaphore(0);

        @Override
        public void leased(AsyncConnection sqlite) {
            events.add(new Event(true, sqlite));
        }

        @Override
        public void released(AsyncConnection sqlite) {
            events.add(new Event(false, sqlite));
            returned.release();
        }
    }

    @Test
    void aPooledConnection_reportsEachLeaseAndItsReturn() throws InterruptedException {
        Path file = Db.tempFile();
        SqliteConnectionFactory cf = (SqliteConnectionFactory) ConnectionFactories.get(
                "r2dbc:sqlite:///" + file + "?pool=true&poolReaders=1");
        Connection c = Db.open(cf);
        try {
            Recorder recorder = new Recorder();
            assertThat(SqliteConnectionFactory.observeLeases(c, recorder)).isTrue();
            Db.update(c, "CREATE TABLE t(x INTEGER)");
            assertThat(Db.rows(c, "SELECT count(*) FROM t")).containsExactly(List.of(0));
            assertThat(recorder.returned.tryAcquire(2, 30, TimeUnit.SECONDS)).isTrue();
            AsyncConnection writer = recorder.events.get(0).sqlite();
            AsyncConnection reader = recorder.events.get(2).sqlite();
            assertThat(writer).isNotSameAs(reader);
            assertThat(recorder.events).containsExactly(new Event(true, writer), new Event(false, writer),
                    new Event(true, reader), new Event(false, reader));

            // A transaction holds the writer from its first statement to its end: one lease.
            recorder.events.clear();
            Mono.from(c.beginTransaction()).block(Db.GUARD);
            Db.update(c, "INSERT INTO t VALUES (1)");
            Db.update(c, "INSERT INTO t VALUES (2)");
            assertThat(recorder.events).containsExactly(new Event(true, writer));
            Mono.from(c.commitTransaction()).block(Db.GUARD);
            assertThat(recorder.events).containsExactly(new Event(true, writer), new Event(false, writer));

            // Removed: told of nothing more.
            recorder.events.clear();
            assertThat(SqliteConnectionFactory.observeLeases(c, null)).isTrue();
            Db.update(c, "INSERT INTO t VALUES (3)");
            assertThat(recorder.events).isEmpty();
        } finally {
            Db.close(c);
            Mono.from(cf.close()).block(Db.GUARD);
        }
    }

    @Test
    void aConnectionOfItsOwn_isNotObservable() {
        SqliteConnectionFactory cf = Db.factory(Db.tempFile());
        Connection c = Db.open(cf);
        try {
            assertThat(SqliteConnectionFactory.observeLeases(c, new Recorder())).isFalse();
            assertThat(SqliteConnectionFactory.observeLeases("not a connection", new Recorder())).isFalse();
        } finally {
            Db.close(c);
        }
    }
}
