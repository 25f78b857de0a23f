package io.github.aiosqlite4j.benchmarks;

/**
 * One row of the comparison table: an id (W1..W15), a name, the target, and how each system runs
 * it. A system that does not apply has a null factory and shows {@code -}. To add a workload, add
 * one entry to {@link Workloads#all(Env)} (W14, the pool, lives in {@link PoolMixed}; W15, the
 * pool's point selects against virtual threads, in {@link PoolPoints}).
 *
 * @param id W1..W15 (variants of one workload share the id and differ in name)
 * @param name the workload's name, for example {@code inserts (file)}
 * @param target the minimum median async/sync ratio, or null for none
 * @param vertxTarget whether aiosqlite4j must be 5x the Vert.x client here
 * @param sync plain synchronous sqlite-jdbc (the floor)
 * @param async aiosqlite4j through its public API
 * @param vertx the Vert.x JDBC client, or null
 * @param vthreads plain sqlite-jdbc called from virtual threads (Java 21+), or null
 * @param vthreadsTarget the minimum median async/vthreads ratio, or null for none
 */
public record Workload(String id, String name, Target target, boolean vertxTarget,
        Factory sync, Factory async, Factory vertx, Factory vthreads, Target vthreadsTarget) {

    /** A workload without a virtual-thread side. */
    public Workload(String id, String name, Target target, boolean vertxTarget, Factory sync,
            Factory async, Factory vertx) {
        this(id, name, target, vertxTarget, sync, async, vertx, null, null);
    }

    /** A target on the median async/sync ratio. */
    public record Target(String group, double min) {}

    /** Opens one system's side of the workload (untimed setup). */
    @FunctionalInterface
    public interface Factory {
        Side open() throws Exception;
    }

    /** {@return whether the runner measures this workload at all (sync and aiosqlite4j both built)} */
    public boolean runnable() {
        return sync != null && async != null;
    }
}
