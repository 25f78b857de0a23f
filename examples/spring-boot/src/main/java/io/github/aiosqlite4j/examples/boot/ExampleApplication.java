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
     * Starts the application.
     *
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
