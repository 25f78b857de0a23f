package io.github.aiosqlite4j.examples.boot;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

/** Writes an item and its audit row in one transaction. */
@Service
public class ItemService {

    private final ItemRepository items;
    private final AuditRepository audits;

    ItemService(ItemRepository items, AuditRepository audits) {
        this.items = items;
        this.audits = audits;
    }

    /**
     * Inserts an item and its audit row, both or neither.
     *
     * @param name the name
     * @param qty the quantity
     * @return the saved item, with its key
     */
    @Transactional
    public Mono<Item> create(String name, int qty) {
        return this.items.save(new Item(null, name, qty))
                .flatMap(saved -> this.audits.save(new Audit(null, saved.id(), "create")).thenReturn(saved));
    }
}
