package io.github.aiosqlite4j.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.internal.sql.ParsedSql;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class StatementCacheTest {

    /** The engine asks the parse the pool and the driver routed the text by, not a new scan. */
    @Test
    void info_holdsTheSharedParseOfTheText() throws Exception {
        String sql = "select :a, ?2 -- " + UUID.randomUUID();
        ParsedSql routed = ParsedSql.of(sql);
        StatementCache cache = new StatementCache(0);
        StatementCache.SqlInfo info = cache.info(sql);
        assertThat(info.parsed).isSameAs(routed);
        assertThat(cache.info(sql)).as("kept per connection").isSameAs(info);
        assertThat(info.parsed.parameters().count()).isEqualTo(2);
    }
}
