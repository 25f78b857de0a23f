/**
 * Spring Boot 4 support for the aiosqlite4j R2DBC driver: with {@code
 * spring.r2dbc.url=r2dbc:sqlite:///app.db?pool=true} an application needs nothing else. See
 * {@link io.github.aiosqlite4j.spring.boot.SqliteEnvironmentPostProcessor} (defaults) and {@link
 * io.github.aiosqlite4j.spring.boot.SqliteR2dbcAutoConfiguration} (metrics, health).
 */
package io.github.aiosqlite4j.spring.boot;
