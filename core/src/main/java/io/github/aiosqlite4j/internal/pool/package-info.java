/**
 * The implementation of {@link io.github.aiosqlite4j.SqlitePool}: one writer and N readers built
 * on the public connection API, with their queues, leases and group commit ({@link
 * io.github.aiosqlite4j.internal.pool.DefaultSqlitePool} maps the files). Not exported by the
 * module and not supported API: anything here may change or disappear in any release.
 */
package io.github.aiosqlite4j.internal.pool;
