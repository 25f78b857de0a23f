package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.SqlitePool;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every open connection of this JVM, for the two things that concern them all: the warning for a
 * connection the user forgot (a {@link Cleaner} watches the user-facing object, never the worker,
 * so that it can be collected), and the drain at JVM exit: each connection finishes its queue
 * within its grace period (a pool's connections through their pool, which first drains the work
 * it holds itself), then is interrupted and its remaining work failed.
 */
final class OpenConnections {
    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "aiosqlite4j-cleaner");
        t.setDaemon(true);
        return t;
    });
    private static final Set<ConnectionWorker> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(OpenConnections::shutdownAll,
                "aiosqlite4j-shutdown"));
    }

    private OpenConnections() {}

    static void add(ConnectionWorker worker) {
        OPEN.add(worker);
    }

    static void remove(ConnectionWorker worker) {
        OPEN.remove(worker);
    }

    /**
     * Warns and closes if {@code connection} becomes unreachable while open.
     *
     * @param openSite where it was opened, logged with the warning
     */
    static void watch(DefaultAsyncConnection connection, ConnectionWorker worker, Throwable openSite) {
        CLEANER.register(connection, new LeakAction(worker, openSite));
    }

    /** Cleaner action: the user's connection object became unreachable. */
    private static final class LeakAction implements Runnable {
        private final ConnectionWorker worker;
        private final Throwable openSite;

        LeakAction(ConnectionWorker worker, Throwable openSite) {
            this.worker = worker;
            this.openSite = openSite;
        }

        @Override
        public void run() {
            if (!worker.isCloseRequested()) {
                LOG.log(System.Logger.Level.WARNING, "an AsyncConnection to '"
                        + worker.config().database() + "' was garbage-collected before being closed;"
                        + " closing it now. Close connections with close(), closeAsync() or"
                        + " try-with-resources.", openSite);
                worker.closeAsync();
            }
        }
    }

    private static void shutdownAll() {
        List<ConnectionWorker> workers = new ArrayList<>(OPEN);
        if (workers.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        Set<SqlitePool> pools = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ConnectionWorker w : workers) {
            SqlitePool pool = w.owningPool();
            if (pool != null) {
                pools.add(pool);
            } else {
                w.closeAsync();
            }
        }
        for (SqlitePool pool : pools) {
            try {
                pool.closeAsync();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "closing pool '" + pool.name()
                        + "' at JVM shutdown failed", e);
            }
        }
        for (ConnectionWorker w : workers) {
            if (!w.awaitEnded(start + w.config().shutdownGracePeriod().toNanos())) {
                LOG.log(System.Logger.Level.WARNING, "connection to '" + w.config().database()
                        + "' still busy after the shutdown grace period of "
                        + w.config().shutdownGracePeriod() + "; interrupting its running statement"
                        + " and failing the work still queued");
                w.abandon();
                w.awaitEnded(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            }
        }
    }
}
