/**
 * The implementation of {@link io.github.aiosqlite4j.SqlitePool}: one writer and N readers built
 * on the public connection API, with their queues, leases and group commit ({@link
 * io.github.aiosqlite4j.internal.pool.DefaultSqlitePool} maps the files). From the engine package
 * it uses only {@link io.github.aiosqlite4j.internal.Errors} (the exceptions it raises) and {@link
 * io.github.aiosqlite4j.internal.ConnectionWorker} (a pool closes its connections at JVM exit;
 * the stall limit on the completion executor); it routes statements by their {@link
 * io.github.aiosqlite4j.internal.sql.ParsedSql}. Not exported by the module and not supported API:
 * anything here may change or disappear in any release.
 */
package io.github.aiosqlite4j.internal.pool;
