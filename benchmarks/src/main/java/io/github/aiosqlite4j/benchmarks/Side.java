package io.github.aiosqlite4j.benchmarks;

/**
 * One system's implementation of one workload: its own connection and prepared state, and a batch
 * of operations the runner times. Every batch checks its results, so a fast wrong answer fails the
 * run.
 */
public abstract class Side {

    /**
     * Untimed, before each batch (for example, empties a table).
     *
     * @throws Exception on any failure
     */
    public void before() throws Exception {}

    /**
     * Timed: runs a batch of operations and checks their results.
     *
     * @return the number of operations run (rows, for the streaming workloads)
     * @throws Exception on any failure, including a wrong result
     */
    public abstract long batch() throws Exception;

    /**
     * Untimed, after each batch: checks the state the batch left behind (row counts).
     *
     * @throws Exception if the state is wrong
     */
    public void verify() throws Exception {}

    /**
     * Releases the side's connection (untimed).
     *
     * @throws Exception on any failure
     */
    public void close() throws Exception {}

    /**
     * What W14 counts besides ops/s, since the side opened. Only W14 counts; the others return
     * null.
     *
     * @return the counts so far, or null where the workload does not count them
     */
    public Counts counts() {
        return null;
    }

    /**
     * Operation counts of a side, cumulative. A <em>BUSY error</em> is an operation that failed
     * with a {@link java.sql.SQLTransientException} and was not retried.
     *
     * @param attempts operations started, failed ones included
     * @param busy operations that failed with a BUSY error
     * @param writes write operations started (transfers in W14)
     * @param writesAcked write operations acknowledged (committed)
     * @param busyWrites write operations that failed with a BUSY error
     */
    public record Counts(long attempts, long busy, long writes, long writesAcked, long busyWrites) {

        /**
         * Returns what happened between {@code earlier} and these counts.
         *
         * @param earlier counts taken before
         * @return what happened between {@code earlier} and these counts
         */
        public Counts minus(Counts earlier) {
            return new Counts(attempts - earlier.attempts, busy - earlier.busy,
                    writes - earlier.writes, writesAcked - earlier.writesAcked,
                    busyWrites - earlier.busyWrites);
        }
    }

    /** A side made of one timed lambda and an optional close action. */
    static Side of(Batch batch, Closer resource) {
        return new Side() {
            @Override
            public long batch() throws Exception {
                return batch.run();
            }

            @Override
            public void close() throws Exception {
                resource.close();
            }
        };
    }

    /** What closes a simple side. */
    @FunctionalInterface
    interface Closer {
        void close() throws Exception;
    }

    /** The timed part of a simple side. */
    @FunctionalInterface
    interface Batch {
        long run() throws Exception;
    }

    /**
     * Fails the run when a result is wrong.
     *
     * @param ok the condition
     * @param what what was expected, with the value found
     */
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("wrong result: " + what);
        }
    }
}
