/**
 * Implementation of the R2DBC SPI over the core's {@code AsyncConnection}; not an API.
 */
package io.github.aiosqlite4j.r2dbc.internal;
