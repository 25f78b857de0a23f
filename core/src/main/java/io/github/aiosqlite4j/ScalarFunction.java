package io.github.aiosqlite4j;

/**
 * A user-defined SQL scalar function, registered with {@link AsyncConnection#createFunction}. It
 * runs on the connection's worker thread, inside the statement that calls it.
 *
 * <p>Arguments arrive by SQLite storage class: {@link Long}, {@link Double}, {@link String}, {@code
 * byte[]} or {@code null}. The result may be {@code null}, any {@link Number} ({@code Float} and
 * {@code Double} become REAL, integral types INTEGER), {@link Boolean} (1 or 0), {@link String} or
 * {@code byte[]}; anything else fails the statement with a clear error. If the function throws, the
 * statement fails with an {@link java.sql.SQLException} whose cause is the thrown exception, and
 * the connection stays usable.
 */
@FunctionalInterface
public interface ScalarFunction {
    /**
     * Computes the function's value for one call.
     *
     * @param args the SQL arguments (an empty array for a zero-argument function)
     * @return the SQL result
     * @throws Exception to fail the statement
     */
    Object apply(Object... args) throws Exception;
}
