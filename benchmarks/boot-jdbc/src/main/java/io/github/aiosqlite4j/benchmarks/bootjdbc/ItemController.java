package io.github.aiosqlite4j.benchmarks.bootjdbc;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code POST /items}, {@code GET /items/{id}}, {@code GET /items?page=&size=}, as the R2DBC example. */
@RestController
public class ItemController {

    private final ItemService service;

    ItemController(ItemService service) {
        this.service = service;
    }

    /**
     * Creates an item (and its audit row).
     *
     * @param item the name and quantity
     * @return the saved item
     */
    @PostMapping("/items")
    @ResponseStatus(HttpStatus.CREATED)
    public Item create(@RequestBody Item item) {
        return this.service.create(item.name(), item.qty());
    }

    /**
     * Reads an item.
     *
     * @param id the key
     * @return the item, or 404
     */
    @GetMapping("/items/{id}")
    public Item get(@PathVariable long id) {
        Item item = this.service.find(id);
        if (item == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return item;
    }

    /**
     * A page of items.
     *
     * @param page the page, from 0
     * @param size its size
     * @return the items
     */
    @GetMapping("/items")
    public List<Item> page(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return this.service.page(page, size);
    }
}
