package io.github.aiosqlite4j.r2dbc.internal;

import io.github.aiosqlite4j.Column;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.RowMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;

/** The columns of a result, looked up by index or case-insensitive name (first match wins). */
final class SqliteRowMetadata implements RowMetadata {

    private final List<SqliteColumnMetadata> columns;

    SqliteRowMetadata(List<Column> description) {
        List<SqliteColumnMetadata> list = new ArrayList<>(description.size());
        for (Column c : description) {
            list.add(new SqliteColumnMetadata(c.name(), c.declaredType()));
        }
        this.columns = Collections.unmodifiableList(list);
    }

    int size() {
        return this.columns.size();
    }

    SqliteColumnMetadata column(int index) {
        if (index < 0 || index >= this.columns.size()) {
            throw new IndexOutOfBoundsException("Column index " + index + " is out of range: the"
                    + " result has " + this.columns.size() + " columns (0-based)");
        }
        return this.columns.get(index);
    }

    int indexOf(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        for (int i = 0; i < this.columns.size(); i++) {
            if (this.columns.get(i).getName().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    int requireIndex(String name) {
        int i = indexOf(name);
        if (i < 0) {
            throw new NoSuchElementException("No column named '" + name + "'; the columns are "
                    + names());
        }
        return i;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>(this.columns.size());
        for (SqliteColumnMetadata c : this.columns) {
            names.add(c.getName());
        }
        return names;
    }

    @Override
    public ColumnMetadata getColumnMetadata(int index) {
        return column(index);
    }

    @Override
    public ColumnMetadata getColumnMetadata(String name) {
        return this.columns.get(requireIndex(name));
    }

    @Override
    public List<? extends ColumnMetadata> getColumnMetadatas() {
        return this.columns;
    }

    @Override
    public boolean contains(String columnName) {
        return indexOf(columnName) >= 0;
    }

    @Override
    public String toString() {
        return "SqliteRowMetadata" + this.columns;
    }
}
