package io.github.aiosqlite4j;

/**
 * What one run of a statement cost, from SQLite's {@code sqlite3_stmt_status} as the statement
 * finished (with {@code SQLITE_TRACE_PROFILE}): see {@link
 * AsyncConnection#setStatementStatusCallback}. The step counters are this run's; {@code runs} and
 * {@code reprepares} count since SQLite prepared the statement (aiosqlite4j's statement cache
 * reuses it), {@code memUsed} is its current size.
 *
 * @param sql the statement's text as written (parameters not expanded)
 * @param nanos the wall-clock time SQLite measured for it
 * @param fullscanSteps forward steps of full table scans ({@code SQLITE_STMTSTATUS_FULLSCAN_STEP}):
 *     a large number says an index is missing
 * @param sorts sort operations ({@code SQLITE_STMTSTATUS_SORT})
 * @param autoindexes rows inserted into automatic indexes ({@code SQLITE_STMTSTATUS_AUTOINDEX})
 * @param vmSteps virtual machine operations ({@code SQLITE_STMTSTATUS_VM_STEP})
 * @param reprepares times the statement was prepared again after a schema change ({@code
 *     SQLITE_STMTSTATUS_REPREPARE})
 * @param runs times the statement ran ({@code SQLITE_STMTSTATUS_RUN})
 * @param filterMisses Bloom filter checks that let a row through ({@code SQLITE_STMTSTATUS_FILTER_MISS})
 * @param filterHits Bloom filter checks that skipped a join step ({@code SQLITE_STMTSTATUS_FILTER_HIT})
 * @param memUsed bytes the prepared statement uses ({@code SQLITE_STMTSTATUS_MEMUSED})
 */
public record StatementStatus(String sql, long nanos, int fullscanSteps, int sorts, int autoindexes,
        int vmSteps, int reprepares, int runs, int filterMisses, int filterHits, int memUsed) {}
