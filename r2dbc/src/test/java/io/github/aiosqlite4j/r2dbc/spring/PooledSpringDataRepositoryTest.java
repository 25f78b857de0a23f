package io.github.aiosqlite4j.r2dbc.spring;

/**
 * {@link SpringDataRepositoryTest} again with the factory's pool mode: the repository's statements
 * routed to the pool's readers and writer, {@code TransactionalOperator} transactions holding the
 * writer.
 */
final class PooledSpringDataRepositoryTest extends SpringDataRepositoryTest {

    @Override
    boolean pooled() {
        return true;
    }
}
