package io.github.aiosqlite4j.internal.engine;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@link RuntimeException} thrown by the caller's own objects while the engine reads parameters
 * from them on the worker: the executeMany iterable, a parameter list, a named-parameter map.
 * {@code Engine.failure} passes its cause on unchanged (the caller gets back what their code
 * threw), where it translates any other RuntimeException, sqlite-jdbc's, into an SQLException.
 * The static methods are the calls into the caller's objects, each marking what it throws.
 */
final class CallerError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private CallerError(RuntimeException cause) {
        super(null, cause, false, false); // only carries the cause
    }

    /** {@return what the caller's code threw} */
    RuntimeException thrown() {
        return (RuntimeException) getCause();
    }

    static <T> Iterator<T> iterator(Iterable<T> seq) {
        try {
            return seq.iterator();
        } catch (RuntimeException e) {
            throw new CallerError(e);
        }
    }

    static boolean hasNext(Iterator<?> it) {
        try {
            return it.hasNext();
        } catch (RuntimeException e) {
            throw new CallerError(e);
        }
    }

    static <T> T next(Iterator<T> it) {
        try {
            return it.next();
        } catch (RuntimeException e) {
            throw new CallerError(e);
        }
    }

    static Object[] toArray(List<?> row) {
        try {
            return row.toArray();
        } catch (RuntimeException e) {
            throw new CallerError(e);
        }
    }

    static int size(List<?> row) {
        try {
            return row.size();
        } catch (RuntimeException e) {
            throw new CallerError(e);
        }
    }

    static Object get(List<?> row, int i) {
        try {
            return row.get(i);
        } catch (RuntimeException e) {
            throw new CallerError(e);
        }
    }

    /** The value of {@code key} in the caller's map, or {@code absent} if it has none. */
    static Object get(Map<String, ?> named, String key, Object absent) {
        try {
            return named.containsKey(key) ? named.get(key) : absent;
        } catch (RuntimeException e) {
            throw new CallerError(e);
        }
    }
}
