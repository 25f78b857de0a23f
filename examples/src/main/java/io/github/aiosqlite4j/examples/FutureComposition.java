package io.github.aiosqlite4j.examples;

import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Plain {@link CompletableFuture} composition on a {@link SqlitePool}, no framework: a {@code
 * thenCompose} chain, reads side by side joined with {@code allOf}, a transaction, and a failed
 * transaction turned into a value with {@code exceptionally} or {@code handle}. Nothing here blocks except {@code
 * main}'s final {@code join()}.
 */
public final class FutureComposition {
    private static final List<String> OWNERS = List.of("alice", "bob", "carol");

    private FutureComposition() {}

    /**
     * Runs the example on {@code $AIOSQLITE_DB_PATH} (default {@code accounts.db}) and prints its
     * lines.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String dbPath = System.getenv().getOrDefault("AIOSQLITE_DB_PATH", "accounts.db");
        try (SqlitePool pool = SqlitePool.open(SqliteConfig.builder(dbPath).build(), PoolOptions.defaults()).join()) {
            run(pool).join().forEach(System.out::println);
        }
    }

    /**
     * Creates three accounts, moves money between them and reads the balances back.
     *
     * @param pool an open pool
     * @return a future completed with the lines {@code main} prints
     */
    static CompletableFuture<List<String>> run(SqlitePool pool) {
        List<String> out = new ArrayList<>();
        // A chain: each step starts when the previous one has completed.
        return pool.execute("DROP TABLE IF EXISTS account")
                .thenCompose(n -> pool.execute("""
                        CREATE TABLE account (
                            owner TEXT PRIMARY KEY,
                            balance INTEGER NOT NULL CHECK (balance >= 0)
                        )"""))
                .thenCompose(n -> pool.transaction(s -> s.executeMany(
                        "INSERT INTO account (owner, balance) VALUES (?, ?)",
                        List.of(List.of("alice", 100), List.of("bob", 50), List.of("carol", 0)))))
                .thenCompose(n -> balances(pool))
                .thenAccept(b -> out.add("Balances: " + b))
                // A transaction: both updates commit together, or neither does.
                .thenCompose(v -> transfer(pool, "alice", "bob", 30))
                .thenAccept(v -> out.add("Moved 30 from alice to bob"))
                // A failure as a value: carol cannot pay 500 (the CHECK constraint fails), the
                // transaction is rolled back, and the chain goes on.
                .thenCompose(v -> transfer(pool, "carol", "alice", 500)
                        .thenApply(done -> "Moved 500 from carol to alice")
                        .exceptionally(e -> {
                            if (unwrap(e) instanceof SQLIntegrityConstraintViolationException refused) {
                                return "Refused to move 500 from carol (SQLState " + refused.getSQLState() + ")";
                            }
                            throw new CompletionException(unwrap(e));   // anything else still fails the chain
                        }))
                .thenAccept(out::add)
                // A body that throws: alice's debit has run when the credit finds no account, and
                // the rollback undoes it.
                .thenCompose(v -> transfer(pool, "alice", "dave", 20)
                        .handle((done, e) -> e == null
                                ? "Moved 20 from alice to dave"
                                : "Refused to move 20 to dave: " + unwrap(e).getMessage()))
                .thenAccept(out::add)
                .thenCompose(v -> balances(pool))
                .thenApply(b -> {
                    out.add("Balances: " + b);
                    return out;
                });
    }

    /**
     * Moves {@code amount} from one account to another in one transaction on the pool's writer.
     *
     * @return a future completed once both updates are committed, or failed (and nothing changed)
     *     with the CHECK constraint's {@code SQLIntegrityConstraintViolationException} or, if
     *     {@code to} has no account, {@code IllegalArgumentException}
     */
    static CompletableFuture<Void> transfer(SqlitePool pool, String from, String to, long amount) {
        return pool.transaction(s -> {
            s.execute("UPDATE account SET balance = balance - ? WHERE owner = ?", amount, from);
            if (s.execute("UPDATE account SET balance = balance + ? WHERE owner = ?", amount, to) == 0) {
                throw new IllegalArgumentException("no account " + to);
            }
            return null;
        });
    }

    /**
     * Reads each balance with its own query, all at once on the pool's readers, and joins them.
     *
     * @return a future completed with {@code owner=balance} pairs in {@link #OWNERS} order
     */
    static CompletableFuture<String> balances(SqlitePool pool) {
        List<CompletableFuture<String>> reads = OWNERS.stream()
                .map(owner -> pool.executeFetchAll("SELECT balance FROM account WHERE owner = ?", owner)
                        .thenApply(rows -> owner + "=" + rows.get(0).getLong(0)))
                .toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(v -> String.join(", ", reads.stream().map(CompletableFuture::join).toList()));
    }

    /** The failure itself, out of the {@link CompletionException} a dependent stage wraps it in. */
    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
