package io.github.aiosqlite4j;

/**
 * A user-defined aggregate window function, like Python's {@code create_window_function}: besides
 * {@link #step} and {@link #finish}, SQLite calls {@link #inverse} when a row leaves the window
 * frame and {@link #value} for the current value of the frame.
 */
public interface WindowFunction extends AggregateFunction {
    /**
     * Removes a row that left the window frame.
     *
     * @param args the SQL arguments of that row
     * @throws Exception to fail the statement
     */
    void inverse(Object... args) throws Exception;

    /**
     * The current value of the window.
     *
     * @return the SQL result
     * @throws Exception to fail the statement
     */
    Object value() throws Exception;
}
