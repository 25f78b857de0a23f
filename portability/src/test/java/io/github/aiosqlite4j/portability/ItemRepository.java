package io.github.aiosqlite4j.portability;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import org.springframework.data.repository.reactive.ReactiveSortingRepository;
import reactor.core.publisher.Flux;

/** Derived queries: boolean, case-insensitive search, paging. */
public interface ItemRepository extends ReactiveCrudRepository<Item, Long>, ReactiveSortingRepository<Item, Long> {

    Flux<Item> findByActiveTrue(Sort sort);

    Flux<Item> findByNameContainingIgnoreCase(String part, Sort sort);

    Flux<Item> findAllBy(Pageable pageable);
}
