/**
 * aiosqlite4j: a friendly asynchronous interface to SQLite.
 *
 * <p>Only {@code io.github.aiosqlite4j} is exported; {@code io.github.aiosqlite4j.internal} holds
 * the implementation and may change at any time. It is exported to the R2DBC driver alone (its
 * SQL tokenizer splits compound statements and maps placeholders, its pooled connections lease
 * the pool's connections); that module, {@code io.github.aiosqlite4j.r2dbc}, is absent when the
 * core is compiled.
 */
@SuppressWarnings("module")
module io.github.aiosqlite4j {
    requires transitive java.sql;
    requires org.xerial.sqlitejdbc;

    exports io.github.aiosqlite4j;
    exports io.github.aiosqlite4j.internal to io.github.aiosqlite4j.r2dbc;
}
