package io.github.aiosqlite4j.examples.vertx;

import io.github.aiosqlite4j.PoolOptions;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqlitePool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletionStage;

/**
 * A Vert.x 5 HTTP server whose handlers call {@link SqlitePool} and never block the event loop.
 *
 * <ul>
 *   <li>{@code POST /items} (body: a name) inserts a row on the pool's writer and answers {@code
 *       201} with its id;
 *   <li>{@code GET /items/<id>} reads the name on a reader, {@code 404} if there is none;
 *   <li>{@code GET /items} answers the number of rows.
 * </ul>
 *
 * <p>The SQL runs on the pool's worker threads. Each {@code CompletableFuture} the pool returns is
 * turned into a Vert.x {@link Future} with {@link Future#fromCompletionStage(CompletionStage,
 * io.vertx.core.Context)}, bound to this verticle's context, so every callback ({@code map},
 * {@code onComplete}, writing the response) runs on the verticle's event loop, as Vert.x expects.
 */
public final class ItemsVerticle extends VerticleBase {
    /** The table the example uses. */
    public static final String SCHEMA =
            "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)";

    private final SqlitePool pool;
    private final int port;
    private volatile HttpServer server;

    /**
     * A verticle serving {@code pool}'s {@code items} table.
     *
     * @param pool an open pool with the {@link #SCHEMA} table
     * @param port the TCP port to listen on; 0 picks a free one
     */
    public ItemsVerticle(SqlitePool pool, int port) {
        this.pool = pool;
        this.port = port;
    }

    /**
     * Starts the HTTP server.
     *
     * @return a future completed (on the event loop) with the listening server
     */
    @Override
    public Future<HttpServer> start() {
        return vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(port)
                .onSuccess(s -> server = s);
    }

    /** {@return the port the server listens on, once {@link #start()} has completed} */
    public int actualPort() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        Future<Response> response;
        if (request.method() == HttpMethod.POST && path.equals("/items")) {
            response = request.body()
                    .compose(body -> onContext(pool.write(s -> {
                        s.execute("INSERT INTO items (name) VALUES (?)", body.toString());
                        return s.lastRowId();
                    })))
                    .map(id -> new Response(201, id.toString()));
        } else if (request.method() == HttpMethod.GET && path.equals("/items")) {
            response = onContext(pool.executeFetchAll("SELECT count(*) FROM items"))
                    .map(rows -> new Response(200, rows.get(0).getLong(0).toString()));
        } else if (request.method() == HttpMethod.GET && path.startsWith("/items/")) {
            long id;
            try {
                id = Long.parseLong(path.substring("/items/".length()));
            } catch (NumberFormatException e) {
                request.response().setStatusCode(400).end("not an id: " + path);
                return;
            }
            response = onContext(pool.executeFetchAll("SELECT name FROM items WHERE id = ?", id))
                    .map(rows -> rows.isEmpty()
                            ? new Response(404, "no item " + id)
                            : new Response(200, rows.get(0).getString(0)));
        } else {
            response = Future.succeededFuture(new Response(404, "no route " + path));
        }
        response.onComplete(done -> {
            if (done.succeeded()) {
                request.response().setStatusCode(done.result().status()).end(done.result().body());
            } else {
                request.response().setStatusCode(500).end(String.valueOf(done.cause()));
            }
        });
    }

    /** The bridge: the pool's future as a Vert.x future whose callbacks run on this verticle's context. */
    private <T> Future<T> onContext(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, context);
    }

    private record Response(int status, String body) {}

    /**
     * Opens a pool on {@code $AIOSQLITE_DB_PATH} (default {@code items.db}), creates the table and
     * serves it on port 8080 (or the first argument) until the JVM stops.
     *
     * @param args an optional port
     */
    public static void main(String[] args) {
        String dbPath = System.getenv().getOrDefault("AIOSQLITE_DB_PATH", "items.db");
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        SqlitePool pool = openPool(dbPath);
        Vertx vertx = Vertx.vertx();
        ItemsVerticle verticle = new ItemsVerticle(pool, port);
        vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            pool.close();
        }));
        System.out.println("Listening on http://localhost:" + verticle.actualPort() + "/items");
    }

    /**
     * Opens the pool the example uses and creates its table.
     *
     * @param dbPath the database file
     * @return the open pool
     */
    public static SqlitePool openPool(String dbPath) {
        SqliteConfig config = SqliteConfig.builder(dbPath)
                // Complete the pool's futures on its worker thread: fromCompletionStage only hands
                // the result to the event loop, so a hop through the common pool buys nothing.
                .completionExecutor(Runnable::run)
                .build();
        SqlitePool pool = SqlitePool.open(config, PoolOptions.builder().name("items").build()).join();
        pool.execute(SCHEMA).join();
        return pool;
    }
}
