package io.github.aiosqlite4j.examples.boot;

import org.springframework.data.annotation.Id;

/**
 * A row of {@code item}.
 *
 * @param id the key, generated on insert
 * @param name the name
 * @param qty the quantity
 */
public record Item(@Id Long id, String name, int qty) {}
