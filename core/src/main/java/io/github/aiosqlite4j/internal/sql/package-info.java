/**
 * SQL text: {@link io.github.aiosqlite4j.internal.sql.ParsedSql}, one text parsed once and cached
 * for every connection, and the parts it is made of (lexer, script splitting, parameter layout,
 * statement classification, read-only PRAGMAs). Depends on no other package of the library. Not
 * exported by the module (only to the R2DBC driver, see {@code module-info}) and not supported
 * API: anything here may change or disappear in any release.
 */
package io.github.aiosqlite4j.internal.sql;
