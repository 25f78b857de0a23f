package io.github.aiosqlite4j.internal.engine;

/**
 * What the {@link CancellationGate} reads of the running task: whether it was asked to stop, and
 * its deadline. The worker's task ({@code io.github.aiosqlite4j.internal.Task}) is one, so the
 * engine runs a task without depending on the worker. The gate reads and marks it on the worker
 * thread; a cancel raises the stop flag from any thread.
 */
public interface StopSignal {
    /** {@return true once a cancel or a timeout asked the running task to stop} */
    boolean stopRequested();

    /** {@return true if the task's deadline passed} */
    boolean timedOut();

    /** {@return the deadline in System.nanoTime() terms, 0 for none} */
    long deadline();

    /** The deadline passed while the task ran: stop it, as timed out. */
    void markTimedOut();
}
