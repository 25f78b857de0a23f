package io.github.aiosqlite4j.benchmarks.bootjdbc;

/**
 * A row of {@code item}.
 *
 * @param id the key, generated on insert
 * @param name the name
 * @param qty the quantity
 */
public record Item(Long id, String name, int qty) {}
