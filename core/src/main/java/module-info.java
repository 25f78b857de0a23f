/**
 * aiosqlite4j: a friendly asynchronous interface to SQLite.
 *
 * <p>Only {@code io.github.aiosqlite4j} is exported; {@code io.github.aiosqlite4j.internal} holds
 * the implementation and may change at any time.
 */
module io.github.aiosqlite4j {
    requires transitive java.sql;
    requires org.xerial.sqlitejdbc;

    exports io.github.aiosqlite4j;
}
