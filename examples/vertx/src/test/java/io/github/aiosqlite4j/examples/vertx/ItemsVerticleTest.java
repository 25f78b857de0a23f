package io.github.aiosqlite4j.examples.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.SqlitePool;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the example server with concurrent HTTP requests while Vert.x's blocked-thread checker
 * looks at the event loops every 10 ms and warns, with the event loop's stack, after 100 ms (the
 * default is 2 s). It checks that every acknowledged write can be read back, and that the checker
 * never catches the event loop waiting: parked (a {@code join()}, a lock, a full queue), in
 * {@code Object.wait} or asleep. A warning whose stack shows the thread running is a busy machine
 * taking the core away from it (the checker measures wall-clock time), not the code blocking.
 * The checker only sees a wait longer than its limit, and a {@code join()} on a pool's future
 * waits far less; so the test also samples the event loop's thread state during the load
 * ({@link EventLoopSampler}), which does catch a handler that joins (checked by hand: the
 * {@code GET /items/<id>} handler written with {@code join()} fails this test).
 */
class ItemsVerticleTest {
    private static final int CLIENTS = 50;
    private static final int REQUESTS = 1_000;

    /** Vert.x logs through java.util.logging when no other backend is on the class path. */
    private final Logger checkerLogger = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    private final List<LogRecord> blockedWarnings = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstWarning = new CountDownLatch(1);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            blockedWarnings.add(record);
            firstWarning.countDown();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @TempDir
    Path dir;

    private Vertx vertx;
    private SqlitePool pool;

    @BeforeEach
    void start() {
        checkerLogger.addHandler(capture);
        vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(100)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(100)
                .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
        pool = ItemsVerticle.openPool(dir.resolve("items.db").toString());
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        pool.close();
        checkerLogger.removeHandler(capture);
    }

    @Test
    void concurrentRequestsNeverBlockTheEventLoop() throws Exception {
        ItemsVerticle verticle = new ItemsVerticle(pool, 0);
        vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().join();
        URI items = URI.create("http://127.0.0.1:" + verticle.actualPort() + "/items");

        Map<Long, String> written = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<CompletableFuture<?>> responses = new ArrayList<>();
        Semaphore inFlight = new Semaphore(CLIENTS);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        EventLoopSampler sampler = new EventLoopSampler();
        for (int i = 0; i < REQUESTS; i++) {
            inFlight.acquire();
            CompletableFuture<?> response;
            if (i % 4 == 0) {
                String name = "item-" + i;
                response = client.sendAsync(HttpRequest.newBuilder(items)
                                .POST(HttpRequest.BodyPublishers.ofString(name)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .thenAccept(r -> {
                            if (r.statusCode() == 201) {
                                written.put(Long.parseLong(r.body()), name);
                            } else {
                                failures.add("POST " + r.statusCode() + " " + r.body());
                            }
                        });
            } else {
                URI uri = i % 4 == 1 ? items : items.resolve("/items/" + (1 + i % 50));
                response = client.sendAsync(HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .thenAccept(r -> {
                            if (r.statusCode() != 200 && r.statusCode() != 404) {
                                failures.add("GET " + uri + " " + r.statusCode() + " " + r.body());
                            }
                        });
            }
            responses.add(response.whenComplete((v, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();
        List<String> parked = sampler.stop();

        assertThat(failures).isEmpty();
        assertThat(written).hasSize(REQUESTS / 4);
        for (Map.Entry<Long, String> w : written.entrySet()) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(items.resolve("/items/" + w.getKey())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(w.getValue());
        }
        HttpResponse<String> count = client.send(HttpRequest.newBuilder(items).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(count.body()).isEqualTo(String.valueOf(REQUESTS / 4));
        assertThat(parked).isEmpty();
        assertThat(blockedWarnings.stream().filter(ItemsVerticleTest::waiting)
                        .map(w -> w.getMessage() + "\n  at " + Arrays.stream(w.getThrown().getStackTrace())
                                .limit(20).map(String::valueOf).collect(Collectors.joining("\n  at "))))
                .isEmpty();
    }

    /** The control: the same checker, logger and capture do report a handler that blocks. */
    @Test
    void blockingTheEventLoopIsReported() throws Exception {
        CompletableFuture<Boolean> reported = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                // Blocks this event loop until the checker has logged it.
                reported.complete(firstWarning.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                reported.completeExceptionally(e);
            }
        });
        assertThat(reported.get()).isTrue();
        assertThat(blockedWarnings.get(0).getMessage()).contains("has been blocked for");
        assertThat(blockedWarnings.get(0)).matches(ItemsVerticleTest::waiting);
    }

    /**
     * Looks at the event loop threads' states while the requests run, one look every 0.2 ms,
     * and keeps the stack of each look that finds one waiting (parked or in {@code Object.wait}).
     * An idle event loop waits for I/O in a native call, which the JVM reports as running; so
     * does a handler that works. A handler that waits for the database (a {@code join()} on the
     * pool's future) is caught here even when it waits far less than the checker's limit.
     */
    private static final class EventLoopSampler {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final List<String> waiting = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;
        private final Thread sampler = new Thread(this::run, "event-loop-sampler");

        EventLoopSampler() {
            sampler.setDaemon(true);
            sampler.start();
        }

        private void run() {
            long[] ids = Arrays.stream(threads.dumpAllThreads(false, false))
                    .filter(t -> t.getThreadName().startsWith("vert.x-eventloop-thread-"))
                    .mapToLong(ThreadInfo::getThreadId)
                    .toArray();
            while (!stopped) {
                for (ThreadInfo t : threads.getThreadInfo(ids, 20)) {
                    if (t != null && (t.getThreadState() == Thread.State.WAITING
                            || t.getThreadState() == Thread.State.TIMED_WAITING)) {
                        waiting.add(t.getThreadName() + " " + t.getThreadState() + "\n  at "
                                + Arrays.stream(t.getStackTrace()).map(String::valueOf)
                                        .collect(Collectors.joining("\n  at ")));
                    }
                }
                LockSupport.parkNanos(200_000);   // pacing the looks, not waiting for a result
            }
        }

        List<String> stop() throws InterruptedException {
            stopped = true;
            sampler.join();
            return waiting;
        }
    }

    /** Whether the stack the checker logged shows the event loop waiting rather than running. */
    private static boolean waiting(LogRecord warning) {
        return warning.getThrown() != null && Arrays.stream(warning.getThrown().getStackTrace()).anyMatch(f ->
                f.getClassName().equals("java.util.concurrent.locks.LockSupport") && f.getMethodName().startsWith("park")
                        || f.getClassName().equals("java.lang.Object") && f.getMethodName().startsWith("wait")
                        || f.getClassName().equals("java.lang.Thread") && f.getMethodName().startsWith("sleep"));
    }
}
