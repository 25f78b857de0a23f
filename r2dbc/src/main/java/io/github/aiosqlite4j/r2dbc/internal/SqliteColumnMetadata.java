package io.github.aiosqlite4j.r2dbc.internal;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Nullability;
import io.r2dbc.spi.Type;

/** One result column: its name (the label SQLite reports) and its declared type. */
final class SqliteColumnMetadata implements ColumnMetadata {

    private final String name;
    private final SqliteType type;

    SqliteColumnMetadata(String name, String declaredType) {
        this.name = name;
        this.type = SqliteType.of(declaredType);
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public Type getType() {
        return this.type;
    }

    @Override
    public Class<?> getJavaType() {
        return this.type.getJavaType();
    }

    /** Returns the declared type as written in the schema ({@code ""} for an expression). */
    @Override
    public Object getNativeTypeMetadata() {
        return this.type.declaredType();
    }

    @Override
    public Nullability getNullability() {
        return Nullability.UNKNOWN;
    }

    SqliteType sqliteType() {
        return this.type;
    }

    @Override
    public String toString() {
        return "SqliteColumnMetadata{name=" + this.name + ", type=" + this.type.getName() + "}";
    }
}
