package io.github.aiosqlite4j.examples.boot;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Mono;

/** Audit rows, by Spring Data R2DBC. */
public interface AuditRepository extends ReactiveCrudRepository<Audit, Long> {

    /**
     * Counts the audit rows of an item.
     *
     * @param itemId the item
     * @return the count
     */
    Mono<Long> countByItemId(Long itemId);
}
