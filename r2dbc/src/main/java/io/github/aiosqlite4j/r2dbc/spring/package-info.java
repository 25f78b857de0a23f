/**
 * Spring integration, used only when Spring Data R2DBC / Spring R2DBC are on the class path (they
 * are optional dependencies): the {@link io.github.aiosqlite4j.r2dbc.spring.SqliteR2dbcDialect}
 * and the providers registered in {@code META-INF/spring.factories}.
 */
package io.github.aiosqlite4j.r2dbc.spring;
