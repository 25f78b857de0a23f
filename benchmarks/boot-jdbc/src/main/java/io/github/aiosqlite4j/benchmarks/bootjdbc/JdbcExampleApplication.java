package io.github.aiosqlite4j.benchmarks.bootjdbc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The JDBC twin of {@code examples/spring-boot}: the same endpoints, schema and transactional
 * service on Spring MVC + {@code JdbcTemplate} + HikariCP + sqlite-jdbc, configured in {@code
 * application.properties}. {@code benchmarks/boot-load} measures the two side by side.
 */
@SpringBootApplication
public class JdbcExampleApplication {

    /** Created by Spring Boot. */
    public JdbcExampleApplication() {}

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(JdbcExampleApplication.class, args);
    }
}
