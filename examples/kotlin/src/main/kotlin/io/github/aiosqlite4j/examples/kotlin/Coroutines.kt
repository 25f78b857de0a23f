/**
 * aiosqlite4j from Kotlin coroutines. Every aiosqlite4j call returns a `CompletableFuture`;
 * `await()` (kotlinx.coroutines.future, in kotlinx-coroutines-core) suspends the coroutine until it
 * completes, without blocking a thread. A cursor's rows are a `java.util.concurrent.Flow.Publisher`;
 * `asFlow()` (kotlinx-coroutines-jdk9) turns them into a Kotlin `Flow` that fetches a chunk of
 * rows per round trip to the connection's thread, no faster than the collector consumes them.
 */
package io.github.aiosqlite4j.examples.kotlin

import io.github.aiosqlite4j.AioSqlite
import io.github.aiosqlite4j.AsyncConnection
import io.github.aiosqlite4j.PoolOptions
import io.github.aiosqlite4j.SqliteConfig
import io.github.aiosqlite4j.SqlitePool
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.future.await
import kotlinx.coroutines.jdk9.asFlow
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/** Creates a fresh `users` table and fills it, committed. */
suspend fun AsyncConnection.createUsers(users: List<Pair<String, Int>>) {
    execute("DROP TABLE IF EXISTS users").await()
    execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)").await()
    executeMany("INSERT INTO users (name, age) VALUES (?, ?)", users.map { listOf(it.first, it.second) })
        .await()
    commit().await()
}

/**
 * The names of the users older than [minAge], in id order, streamed from a cursor. The cursor is
 * closed when the flow ends, fails or is cancelled (`first()`, `take(n)`), also when the
 * collecting coroutine is cancelled.
 */
fun AsyncConnection.namesOlderThan(minAge: Int): Flow<String> = flow {
    val cursor = executeMapped("SELECT name FROM users WHERE age > ? ORDER BY id", { row -> row.getString(0) }, minAge)
        .await()
    try {
        emitAll(cursor.rows().asFlow())
    } finally {
        withContext(NonCancellable) { cursor.closeAsync().await() }
    }
}

/**
 * Moves [amount] years from one user to another on the pool's writer, in one transaction: the
 * body runs on the writer's thread with the synchronous session, and `await()` resumes once it is
 * committed (or throws the body's exception after the rollback).
 */
suspend fun SqlitePool.moveYears(from: String, to: String, amount: Int) {
    transaction { s ->
        s.execute("UPDATE users SET age = age - ? WHERE name = ?", amount, from)
        s.execute("UPDATE users SET age = age + ? WHERE name = ?", amount, to)
    }.await()
}

/** The age of each named user, read concurrently on the pool's readers. */
suspend fun SqlitePool.ages(names: List<String>): List<Long> = coroutineScope {
    names.map { name ->
        async { executeFetchAll("SELECT age FROM users WHERE name = ?", name).await().single().getLong(0) }
    }.awaitAll()
}

/** Runs the example on the database file [dbPath] and returns what `main` prints. */
suspend fun demo(dbPath: String): List<String> {
    val out = mutableListOf<String>()
    val db = AioSqlite.connect(dbPath).await()
    try {
        db.createUsers(listOf("Alice" to 30, "Bob" to 24, "Carol" to 41))
        out += "Users older than 25: " + db.namesOlderThan(25).toList()
        out += "First user older than 25: " + db.namesOlderThan(25).first()
    } finally {
        db.closeAsync().await()
    }
    val pool = SqlitePool.open(SqliteConfig.builder(dbPath).build(), PoolOptions.defaults()).await()
    try {
        pool.moveYears(from = "Carol", to = "Bob", amount = 10)
        out += "Ages after the transfer: " + pool.ages(listOf("Alice", "Bob", "Carol"))
    } finally {
        pool.closeAsync().await()
    }
    return out
}

/** Runs [demo] on `$AIOSQLITE_DB_PATH` (default `coroutines.db`) and prints its lines. */
fun main(): Unit = runBlocking {
    demo(System.getenv().getOrDefault("AIOSQLITE_DB_PATH", "coroutines.db")).forEach(::println)
}
