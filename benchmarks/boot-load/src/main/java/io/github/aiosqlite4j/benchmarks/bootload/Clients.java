package io.github.aiosqlite4j.benchmarks.bootload;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP clients: each a thread with one keep-alive HTTP/1.1 connection of plain sockets (a
 * minimal client that reads Content-Length and chunked bodies), so the load generator costs the
 * shared cores as little as possible. Per client, a repeating cycle of four requests: {@code POST
 * /items}, {@code GET /items/{that id}}, {@code GET /items?page=&size=20}, {@code GET /items/{one
 * of its earlier ids}}. Every response is checked; acknowledged writes are kept for {@link
 * #lookUpAcknowledged()}.
 */
final class Clients {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final int TIMEOUT_MS = 30_000;

    /** The outcome of one run. */
    record Result(int requests, long nanos, long errors, long[] sortedLatencies, long[] sortedPostLatencies,
            List<String> firstErrors) {

        double throughput() {
            return this.requests * 1e9 / this.nanos;
        }

        double percentile(int p) {
            return percentileOf(this.sortedLatencies, p);
        }

        /** A percentile of the POST requests alone (the writes, which queue for the writer). */
        double postPercentile(int p) {
            return percentileOf(this.sortedPostLatencies, p);
        }

        private static double percentileOf(long[] sorted, int p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(i, sorted.length - 1))];
        }

        Result withErrors(long all) {
            return new Result(this.requests, this.nanos, all, this.sortedLatencies, this.sortedPostLatencies,
                    this.firstErrors);
        }
    }

    private final int port;
    private final int clients;
    /** Acknowledged writes: id to name. */
    private final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private long errorCount;

    Clients(int port, int clients) {
        this.port = port;
        this.clients = clients;
    }

    void resetErrors() {
        synchronized (this.errors) {
            this.errors.clear();
            this.errorCount = 0;
        }
    }

    private void error(String what) {
        synchronized (this.errors) {
            this.errorCount++;
            if (this.errors.size() < 10) {
                this.errors.add(what);
            }
        }
    }

    /**
     * Runs {@code requests} requests, split over the clients.
     *
     * @param tag names this run's writes (unique per round)
     */
    Result run(int requests, String tag) throws Exception {
        List<Callable<long[]>> tasks = new ArrayList<>();
        for (int c = 0; c < this.clients; c++) {
            int client = c;
            int n = requests / this.clients + (c < requests % this.clients ? 1 : 0);
            tasks.add(() -> cycle(client, n, tag));
        }
        long t0 = System.nanoTime();
        List<long[]> lat = BootLoad.parallel(this.clients, tasks);
        long took = System.nanoTime() - t0;
        List<long[]> posts = new ArrayList<>();
        for (long[] l : lat) {
            long[] p = new long[(l.length + 3) / 4];
            for (int i = 0; i < l.length; i += 4) {
                p[i / 4] = l[i]; // request i % 4 == 0 is the POST
            }
            posts.add(p);
        }
        synchronized (this.errors) {
            return new Result(requests, took, this.errorCount, BootLoad.concat(lat), BootLoad.concat(posts),
                    List.copyOf(this.errors));
        }
    }

    private long[] cycle(int client, int n, String tag) {
        long[] latencies = new long[n];
        List<Long> mine = new ArrayList<>(); // this client's writes
        List<String> names = new ArrayList<>();
        long last = -1;
        String lastName = null;
        try (Http http = new Http(this.port)) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                try {
                    switch (i % 4) {
                        case 0 -> {
                            String name = tag + "-c" + client + "-" + i;
                            Http.Response r = http.send("POST", "/items",
                                    "{\"name\":\"" + name + "\",\"qty\":" + i + "}");
                            Matcher m = ID.matcher(r.body());
                            if (r.status() != 201 || !m.find() || !r.body().contains(name)) {
                                error("POST " + r.status() + " " + r.body());
                            } else {
                                last = Long.parseLong(m.group(1));
                                lastName = name;
                                this.acknowledged.put(last, name);
                                mine.add(last);
                                names.add(name);
                            }
                        }
                        case 1, 3 -> {
                            long id = last;
                            String name = lastName;
                            if (i % 4 == 3 && !mine.isEmpty()) {
                                int k = ThreadLocalRandom.current().nextInt(mine.size());
                                id = mine.get(k);
                                name = names.get(k);
                            }
                            if (id < 0) {
                                id = 1; // no write acknowledged yet: any answer but an error is right
                            }
                            Http.Response r = http.send("GET", "/items/" + id, null);
                            if (name != null ? r.status() != 200 || !r.body().contains("\"name\":\"" + name + "\"")
                                    : r.status() != 200 && r.status() != 404) {
                                error("GET /items/" + id + " " + r.status() + " " + r.body());
                            }
                        }
                        default -> {
                            int page = ThreadLocalRandom.current().nextInt(5);
                            Http.Response r = http.send("GET", "/items?page=" + page + "&size=20", null);
                            if (r.status() != 200 || !r.body().startsWith("[")) {
                                error("GET page " + r.status() + " " + r.body());
                            }
                        }
                    }
                } catch (IOException e) {
                    error("I/O: " + e);
                    http.reconnect();
                }
                latencies[i] = System.nanoTime() - t0;
            }
        }
        return latencies;
    }

    /**
     * Looks every acknowledged write up.
     *
     * @return how many are missing or wrong
     */
    long lookUpAcknowledged() throws Exception {
        List<Map.Entry<Long, String>> all = new ArrayList<>(this.acknowledged.entrySet());
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int c = 0; c < this.clients; c++) {
            int client = c;
            tasks.add(() -> {
                long lost = 0;
                try (Http http = new Http(this.port)) {
                    for (int i = client; i < all.size(); i += this.clients) {
                        Map.Entry<Long, String> e = all.get(i);
                        Http.Response r;
                        try {
                            r = http.send("GET", "/items/" + e.getKey(), null);
                        } catch (IOException ex) {
                            http.reconnect();
                            r = http.send("GET", "/items/" + e.getKey(), null);
                        }
                        if (r.status() != 200 || !r.body().contains("\"name\":\"" + e.getValue() + "\"")) {
                            lost++;
                            if (lost == 1) {
                                System.out.println("    lost: " + e + " -> " + r.status() + " " + r.body());
                            }
                        }
                    }
                }
                return lost;
            });
        }
        return BootLoad.parallel(this.clients, tasks).stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Waits until the app answers HTTP, or fails if it exits or takes longer than {@code seconds}.
     */
    static void awaitReady(int port, Process p, int seconds, Supplier<String> log) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the app exited (" + p.exitValue() + ") before it was ready:\n"
                        + log.get());
            }
            try (Http http = new Http(port)) {
                int status = http.send("GET", "/items/0", null).status();
                if (status == 200 || status == 404) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the app was not ready after " + seconds + " s:\n" + log.get());
    }

    /** A keep-alive HTTP/1.1 connection. */
    static final class Http implements AutoCloseable {
        record Response(int status, String body) {}

        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Http(int port) {
            this.port = port;
        }

        private void connect() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MS);
            s.connect(new InetSocketAddress("127.0.0.1", this.port), TIMEOUT_MS);
            this.socket = s;
            this.in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            this.out = s.getOutputStream();
        }

        void reconnect() {
            close();
        }

        Response send(String method, String path, String json) throws IOException {
            if (this.socket == null) {
                connect();
            }
            StringBuilder req = new StringBuilder(160).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: localhost:").append(this.port).append("\r\n");
            byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            req.append("Accept: application/json\r\n\r\n");
            byte[] head = req.toString().getBytes(StandardCharsets.US_ASCII);
            if (body != null) {
                byte[] all = new byte[head.length + body.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                head = all;
            }
            this.out.write(head);
            this.out.flush();
            return read();
        }

        private Response read() throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.1 ")) {
                throw new IOException("bad status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                while (true) {
                    String size = line();
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (!line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    body.write(this.in.readNBytes(n));
                    line();
                }
            } else if (length >= 0) {
                byte[] b = this.in.readNBytes((int) length);
                if (b.length < length) {
                    throw new EOFException("body cut short");
                }
                body.write(b);
            } else {
                close = true;
                body.write(this.in.readAllBytes());
            }
            if (close) {
                close();
            }
            return new Response(code, body.toString(StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            while (true) {
                int c = this.in.read();
                if (c < 0) {
                    throw new EOFException("connection closed");
                }
                if (c == '\n') {
                    int len = b.length();
                    if (len > 0 && b.charAt(len - 1) == '\r') {
                        b.setLength(len - 1);
                    }
                    return b.toString();
                }
                b.append((char) c);
            }
        }

        @Override
        public void close() {
            if (this.socket != null) {
                try {
                    this.socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
                this.socket = null;
            }
        }
    }
}
