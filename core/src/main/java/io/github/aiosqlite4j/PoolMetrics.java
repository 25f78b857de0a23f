package io.github.aiosqlite4j;

/**
 * An immutable snapshot of a {@link SqlitePool}'s state and counters, taken by {@link
 * SqlitePool#metrics()}. The gauges are read together under the pool's lock, so they are
 * consistent with each other; the counters only grow.
 *
 * @param readers the number of reader connections (0 for none)
 * @param readersBusy readers running a body or statement right now
 * @param readersWaiting read requests queued for a free reader right now (the wait queue's depth)
 * @param writesPending write requests submitted to the writer and not yet finished (the writer
 *     queue's depth, the running one included)
 * @param reads read requests finished (successfully or not) since the pool opened
 * @param writes write requests finished (successfully or not) since the pool opened
 * @param commits transactions the writer committed for write requests; below {@code writes} when
 *     group commit put several {@link SqlitePool#write} bodies in one transaction, or writes failed
 * @param waits read requests that found no free reader and had to queue
 * @param timeouts queued read requests that failed because no reader became free in time
 * @param rejections read requests refused at once because {@link PoolOptions#maxWaiters()}
 *     requests were already queued
 * @param busy requests (reads, writes, statements routed by the pool, writer leases) that failed
 *     with {@code SQLITE_BUSY}: a lock held by a connection outside the pool, or the writer not
 *     free in time for a lease (statements a lease holder runs on its connection are not counted)
 * @param leasesHeld connections leased out right now (the R2DBC driver's transactions and
 *     results, {@code pool=true}) and not yet given back
 */
public record PoolMetrics(
        int readers,
        int readersBusy,
        int readersWaiting,
        int writesPending,
        long reads,
        long writes,
        long commits,
        long waits,
        long timeouts,
        long rejections,
        long busy,
        int leasesHeld) {

    /**
     * A snapshot without the {@code busy} counter and the {@code leasesHeld} gauge (both 0), as
     * the record was before they were added.
     *
     * @param readers see the record's components
     * @param readersBusy see the record's components
     * @param readersWaiting see the record's components
     * @param writesPending see the record's components
     * @param reads see the record's components
     * @param writes see the record's components
     * @param commits see the record's components
     * @param waits see the record's components
     * @param timeouts see the record's components
     * @param rejections see the record's components
     */
    public PoolMetrics(int readers, int readersBusy, int readersWaiting, int writesPending,
            long reads, long writes, long commits, long waits, long timeouts, long rejections) {
        this(readers, readersBusy, readersWaiting, writesPending, reads, writes, commits, waits,
                timeouts, rejections, 0, 0);
    }
}
