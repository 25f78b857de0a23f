package io.github.aiosqlite4j.internal;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that run connections made with the default thread factory.
 *
 * <p>Starting a platform thread costs more than opening an SQLite database (tens to hundreds of
 * microseconds against about twenty), so a closed connection's thread does not end at once: it
 * waits, as {@code aiosqlite4j-idle} (named so once its brief spin is over), up to {@link
 * #KEEP_ALIVE_NANOS} for the next connection to run, spinning briefly first so that an
 * open-close loop hands it over without a wake-up. At most
 * {@link #MAX_IDLE} threads wait; the others end at once. Each thread still runs one connection at
 * a time, from open to close, and all are daemons, so an idle one never keeps the JVM alive.
 */
final class WorkerThreads {
    /** How long an idle thread waits for the next connection before it ends. */
    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Idle threads kept at most. */
    static final int MAX_IDLE = Math.max(2, Runtime.getRuntime().availableProcessors());
    static final String IDLE_NAME = "aiosqlite4j-idle";

    private static final AtomicLong IDS = new AtomicLong();
    private static final ConcurrentLinkedDeque<Carrier> IDLE = new ConcurrentLinkedDeque<>();

    private WorkerThreads() {
    }

    /** A connection's loop, told when its thread is free again. */
    abstract static class Job implements Runnable {
        /** The thread this job was given to, once {@link #start} gave it one. */
        private volatile Carrier carrier;

        /** Called on the thread after {@link #run()} returned and the thread is idle or ending. */
        abstract void released();

        /**
         * Another thread, once this job has nothing left to do but return (its connection was
         * closed by a caller, see ConnectionWorker's {@code closeHere}): puts the job's thread
         * among the idle ones already, so that a {@link #start} made meanwhile hands it the next
         * connection, run as soon as this job has returned, instead of starting a thread. A job
         * that has not started yet may then never run at all, so it must not matter whether it
         * runs. Does nothing once the job has returned, or when enough threads wait.
         */
        final void releaseEarly() {
            Carrier c = carrier;
            if (c != null && IDLE.size() < MAX_IDLE && c.next.compareAndSet(this, null)) {
                IDLE.addFirst(c);
            }
        }
    }

    /**
     * Runs a connection's loop on an idle thread, or on a new one.
     *
     * @param work the worker loop
     */
    static void start(Job work) {
        Carrier c;
        while ((c = IDLE.pollFirst()) != null) {
            work.carrier = c;
            if (c.assign(work)) {
                return;
            }
        }
        Carrier fresh = new Carrier(work);
        fresh.thread.start();
    }

    /** {@return a thread name for a new connection} */
    static String nextName() {
        return "aiosqlite4j-" + IDS.incrementAndGet();
    }

    /** One pooled thread. */
    private static final class Carrier implements Runnable {
        private static final Object RETIRED = new Object();
        private final Thread thread;
        /** The work it runs or is to run next; null while idle and waiting; RETIRED once it gave up. */
        private final java.util.concurrent.atomic.AtomicReference<Object> next =
                new java.util.concurrent.atomic.AtomicReference<>();

        Carrier(Job first) {
            first.carrier = this;
            next.set(first);
            thread = new Thread(this, IDLE_NAME);
            thread.setDaemon(true);
        }

        /** {@return false if this thread has already retired} */
        boolean assign(Job work) {
            if (next.compareAndSet(null, work)) {
                LockSupport.unpark(thread);
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            while (true) {
                Object n = next.get();
                // (not a job: it was taken back before it started, releaseEarly: idle already)
                if (n instanceof Job && !runJob((Job) n)) {
                    return;
                }
                if (!awaitWork()) {
                    return;
                }
            }
        }

        /** {@return true if this thread stays, idle, for the next job; false if it ends} */
        private boolean runJob(Job work) {
            try {
                work.run();
            } catch (Throwable t) {
                System.getLogger("io.github.aiosqlite4j").log(System.Logger.Level.ERROR,
                        "a connection's worker loop ended with an exception", t);
            }
            Thread.interrupted(); // no stale interrupt reaches the next connection
            boolean stay = true; // released early (Job#releaseEarly): idle already, perhaps with work
            if (next.compareAndSet(work, null)) {
                stay = IDLE.size() < MAX_IDLE;
                if (stay) {
                    IDLE.addFirst(this);
                } else {
                    next.set(RETIRED); // in no list: nobody can assign it meanwhile
                }
            }
            // Only now tell the connection (which completes its close future): a connect() made
            // right after close() finds this thread idle.
            work.released();
            return stay;
        }

        /** {@return true when new work was assigned, false when the thread retired} */
        private boolean awaitWork() {
            boolean named = false;
            long start = System.nanoTime();
            long spinUntil = start + Task.SPIN_NANOS;
            while (true) {
                if (next.get() != null) {
                    return true;
                }
                long now = System.nanoTime();
                if (now - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                long left = start + KEEP_ALIVE_NANOS - now;
                if (left <= 0) {
                    if (next.compareAndSet(null, RETIRED)) {
                        IDLE.remove(this);
                        return false;
                    }
                    return true; // assigned at the last moment
                }
                if (!named) {
                    // Renamed only now: an open-close loop that hands the thread over while it
                    // spins pays no rename (a system call) for the idle time between.
                    thread.setName(IDLE_NAME);
                    named = true;
                }
                LockSupport.parkNanos(this, left);
            }
        }
    }
}
