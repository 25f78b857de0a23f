package io.github.aiosqlite4j;

/**
 * A user-defined SQL aggregate, like Python's {@code create_aggregate} classes. SQLite creates one
 * instance (through the factory given to {@link AsyncConnection#createAggregate}) per group and
 * calls {@link #step} once per row, then {@link #finish} once; for an empty group only {@code
 * finish} is called. Runs on the connection's worker thread. Arguments and results follow {@link
 * ScalarFunction}'s storage-class rules; an exception fails the statement with it as the cause.
 */
public interface AggregateFunction {
    /**
     * Adds one row to the group.
     *
     * @param args the SQL arguments of this row
     * @throws Exception to fail the statement
     */
    void step(Object... args) throws Exception;

    /**
     * The aggregate's value for the group.
     *
     * @return the SQL result (null, Number, Boolean, String or byte[])
     * @throws Exception to fail the statement
     */
    Object finish() throws Exception;
}
