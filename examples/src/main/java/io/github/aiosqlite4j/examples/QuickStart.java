package io.github.aiosqlite4j.examples;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import java.util.concurrent.CompletableFuture;

/** The README's quickstart: aiosqlite's quickstart, in Java. */
public final class QuickStart {
    private QuickStart() {}

    /**
     * Runs the quickstart against {@code $AIOSQLITE_DB_PATH} (default {@code my_database.db}).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String dbPath = System.getenv().getOrDefault("AIOSQLITE_DB_PATH", "my_database.db");
        try (AsyncConnection db = AioSqlite.connect(dbPath).join()) {
            run(db).join();
        }
    }

    static CompletableFuture<Void> run(AsyncConnection db) {
        // Create a table
        return db.execute("""
                CREATE TABLE IF NOT EXISTS users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    age INTEGER
                )""")
                .thenCompose(cursor -> db.commit())
                // Insert data
                .thenCompose(v -> db.execute("INSERT INTO users (name, age) VALUES (?, ?)", "Alice", 30))
                .thenCompose(cursor -> db.execute("INSERT INTO users (name, age) VALUES (?, ?)", "Bob", 24))
                .thenCompose(cursor -> db.commit())
                // Query data
                .thenCompose(v -> db.execute("SELECT id, name, age FROM users WHERE age > ?", 25))
                .thenCompose(cursor -> {
                    System.out.println("Users older than 25:");
                    return cursor.forEach(row -> System.out.printf(" ID: %s, Name: %s, Age: %s%n",
                                    row.get(0), row.get(1), row.get(2)))
                            .thenCompose(count -> cursor.closeAsync());
                })
                // Update data
                .thenCompose(v -> db.execute("UPDATE users SET age = ? WHERE name = ?", 31, "Alice"))
                .thenCompose(cursor -> db.commit())
                // Delete data
                .thenCompose(v -> db.execute("DELETE FROM users WHERE name = ?", "Bob"))
                .thenCompose(cursor -> db.commit())
                .thenCompose(v -> db.execute("SELECT COUNT(*) FROM users"))
                .thenCompose(cursor -> cursor.fetchOne())
                .thenAccept(row -> System.out.println("Total users remaining: " + row.orElseThrow().get(0)));
    }
}
