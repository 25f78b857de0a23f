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
        long rejections) {}
