package io.github.aiosqlite4j.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.r2dbc.SqliteConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Starts the example on a random port with its own {@code application.properties} (only the
 * database file moved to a temporary directory, {@code pool=true} kept) and drives concurrent
 * HTTP requests at it: every acknowledged write is read back, none fails. The driver's pool is not
 * wrapped in Boot's r2dbc-pool. Surefire sets {@code reactor.netty.http.server.lastFlushWhenNoRead}
 * as {@link ExampleApplication#main} does (a Reactor Netty keep-alive hang, see there).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleApplicationTest {

    private static final int CLIENTS = 16;
    private static final int POSTS_PER_CLIENT = 12;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Path DIR = temporaryDirectory();

    @LocalServerPort
    int port;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    AuditRepository audits;

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("aiosqlite4j-boot-example");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.r2dbc.url", () -> "r2dbc:sqlite:///" + DIR.resolve("app.db") + "?pool=true");
    }

    @AfterAll
    static void removeDatabase() throws Exception {
        try (var files = Files.list(DIR)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(DIR);
    }

    private HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

    @Test
    void concurrentWritesAndReads_noErrorNoLostWrite() throws Exception {
        SqliteConnectionFactory sqlite = unwrap(this.connectionFactory);
        // No r2dbc-pool around the driver's pool: SqliteEnvironmentPostProcessor turns it off.
        assertThat(this.connectionFactory).isNotInstanceOf(ConnectionPool.class);
        assertThat(sqlite.poolOptions()).isPresent();
        long auditsBefore = this.audits.count().block(Duration.ofSeconds(30)); // other tests' items

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                runs.add(clients.submit(() -> {
                    List<String> failures = new ArrayList<>();
                    for (int i = 0; i < POSTS_PER_CLIENT; i++) {
                        String name = "c" + client + "-" + i;
                        HttpResponse<String> post = send(http, HttpRequest.newBuilder(uri("/items"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"" + name + "\",\"qty\":" + i + "}")));
                        if (post.statusCode() != 201) {
                            failures.add("POST " + post.statusCode() + " " + post.body());
                            continue;
                        }
                        Matcher m = ID.matcher(post.body());
                        assertThat(m.find()).as(post.body()).isTrue();
                        long id = Long.parseLong(m.group(1));
                        acknowledged.put(id, name);
                        HttpResponse<String> get = send(http, HttpRequest.newBuilder(uri("/items/" + id)).GET());
                        if (get.statusCode() != 200 || !get.body().contains(name)) {
                            failures.add("GET " + id + " " + get.statusCode() + " " + get.body());
                        }
                        HttpResponse<String> page = send(http,
                                HttpRequest.newBuilder(uri("/items?page=" + i % 3 + "&size=5")).GET());
                        if (page.statusCode() != 200) {
                            failures.add("GET page " + page.statusCode() + " " + page.body());
                        }
                    }
                    return failures;
                }));
            }
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                failures.addAll(run.get());
            }
            assertThat(failures).isEmpty();
        } finally {
            clients.shutdownNow();
        }

        assertThat(acknowledged).hasSize(CLIENTS * POSTS_PER_CLIENT);
        for (Map.Entry<Long, String> e : acknowledged.entrySet()) {
            HttpResponse<String> get = send(http, HttpRequest.newBuilder(uri("/items/" + e.getKey())).GET());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).contains("\"name\":\"" + e.getValue() + "\"");
        }
        assertThat(this.audits.count().block(Duration.ofSeconds(30))).isEqualTo(auditsBefore + acknowledged.size());
        assertThat(sqlite.poolMetrics().orElseThrow().timeouts()).isZero();
    }

    /**
     * {@code GET /items/live} streams server-sent events: the stock at once, and a new event once
     * an item is created through the API.
     */
    @Test
    void liveStockStreamsAnEventAfterEachCommit() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<java.util.stream.Stream<String>> live = http.send(HttpRequest.newBuilder(uri("/items/live"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        java.util.Iterator<String> lines = live.body().iterator();
        Pattern items = Pattern.compile("^data:\\{\"items\":(\\d+),");
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Callable<Long> nextStock = () -> {
                while (true) {
                    Matcher m = items.matcher(lines.next());
                    if (m.find()) {
                        return Long.parseLong(m.group(1));
                    }
                }
            };
            long before = reader.submit(nextStock).get(60, java.util.concurrent.TimeUnit.SECONDS);
            HttpResponse<String> post = send(http, HttpRequest.newBuilder(uri("/items"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"live\",\"qty\":7}")));
            assertThat(post.statusCode()).isEqualTo(201);
            assertThat(reader.submit(nextStock).get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(before + 1);
        } finally {
            live.body().close();
            reader.shutdownNow();
        }
    }

    private static SqliteConnectionFactory unwrap(ConnectionFactory cf) {
        Object current = cf;
        while (!(current instanceof SqliteConnectionFactory) && current instanceof io.r2dbc.spi.Wrapped<?> w) {
            current = w.unwrap();
        }
        assertThat(current).isInstanceOf(SqliteConnectionFactory.class);
        return (SqliteConnectionFactory) current;
    }
}
