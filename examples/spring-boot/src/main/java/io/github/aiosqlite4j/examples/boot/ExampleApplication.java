package io.github.aiosqlite4j.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux + Spring Data R2DBC application on SQLite, configured by one property,
 * {@code spring.r2dbc.url=r2dbc:sqlite:///app.db?pool=true}, and {@code schema.sql}.
 */
@SpringBootApplication
public class ExampleApplication {

    /**
     * Reactor Netty 1.3.6 (Boot 4.0.7) can stop reading a keep-alive connection: a request that
     * arrives before the previous exchange has terminated is buffered, and once the buffer drains
     * nothing asks the channel to read again, so the client's next request waits until it gives up
     * (reactor/reactor-netty#4361). It happens when a response is written off the event loop (the
     * database's completion threads) and the client sends its next request at once. This property
     * makes Reactor Netty finish the previous exchange before it reads on; it must be set before
     * Reactor Netty's HTTP server classes load.
     */
    static final String LAST_FLUSH_WHEN_NO_READ = "reactor.netty.http.server.lastFlushWhenNoRead";

    /** Created by Spring Boot, which finds the application's beans in this class's package. */
    public ExampleApplication() {}

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        if (System.getProperty(LAST_FLUSH_WHEN_NO_READ) == null) {
            System.setProperty(LAST_FLUSH_WHEN_NO_READ, "true");
        }
        SpringApplication.run(ExampleApplication.class, args);
    }
}
