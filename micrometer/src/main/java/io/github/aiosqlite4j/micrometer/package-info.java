/**
 * Micrometer metrics for aiosqlite4j: {@link io.github.aiosqlite4j.micrometer.SqlitePoolMetrics}
 * binds a {@link io.github.aiosqlite4j.SqlitePool}'s {@link io.github.aiosqlite4j.PoolMetrics} to
 * a {@link io.micrometer.core.instrument.MeterRegistry}. Optional: the core does not depend on it.
 */
package io.github.aiosqlite4j.micrometer;
