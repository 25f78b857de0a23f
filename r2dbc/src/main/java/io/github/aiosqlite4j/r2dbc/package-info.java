/**
 * The R2DBC driver for SQLite: {@link io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory} and its
 * provider, {@link io.github.aiosqlite4j.r2dbc.SqliteConnectionFactoryProvider} (driver {@code
 * sqlite}). Users hold {@code io.r2dbc.spi} types; {@code internal} holds the SPI implementations
 * and may change at any time.
 */
package io.github.aiosqlite4j.r2dbc;
