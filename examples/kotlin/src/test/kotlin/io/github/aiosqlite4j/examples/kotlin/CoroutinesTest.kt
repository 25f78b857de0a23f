package io.github.aiosqlite4j.examples.kotlin

import io.github.aiosqlite4j.AioSqlite
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

class CoroutinesTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `the demo prints what the README shows`(): Unit = runBlocking {
        assertThat(demo(dir.resolve("demo.db").toString())).containsExactly(
            "Users older than 25: [Alice, Carol]",
            "First user older than 25: Alice",
            "Ages after the transfer: [30, 34, 31]",
        )
    }

    @Test
    fun `a flow streams every row, and take() ends it early`(): Unit = runBlocking {
        val db = AioSqlite.connect(dir.resolve("many.db").toString()).await()
        try {
            db.createUsers((1..5_000).map { "user-$it" to it % 100 })

            val all = db.namesOlderThan(49).toList()
            assertThat(all).hasSize(2_500).startsWith("user-50", "user-51").endsWith("user-4999")

            assertThat(db.namesOlderThan(49).take(3).toList()).containsExactly("user-50", "user-51", "user-52")
            // After the early end the connection goes on: it takes a write and commits it.
            db.execute("DELETE FROM users WHERE age > 49").await()
            db.commit().await()
            assertThat(db.namesOlderThan(49).toList()).isEmpty()
        } finally {
            db.closeAsync().await()
        }
    }
}
