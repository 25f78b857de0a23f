package io.github.aiosqlite4j.examples.boot;

import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

/** Items, by Spring Data R2DBC. */
public interface ItemRepository extends ReactiveCrudRepository<Item, Long> {

    /**
     * A page of items in key order.
     *
     * @param page which page
     * @return the items
     */
    Flux<Item> findAllByOrderById(Pageable page);
}
