package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Row;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Row#as(Class)}: columns to record components by name. */
final class RecordMapper {
    private RecordMapper() {}

    private static final Map<Class<?>, Plan> PLANS = new ConcurrentHashMap<>();

    private static final class Plan {
        final RecordComponent[] components;
        final Constructor<?> constructor;

        Plan(RecordComponent[] components, Constructor<?> constructor) {
            this.components = components;
            this.constructor = constructor;
        }
    }

    static <T extends Record> T map(Row row, Class<T> type) {
        Plan plan = PLANS.computeIfAbsent(type, RecordMapper::plan);
        Object[] args = new Object[plan.components.length];
        for (int i = 0; i < args.length; i++) {
            RecordComponent c = plan.components[i];
            int index;
            try {
                index = row.columnIndex(c.getName());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("record " + type.getName() + " component '"
                        + c.getName() + "' has no matching column; the columns are "
                        + row.columnNames(), e);
            }
            args[i] = convert(row, index, c);
        }
        try {
            return type.cast(plan.constructor.newInstance(args));
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the constructor of " + type.getName() + " threw "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot call the constructor of " + type.getName()
                    + ": " + e, e);
        }
    }

    private static Plan plan(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record class");
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            if (!ctor.canAccess(null) && !ctor.trySetAccessible()) {
                throw new IllegalArgumentException("the canonical constructor of " + type.getName()
                        + " is not accessible: make the record public, or open its package to"
                        + " module io.github.aiosqlite4j");
            }
            return new Plan(components, ctor);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no canonical constructor", e);
        }
    }

    private static Object convert(Row row, int index, RecordComponent c) {
        Class<?> t = c.getType();
        Object raw = row.get(index);
        if (raw == null) {
            if (t.isPrimitive()) {
                throw new IllegalArgumentException("column '" + row.columnNames().get(index)
                        + "' is NULL but record component '" + c.getName() + "' is a " + t);
            }
            return null;
        }
        try {
            if (t == Object.class) {
                return raw;
            }
            if (t == long.class || t == Long.class) {
                return row.getLong(index);
            }
            if (t == int.class || t == Integer.class) {
                return row.getInt(index);
            }
            if (t == short.class || t == Short.class) {
                long l = row.getLong(index);
                return l == (short) l ? (Object) (short) l : fail(row, index, c);
            }
            if (t == byte.class || t == Byte.class) {
                long l = row.getLong(index);
                return l == (byte) l ? (Object) (byte) l : fail(row, index, c);
            }
            if (t == double.class || t == Double.class) {
                return row.getDouble(index);
            }
            if (t == float.class || t == Float.class) {
                return row.getDouble(index).floatValue();
            }
            if (t == boolean.class || t == Boolean.class) {
                return row.getLong(index) != 0;
            }
            if (t == String.class) {
                return row.getString(index);
            }
            if (t == byte[].class) {
                return row.getBytes(index);
            }
            Object typed = RowGetters.get(row, index, t);
            if (typed != RowGetters.NONE) {
                return typed;
            }
        } catch (ClassCastException | ArithmeticException e) {
            throw new IllegalArgumentException("record component '" + c.getName() + "' of type "
                    + t.getSimpleName() + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("record component '" + c.getName() + "' has type "
                + t.getName() + ", which rows cannot convert to");
    }

    private static Object fail(Row row, int index, RecordComponent c) {
        throw new IllegalArgumentException("column '" + row.columnNames().get(index) + "' value "
                + row.get(index) + " does not fit record component '" + c.getName() + "' ("
                + c.getType().getSimpleName() + ")");
    }
}
