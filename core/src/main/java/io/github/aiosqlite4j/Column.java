package io.github.aiosqlite4j;

import java.util.Objects;

/**
 * One result column, as listed by {@link AsyncCursor#description()} (Python's {@code
 * cursor.description} entries, which carry only the name).
 *
 * @param name the column name as SQLite reports it (the alias if the query gave one)
 * @param declaredType the declared type from the table definition ({@code "INTEGER"}, {@code
 *     "varchar(250)"}, ...), or an empty string for expressions and untyped columns
 */
public record Column(String name, String declaredType) {
    /**
     * Checks the components.
     *
     * @param name the column name
     * @param declaredType the declared type, empty if none
     */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(declaredType, "declaredType");
    }
}
