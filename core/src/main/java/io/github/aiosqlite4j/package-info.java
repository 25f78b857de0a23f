/**
 * The public API of aiosqlite4j: {@link io.github.aiosqlite4j.AioSqlite#connect(String)} opens an
 * {@link io.github.aiosqlite4j.AsyncConnection}; every operation returns a {@link
 * java.util.concurrent.CompletableFuture} and runs on the connection's own worker thread.
 *
 * <h2>Threads</h2>
 *
 * <p>Each connection owns one daemon platform thread, named {@code aiosqlite4j-<n>}. All SQLite
 * calls of that connection happen on it, one at a time, in the order they were submitted. Futures
 * are completed on the configured completion executor ({@link
 * java.util.concurrent.ForkJoinPool#commonPool()} unless {@link
 * io.github.aiosqlite4j.SqliteConfig.Builder#completionExecutor} says otherwise), so callbacks you
 * attach never run on the SQLite thread. User callbacks that SQLite itself calls (functions,
 * progress handler, trace callback) do run on the worker thread.
 *
 * <h2>Errors</h2>
 *
 * <p>Futures fail with JDK {@link java.sql.SQLException} subclasses chosen by SQLite's result code;
 * every one of them also implements {@link io.github.aiosqlite4j.SqliteError}. Argument errors are
 * thrown at once, before any future exists.
 */
package io.github.aiosqlite4j;
