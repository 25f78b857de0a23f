package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/** A row read completely on the worker: shared column names plus a value array. */
final class MaterializedRow implements Row {
    private final Columns columns;
    private final Object[] values;

    MaterializedRow(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Object get(int index) {
        Object v = values[Objects.checkIndex(index, values.length)];
        return v instanceof byte[] ? ((byte[]) v).clone() : v;
    }

    @Override
    public Object get(String column) {
        return get(columnIndex(column));
    }

    @Override
    public int columnIndex(String column) {
        Objects.requireNonNull(column, "column must not be null");
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column named '" + column + "'; the columns are "
                    + columns.nameList());
        }
        return i;
    }

    private Object raw(int index) {
        return values[Objects.checkIndex(index, values.length)];
    }

    private ClassCastException mismatch(int index, String wanted) {
        Object v = values[index];
        return new ClassCastException("column '" + columns.names[index] + "' (index " + index
                + ") holds " + RowGetters.storageClass(v) + " " + preview(v) + ", not " + wanted);
    }

    @Override
    public Long getLong(int index) {
        Object v = raw(index);
        if (v == null || v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Double) {
            double d = (Double) v;
            long l = (long) d;
            if (l == d && !Double.isInfinite(d)) {
                return l;
            }
        }
        throw mismatch(index, "an INTEGER");
    }

    @Override
    public Long getLong(String column) {
        return getLong(columnIndex(column));
    }

    @Override
    public Integer getInt(int index) {
        Long l;
        try {
            l = getLong(index);
        } catch (ClassCastException e) {
            throw mismatch(index, "an INTEGER that fits an int");
        }
        if (l == null) {
            return null;
        }
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw mismatch(index, "an INTEGER that fits an int");
        }
        return l.intValue();
    }

    @Override
    public Integer getInt(String column) {
        return getInt(columnIndex(column));
    }

    @Override
    public Double getDouble(int index) {
        Object v = raw(index);
        if (v == null || v instanceof Double) {
            return (Double) v;
        }
        if (v instanceof Long) {
            return ((Long) v).doubleValue();
        }
        throw mismatch(index, "a REAL");
    }

    @Override
    public Double getDouble(String column) {
        return getDouble(columnIndex(column));
    }

    @Override
    public String getString(int index) {
        Object v = raw(index);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw mismatch(index, "TEXT");
    }

    @Override
    public String getString(String column) {
        return getString(columnIndex(column));
    }

    @Override
    public byte[] getBytes(int index) {
        Object v = raw(index);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[]) {
            return ((byte[]) v).clone();
        }
        throw mismatch(index, "a BLOB");
    }

    @Override
    public byte[] getBytes(String column) {
        return getBytes(columnIndex(column));
    }

    @Override
    public BigDecimal getBigDecimal(int index) {
        Object v = raw(index);
        if (v == null) {
            return null;
        }
        if (v instanceof Long) {
            return BigDecimal.valueOf((Long) v);
        }
        if (v instanceof Double) {
            return BigDecimal.valueOf((Double) v);
        }
        return parse(index, "a decimal number", BigDecimal::new);
    }

    @Override
    public LocalDate getLocalDate(int index) {
        return parse(index, "an ISO-8601 date", Values::localDate);
    }

    @Override
    public LocalTime getLocalTime(int index) {
        return parse(index, "an ISO-8601 time", Values::localTime);
    }

    @Override
    public LocalDateTime getLocalDateTime(int index) {
        return parse(index, "an ISO-8601 date-time", Values::localDateTime);
    }

    @Override
    public OffsetDateTime getOffsetDateTime(int index) {
        return parse(index, "an ISO-8601 date-time", Values::offsetDateTime);
    }

    @Override
    public Instant getInstant(int index) {
        OffsetDateTime t = getOffsetDateTime(index);
        return t == null ? null : t.toInstant();
    }

    @Override
    public UUID getUuid(int index) {
        Object v = raw(index);
        if (v == null) {
            return null;
        }
        try {
            return Values.uuid(v);
        } catch (RuntimeException e) {
            throw mismatch(index, "a UUID (TEXT or a 16-byte BLOB)");
        }
    }

    private <T> T parse(int index, String wanted, Function<String, T> parser) {
        Object v = raw(index);
        if (v == null) {
            return null;
        }
        if (v instanceof String) {
            try {
                return parser.apply((String) v);
            } catch (RuntimeException e) {
                ClassCastException failure = mismatch(index, wanted);
                failure.initCause(e);
                throw failure;
            }
        }
        throw mismatch(index, wanted);
    }

    @Override
    public <T extends Record> T as(Class<T> recordType) {
        return RecordMapper.map(this, recordType);
    }

    @Override
    public List<String> columnNames() {
        return columns.nameList();
    }

    @Override
    public List<Object> values() {
        List<Object> list = new ArrayList<>(values.length);
        for (Object v : values) {
            list.add(v instanceof byte[] ? ((byte[]) v).clone() : v);
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Row)) {
            return false;
        }
        Row other = (Row) o;
        if (other.size() != values.length || !columns.nameList().equals(other.columnNames())) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            Object a = values[i];
            Object b = other instanceof MaterializedRow ? ((MaterializedRow) other).values[i]
                    : other.get(i);
            if (!Objects.deepEquals(a, b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * columns.nameList().hashCode() + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Row{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(columns.names[i]).append('=').append(preview(values[i]));
        }
        return sb.append('}').toString();
    }

    private static String preview(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            StringBuilder sb = new StringBuilder("x'");
            for (int i = 0; i < Math.min(b.length, 16); i++) {
                sb.append(String.format("%02x", b[i]));
            }
            if (b.length > 16) {
                sb.append("...(").append(b.length).append(" bytes)");
            }
            return sb.append('\'').toString();
        }
        if (v instanceof String) {
            String s = (String) v;
            return s.length() <= 80 ? s : s.substring(0, 77) + "...";
        }
        return String.valueOf(v);
    }
}
