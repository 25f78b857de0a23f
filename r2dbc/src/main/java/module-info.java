/**
 * The R2DBC driver for SQLite on aiosqlite4j. On the module path an application {@code requires
 * io.github.aiosqlite4j.r2dbc} (which brings the core, the R2DBC SPI and Reactor along) and then
 * finds the driver through {@code ConnectionFactories}, with no {@code --add-modules}. The R2DBC
 * SPI is an automatic module that declares no service use, so an application that requires only
 * {@code r2dbc.spi} must declare {@code uses io.r2dbc.spi.ConnectionFactoryProvider} for the
 * driver to be found. The Spring integration ({@code io.github.aiosqlite4j.r2dbc.spring}) needs
 * Spring Data R2DBC at run time only when it is used.
 */
// r2dbc-spi, Reactive Streams, Reactor and Spring are automatic modules with stable names.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.github.aiosqlite4j.r2dbc {
    requires transitive io.github.aiosqlite4j;
    requires transitive r2dbc.spi;
    requires transitive org.reactivestreams;
    requires transitive reactor.core;

    requires static spring.core;
    requires static spring.r2dbc;
    requires static spring.data.commons;
    requires static spring.data.relational;
    requires static spring.data.r2dbc;

    exports io.github.aiosqlite4j.r2dbc;
    exports io.github.aiosqlite4j.r2dbc.spring;

    provides io.r2dbc.spi.ConnectionFactoryProvider
            with io.github.aiosqlite4j.r2dbc.SqliteConnectionFactoryProvider;
}
