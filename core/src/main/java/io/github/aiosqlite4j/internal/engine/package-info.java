/**
 * The connection engine: the synchronous side of a connection, run on its worker thread. {@link
 * io.github.aiosqlite4j.internal.engine.Engine} orchestrates and maps its stages, one file a job
 * (statement cache, binder, row reader, results, transaction state, cancellation gate, statement
 * hooks, user functions, backup, opening); rows and values ({@code MaterializedRow}, {@code
 * RowGetters}, {@code Values}) and {@link io.github.aiosqlite4j.internal.engine.Errors}, where
 * every exception of the library is built, are here too. The engine knows nothing of the worker
 * in {@code io.github.aiosqlite4j.internal}: it sees the running task only as a {@link
 * io.github.aiosqlite4j.internal.engine.StopSignal}. Members are public only where the worker,
 * the pool or the R2DBC driver needs them. Not exported by the module (only to the R2DBC driver,
 * see {@code module-info}) and not supported API: anything here may change or disappear in any
 * release.
 */
package io.github.aiosqlite4j.internal.engine;
