package io.github.aiosqlite4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FutureCompositionTest {
    @TempDir
    Path dir;

    @Test
    void runsTheChainAndRollsBackTheRefusedTransfers() {
        try (SqlitePool pool = SqlitePool.open(SqliteConfig.builder(dir.resolve("accounts.db")).build(),
                PoolOptions.defaults()).join()) {
            assertThat(FutureComposition.run(pool).join()).containsExactly(
                    "Balances: alice=100, bob=50, carol=0",
                    "Moved 30 from alice to bob",
                    "Refused to move 500 from carol (SQLState 23000)",
                    "Refused to move 20 to dave: no account dave",
                    "Balances: alice=70, bob=80, carol=0");
        }
    }
}
