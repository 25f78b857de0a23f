package io.github.aiosqlite4j.examples.boot;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code POST /items}, {@code GET /items/{id}}, {@code GET /items?page=&size=}. */
@RestController
public class ItemController {

    private final ItemService service;
    private final ItemRepository items;

    ItemController(ItemService service, ItemRepository items) {
        this.service = service;
        this.items = items;
    }

    /**
     * Creates an item (and its audit row).
     *
     * @param item the name and quantity
     * @return the saved item
     */
    @PostMapping("/items")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<Item> create(@RequestBody Item item) {
        return this.service.create(item.name(), item.qty());
    }

    /**
     * Reads an item.
     *
     * @param id the key
     * @return the item, or 404
     */
    @GetMapping("/items/{id}")
    public Mono<Item> get(@PathVariable long id) {
        return this.items.findById(id)
                .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND)));
    }

    /**
     * A page of items.
     *
     * @param page the page, from 0
     * @param size its size
     * @return the items
     */
    @GetMapping("/items")
    public Flux<Item> page(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return this.items.findAllByOrderById(PageRequest.of(page, size));
    }
}
