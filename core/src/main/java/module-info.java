/**
 * aiosqlite4j: a friendly asynchronous interface to SQLite.
 *
 * <p>Only {@code io.github.aiosqlite4j} is exported. The implementation is in packages that may
 * change at any time: {@code io.github.aiosqlite4j.internal} (a connection: its worker thread and
 * the hand-off of tasks and results), {@code io.github.aiosqlite4j.internal.engine} (the
 * synchronous engine the worker runs, and every exception the library builds), {@code
 * io.github.aiosqlite4j.internal.pool} (the pool) and {@code io.github.aiosqlite4j.internal.sql}
 * (SQL text). The last three are exported to the R2DBC driver alone, each for the reason given
 * below; that module, {@code io.github.aiosqlite4j.r2dbc}, is absent when the core is compiled.
 */
@SuppressWarnings("module")
module io.github.aiosqlite4j {
    requires transitive java.sql;
    requires org.xerial.sqlitejdbc;

    exports io.github.aiosqlite4j;
    // The driver's codecs read values the way Row getters do and name a value's storage class as
    // they do (RowGetters), and its exceptions carry the SQL and result codes as the core's do
    // (Errors.Detailed, Errors.Details).
    exports io.github.aiosqlite4j.internal.engine to io.github.aiosqlite4j.r2dbc;
    // The driver's pooled connections hold a pool connection across calls for a transaction
    // (DefaultSqlitePool.leaseWriter/leaseReader, PoolLease), route each statement as the pool
    // does (PoolRouting), and check a pool's database before opening it (checkDatabase).
    exports io.github.aiosqlite4j.internal.pool to io.github.aiosqlite4j.r2dbc;
    // The driver's statements parse their SQL once, as the engine and the pool do (ParsedSql:
    // compound statements, placeholders and their $N form, whether a statement changes rows, is
    // transaction control or ATTACH/DETACH), and hand that parse to routing.
    exports io.github.aiosqlite4j.internal.sql to io.github.aiosqlite4j.r2dbc;
}
