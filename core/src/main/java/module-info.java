/**
 * aiosqlite4j: a friendly asynchronous interface to SQLite.
 *
 * <p>Only {@code io.github.aiosqlite4j} is exported; {@code io.github.aiosqlite4j.internal} (the
 * connection engine) and {@code io.github.aiosqlite4j.internal.pool} (the pool) hold the
 * implementation and may change at any time. They are exported to the R2DBC driver alone, each
 * for the reason given below; that module, {@code io.github.aiosqlite4j.r2dbc}, is absent when
 * the core is compiled.
 */
@SuppressWarnings("module")
module io.github.aiosqlite4j {
    requires transitive java.sql;
    requires org.xerial.sqlitejdbc;

    exports io.github.aiosqlite4j;
    // The driver's statements use the SQL tokenizer (SqlScanner: compound statements, placeholders),
    // its codecs read values the way Row getters do (RowGetters), and its exceptions carry the
    // SQL and result codes as the core's do (Errors.Detailed, Errors.Details).
    exports io.github.aiosqlite4j.internal to io.github.aiosqlite4j.r2dbc;
    // The driver's pooled connections hold a pool connection across calls for a transaction
    // (DefaultSqlitePool.leaseWriter/leaseReader, PoolLease), route each statement as the pool
    // does (PoolRouting), and check a pool's database before opening it (checkDatabase).
    exports io.github.aiosqlite4j.internal.pool to io.github.aiosqlite4j.r2dbc;
}
