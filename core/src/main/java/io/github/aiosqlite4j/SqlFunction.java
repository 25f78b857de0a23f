package io.github.aiosqlite4j;

import java.sql.SQLException;

/**
 * A function that may throw {@link SQLException}; the body of work run on a connection's worker.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SqlFunction<T, R> {
    /**
     * Applies this function.
     *
     * @param t the argument
     * @return the result
     * @throws SQLException if the work fails; the future fails with it
     */
    R apply(T t) throws SQLException;
}
