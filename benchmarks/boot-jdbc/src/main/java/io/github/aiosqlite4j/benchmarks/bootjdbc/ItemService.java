package io.github.aiosqlite4j.benchmarks.bootjdbc;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Items and their audit rows, by {@code JdbcTemplate}: a write and its audit row in one transaction,
 * reads outside one (as the R2DBC example's repositories read).
 */
@Service
public class ItemService {

    private static final RowMapper<Item> ITEM = (rs, n) -> new Item(rs.getLong(1), rs.getString(2), rs.getInt(3));

    private final JdbcTemplate jdbc;

    ItemService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts an item and its audit row, both or neither.
     *
     * @param name the name
     * @param qty the quantity
     * @return the saved item, with its key
     */
    @Transactional
    public Item create(String name, int qty) {
        Long id = this.jdbc.queryForObject("INSERT INTO item (name, qty) VALUES (?, ?) RETURNING id",
                Long.class, name, qty);
        this.jdbc.update("INSERT INTO audit (item_id, action) VALUES (?, ?)", id, "create");
        return new Item(id, name, qty);
    }

    /**
     * Reads an item.
     *
     * @param id the key
     * @return the item, or null
     */
    public Item find(long id) {
        List<Item> found = this.jdbc.query("SELECT id, name, qty FROM item WHERE id = ?", ITEM, id);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * A page of items in key order.
     *
     * @param page the page, from 0
     * @param size its size
     * @return the items
     */
    public List<Item> page(int page, int size) {
        return this.jdbc.query("SELECT id, name, qty FROM item ORDER BY id LIMIT ? OFFSET ?", ITEM,
                size, (long) page * size);
    }
}
