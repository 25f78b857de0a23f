package io.github.aiosqlite4j.examples.boot;

import org.springframework.data.annotation.Id;

/**
 * A row of {@code audit}: one per write to {@code item}.
 *
 * @param id the key, generated on insert
 * @param itemId the item written
 * @param action what was done
 */
public record Audit(@Id Long id, Long itemId, String action) {}
