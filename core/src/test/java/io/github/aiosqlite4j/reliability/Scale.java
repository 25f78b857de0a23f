package io.github.aiosqlite4j.reliability;

/**
 * Sizes of the reliability tests: small in the default build, large with {@code -Preliability}
 * (which sets {@code aiosqlite4j.reliability.long=true}). A seed can be forced with {@code
 * -Daiosqlite4j.reliability.seed=N} to replay a failure.
 */
final class Scale {
    static final boolean LONG = Boolean.getBoolean("aiosqlite4j.reliability.long");

    private Scale() {}

    static int of(int quick, int thorough) {
        return LONG ? thorough : quick;
    }

    /** The forced seed, or a fresh one; printed by the caller. */
    static long seed() {
        String forced = System.getProperty("aiosqlite4j.reliability.seed");
        return forced != null && !forced.isBlank() ? Long.parseLong(forced.strip()) : System.nanoTime();
    }

    /** Like {@link #seed()}, printed as {@code "<run> seed=<seed>"} so a failing run can be replayed. */
    static long seed(String run) {
        long seed = seed();
        System.out.println(run + " seed=" + seed);
        return seed;
    }
}
