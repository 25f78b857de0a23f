/**
 * The public API of aiosqlite4j: {@link io.github.aiosqlite4j.AioSqlite#connect(String)} opens an
 * {@link io.github.aiosqlite4j.AsyncConnection}; every operation returns a {@link
 * java.util.concurrent.CompletableFuture} and runs on the connection's own worker thread.
 * {@link io.github.aiosqlite4j.SqlitePool#open SqlitePool.open} opens a pool on one WAL file: one
 * writer and several readers, each a connection with its own worker thread, so concurrent writers
 * queue instead of failing with "database is locked".
 *
 * <pre>{@code
 * try (AsyncConnection db = AioSqlite.connect("app.db").join()) {
 *     db.execute("CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, name TEXT)")
 *             .thenCompose(c -> db.execute("INSERT INTO users(name) VALUES (?)", "Alice"))
 *             .thenCompose(c -> db.commit())
 *             .thenCompose(v -> db.executeFetchAll("SELECT id, name FROM users"))
 *             .thenAccept(rows -> rows.forEach(r -> System.out.println(r.getString("name"))))
 *             .join();   // in main; on an event loop, compose instead of joining
 * }
 *
 * try (SqlitePool pool = SqlitePool.open(SqliteConfig.builder("app.db").build(),
 *         PoolOptions.defaults()).join()) {
 *     pool.transaction(s -> s.execute("INSERT INTO users(name) VALUES (?)", "Bob")) // the writer
 *             .thenCompose(n -> pool.executeFetchAll("SELECT count(*) FROM users"))  // a reader
 *             .thenAccept(rows -> System.out.println(rows.get(0).getLong(0)))
 *             .join();
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 *
 * <p>Each connection owns one daemon platform thread, named {@code aiosqlite4j-<n>}. All SQLite
 * calls of that connection happen on it, one at a time, in the order they were submitted. Futures
 * are completed on the configured completion executor ({@link
 * java.util.concurrent.ForkJoinPool#commonPool()} unless {@link
 * io.github.aiosqlite4j.SqliteConfig.Builder#completionExecutor} says otherwise), so callbacks you
 * attach never run on the SQLite thread. User callbacks that SQLite itself calls (functions,
 * progress handler, trace callback) do run on the worker thread. One exception, for speed: a
 * thread that calls {@code join()} on a future whose work has not started, while the worker is
 * idle and nothing else is queued, runs that work itself (the connection is its alone meanwhile),
 * since it would block until then anyway; SQLite's callbacks for that work then run on it.
 *
 * <h2>Errors</h2>
 *
 * <p>Futures fail with JDK {@link java.sql.SQLException} subclasses chosen by SQLite's result code;
 * every one of them also implements {@link io.github.aiosqlite4j.SqliteError}. Argument errors are
 * thrown at once, before any future exists.
 */
package io.github.aiosqlite4j;
