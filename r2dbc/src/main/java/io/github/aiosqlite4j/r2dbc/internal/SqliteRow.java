package io.github.aiosqlite4j.r2dbc.internal;

import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;

/** A row of a result, fully read on the worker thread; safe to read from any thread. */
final class SqliteRow implements Row {

    private final io.github.aiosqlite4j.Row row;
    private final SqliteRowMetadata metadata;

    SqliteRow(io.github.aiosqlite4j.Row row, SqliteRowMetadata metadata) {
        this.row = row;
        this.metadata = metadata;
    }

    @Override
    public RowMetadata getMetadata() {
        return this.metadata;
    }

    @Override
    public <T> T get(int index, Class<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        SqliteColumnMetadata column = this.metadata.column(index);
        return Codecs.decode(this.row, index, column.sqliteType(), type);
    }

    @Override
    public <T> T get(String name, Class<T> type) {
        return get(this.metadata.requireIndex(name), type);
    }

    @Override
    public Object get(int index) {
        return get(index, Object.class);
    }

    @Override
    public Object get(String name) {
        return get(name, Object.class);
    }

    @Override
    public String toString() {
        return "SqliteRow" + this.row.values();
    }
}
