package io.github.aiosqlite4j;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Immutable settings of a {@link SqlitePool}: how many readers, and how read requests wait for
 * one. The connection settings themselves (file, busy timeout, synchronous mode, PRAGMAs, ...)
 * come from the {@link SqliteConfig} given to {@link SqlitePool#open}.
 *
 * <pre>{@code
 * PoolOptions options = PoolOptions.builder()
 *         .name("orders")
 *         .readers(4)
 *         .acquireTimeout(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: {@code max(2, availableProcessors)} readers, at most 10,000 queued read requests,
 * a 30 s acquisition timeout, no group commit, no leak detection, and a name {@code pool-<n>}.
 */
public final class PoolOptions {
    /** The {@code System.Logger} that lease leak detection ({@link #leakDetectionThreshold()}) warns on. */
    public static final String LEAK_LOGGER = "io.github.aiosqlite4j.pool.leak";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final int readers;
    private final int maxWaiters;
    private final Duration acquireTimeout;
    private final int groupCommit;
    private final Duration leakDetectionThreshold;

    private PoolOptions(Builder b, String name) {
        this.name = name;
        this.readers = b.readers;
        this.maxWaiters = b.maxWaiters;
        this.acquireTimeout = b.acquireTimeout;
        this.groupCommit = b.groupCommit;
        this.leakDetectionThreshold = b.leakDetectionThreshold;
    }

    /**
     * Options with every default.
     *
     * @return the default options (each call numbers a new default name)
     */
    public static PoolOptions defaults() {
        return builder().build();
    }

    /**
     * Starts a builder with every default set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the pool's name, used in error messages and log lines} */
    public String name() {
        return name;
    }

    /** {@return the number of reader connections (default {@code max(2, availableProcessors)})} */
    public int readers() {
        return readers;
    }

    /** {@return the most read requests that may queue for a free reader (default 10,000)} */
    public int maxWaiters() {
        return maxWaiters;
    }

    /** {@return how long a read request may queue for a free reader (default 30 s)} */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /**
     * {@return the most {@link SqlitePool#write} bodies committed in one transaction (default 1:
     * no group commit)}
     */
    public int groupCommit() {
        return groupCommit;
    }

    /**
     * {@return how long a connection lease may be held before it is reported as a possible leak,
     * or null when leak detection is off (the default); see {@link
     * Builder#leakDetectionThreshold(Duration)}}
     */
    public Duration leakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    @Override
    public String toString() {
        return "PoolOptions{name=" + name + ", readers=" + readers + ", maxWaiters=" + maxWaiters
                + ", acquireTimeout=" + acquireTimeout + ", groupCommit=" + groupCommit
                + (leakDetectionThreshold == null ? "" : ", leakDetectionThreshold=" + leakDetectionThreshold)
                + "}";
    }

    /** Builds {@link PoolOptions}. Not thread-safe; each setter returns this builder. */
    public static final class Builder {
        private String name;
        private int readers = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int maxWaiters = 10_000;
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private int groupCommit = 1;
        private Duration leakDetectionThreshold;

        private Builder() {}

        /**
         * Names the pool; the name appears in error messages and log lines.
         *
         * @param name a non-blank name, or null for the default {@code pool-<n>}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the number of reader connections, each with its own worker thread.
         *
         * @param readers at least 1 (checked by {@link #build()})
         * @return this builder
         */
        public Builder readers(int readers) {
            this.readers = readers;
            return this;
        }

        /**
         * Sets how many read requests may queue for a free reader; one more fails at once with
         * {@link java.sql.SQLTransientException}.
         *
         * @param maxWaiters zero (never queue: fail when every reader is busy) or more (checked by
         *     {@link #build()})
         * @return this builder
         */
        public Builder maxWaiters(int maxWaiters) {
            this.maxWaiters = maxWaiters;
            return this;
        }

        /**
         * Sets how long a read request may queue for a free reader before it fails with {@link
         * java.sql.SQLTransientException}. Time spent running is not counted.
         *
         * @param timeout positive, at most about 292 years (checked by {@link #build()})
         * @return this builder
         */
        public Builder acquireTimeout(Duration timeout) {
            this.acquireTimeout = timeout;
            return this;
        }

        /**
         * Turns on group commit for {@link SqlitePool#write}: when write bodies queue up behind a
         * running one, the writer runs up to this many of them in one {@code BEGIN IMMEDIATE}
         * transaction, each inside its own SAVEPOINT, and commits once. Every body stays atomic (a
         * body that throws is rolled back to its savepoint, and only its future fails), and no
         * future completes before the shared COMMIT has succeeded. With {@code synchronous=FULL}
         * (SQLite's default) a commit costs an fsync, so deep write queues go several times faster
         * (see the README); with one writer waiting at a time nothing changes. {@link
         * SqlitePool#transaction} bodies always commit alone.
         *
         * @param maxWritesPerCommit 1 (off, the default) or more (checked by {@link #build()})
         * @return this builder
         */
        public Builder groupCommit(int maxWritesPerCommit) {
            this.groupCommit = maxWritesPerCommit;
            return this;
        }

        /**
         * Leak detection for connection leases, as HikariCP's {@code leakDetectionThreshold}: a
         * lease (the R2DBC driver's transactions and results with {@code pool=true} hold one)
         * still held this long after it was granted is reported once as a WARNING on the {@code
         * System.Logger} {@value PoolOptions#LEAK_LOGGER}, with the stack of the call that asked
         * for it. The stack is captured only when detection is on; the check runs on a JDK
         * delayed executor. {@link SqlitePool#read} and {@link SqlitePool#write} bodies are not
         * leases: they give their connection back when they return.
         *
         * @param threshold how long a lease may be held, or null for off (the default); positive
         *     (checked by {@link #build()})
         * @return this builder
         */
        public Builder leakDetectionThreshold(Duration threshold) {
            this.leakDetectionThreshold = threshold;
            return this;
        }

        /**
         * Checks the settings and builds the options.
         *
         * @return the immutable options
         * @throws IllegalArgumentException if a setting is out of range, naming it and its value
         * @throws NullPointerException if the acquisition timeout is null
         */
        public PoolOptions build() {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + name
                        + "'; pass null for the default name");
            }
            if (readers < 1) {
                throw new IllegalArgumentException("readers must be at least 1, was " + readers);
            }
            if (maxWaiters < 0) {
                throw new IllegalArgumentException("maxWaiters must not be negative, was "
                        + maxWaiters);
            }
            if (groupCommit < 1) {
                throw new IllegalArgumentException("groupCommit must be at least 1 (1 = off), was "
                        + groupCommit);
            }
            Objects.requireNonNull(acquireTimeout, "acquireTimeout must not be null");
            if (acquireTimeout.isNegative() || acquireTimeout.isZero()) {
                throw new IllegalArgumentException("acquireTimeout must be positive, was "
                        + acquireTimeout);
            }
            try {
                acquireTimeout.toNanos();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("acquireTimeout is too long, was "
                        + acquireTimeout, e);
            }
            if (leakDetectionThreshold != null
                    && (leakDetectionThreshold.isNegative() || leakDetectionThreshold.isZero())) {
                throw new IllegalArgumentException("leakDetectionThreshold must be positive, was "
                        + leakDetectionThreshold + "; pass null to turn leak detection off");
            }
            return new PoolOptions(this,
                    name != null ? name : "pool-" + SEQUENCE.incrementAndGet());
        }
    }
}
