package io.github.aiosqlite4j.examples.boot;

import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET /items/live}: server-sent events, one {@code stock} event with the number of items
 * and their total quantity at once and again after every commit that changes {@code item} (a
 * live query, {@link SqliteConnectionFactory#watch}); commits to other tables send nothing.
 */
@RestController
public class LiveController {

    /**
     * The event's data.
     *
     * @param items how many items there are
     * @param qty their total quantity
     */
    public record Stock(long items, long qty) {}

    private final SqliteConnectionFactory sqlite;

    LiveController(ConnectionFactory connectionFactory) {
        this.sqlite = sqlite(connectionFactory);
    }

    /**
     * The driver's factory behind Boot's wrappers ({@link Wrapped}: its options-capable factory,
     * r2dbc-pool).
     */
    private static SqliteConnectionFactory sqlite(ConnectionFactory cf) {
        Object current = cf;
        while (!(current instanceof SqliteConnectionFactory) && current instanceof Wrapped<?> w) {
            current = w.unwrap();
        }
        if (current instanceof SqliteConnectionFactory s) {
            return s;
        }
        throw new IllegalStateException("not an aiosqlite4j connection factory: " + cf);
    }

    /**
     * The stock, live.
     *
     * @return an endless stream of {@code stock} events (ends when the client goes away)
     */
    @GetMapping(path = "/items/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Stock>> live() {
        return this.sqlite.watch("select count(*), coalesce(sum(qty), 0) from item",
                        r -> new Stock(r.getLong(0), r.getLong(1)))
                .map(rows -> rows.get(0))
                .map(s -> ServerSentEvent.builder(s).event("stock").build());
    }
}
