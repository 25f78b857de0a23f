package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.internal.live.ReadTables;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** What live queries need of a connection's engine, for the pool (which sees only the API). */
public final class LiveQueries {
    private LiveQueries() {
    }

    /**
     * Returns a future completed on the completion executor with the tables sql reads ({@link
     * ReadTables#of}; null: every change counts), or failed if SQLite cannot prepare it.
     *
     * @param connection a connection opened by this library
     * @param sql one read-only statement
     * @return a future completed on the completion executor with the tables sql reads ({@link
     *     ReadTables#of}; null: every change counts), or failed if SQLite cannot prepare it
     */
    public static CompletableFuture<Set<String>> tablesRead(AsyncConnection connection, String sql) {
        return ((DefaultAsyncConnection) connection).worker().submit(engine -> ReadTables.of(engine, sql));
    }
}
