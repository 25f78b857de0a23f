/**
 * Micrometer metrics and tracing for aiosqlite4j: {@link
 * io.github.aiosqlite4j.micrometer.SqlitePoolMetrics} binds a {@link
 * io.github.aiosqlite4j.SqlitePool}'s {@link io.github.aiosqlite4j.PoolMetrics} to a {@link
 * io.micrometer.core.instrument.MeterRegistry}; {@link
 * io.github.aiosqlite4j.micrometer.SqliteConnectionMetrics} meters a plain connection's queue; {@link
 * io.github.aiosqlite4j.micrometer.SqliteStatementMetrics} times the statements of connections;
 * {@link io.github.aiosqlite4j.micrometer.SqliteObservationListener} adds SQLite's details to the
 * R2DBC query spans of r2dbc-proxy's observation (needs r2dbc-proxy, an optional dependency).
 * Optional: the core does not depend on it.
 */
package io.github.aiosqlite4j.micrometer;
