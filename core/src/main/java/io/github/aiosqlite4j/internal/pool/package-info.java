/**
 * The implementation of {@link io.github.aiosqlite4j.SqlitePool}: one writer and N readers built
 * on the public connection API, with their queues, leases and group commit ({@link
 * io.github.aiosqlite4j.internal.pool.DefaultSqlitePool} maps the files). Of the rest of the
 * implementation it uses only {@link io.github.aiosqlite4j.internal.engine.Errors} (the
 * exceptions it raises), {@link io.github.aiosqlite4j.internal.ConnectionWorker} (a pool closes
 * its connections at JVM exit; the stall limit on the completion executor) and {@link
 * io.github.aiosqlite4j.internal.sql.ParsedSql} (it routes statements by their parse). Not
 * exported by the module (only to the R2DBC driver, see {@code module-info}) and not supported
 * API: anything here may change or disappear in any release.
 */
package io.github.aiosqlite4j.internal.pool;
