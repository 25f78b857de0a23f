package io.github.aiosqlite4j.portability;

import java.math.BigDecimal;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** The entity both schemas map: table {@code item}. */
@Table("item")
public class Item {
    @Id
    public Long id;
    public String name;
    public boolean active;
    /** Null on insert: the column's {@code DEFAULT CURRENT_TIMESTAMP} fills it. */
    public Instant createdAt;
    public BigDecimal price;
    public Integer position;

    /** For Spring Data. */
    public Item() {
    }

    Item(String name, boolean active, Instant createdAt) {
        this.name = name;
        this.active = active;
        this.createdAt = createdAt;
    }
}
