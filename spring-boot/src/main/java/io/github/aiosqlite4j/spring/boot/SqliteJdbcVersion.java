package io.github.aiosqlite4j.spring.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * Warns, once per application context, when the sqlite-jdbc on the class path is older than the
 * one aiosqlite4j is built and tested with: Spring Boot's dependency management puts its own
 * (older) version there silently unless the application pins it.
 */
final class SqliteJdbcVersion {

    private static final System.Logger LOG = System.getLogger(SqliteJdbcVersion.class.getName());

    private SqliteJdbcVersion() {
    }

    /** Logs the warning if the running sqlite-jdbc is older than the one built with. */
    static void check() {
        String running;
        try {
            running = org.sqlite.SQLiteJDBCLoader.getVersion();
        } catch (RuntimeException | LinkageError e) {
            return; // no sqlite-jdbc: the driver reports that when it opens a connection
        }
        warning(running, builtWith()).ifPresent(w -> LOG.log(System.Logger.Level.WARNING, w));
    }

    /** {@return the sqlite-jdbc version of the build, or null if unknown} */
    static String builtWith() {
        try (InputStream in = SqliteJdbcVersion.class.getResourceAsStream("sqlite-jdbc.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The warning for a running version older than the built one; empty if it is not, or if
     * either cannot be read as dotted numbers.
     */
    static Optional<String> warning(String running, String built) {
        int[] r = parse(running);
        int[] b = parse(built);
        if (r == null || b == null || compare(r, b) >= 0) {
            return Optional.empty();
        }
        return Optional.of("sqlite-jdbc " + running + " is on the class path, older than " + built
                + ", the version aiosqlite4j is built and tested with (Spring Boot's dependency"
                + " management chooses its own unless you pin it): set the Maven property"
                + " <sqlite-jdbc.version>" + built + "</sqlite-jdbc.version> (Gradle: ext['sqlite-jdbc.version'] = '"
                + built + "')");
    }

    private static int[] parse(String version) {
        if (version == null) {
            return null;
        }
        String[] parts = version.trim().split("\\.");
        int[] numbers = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                numbers[i] = Integer.parseInt(parts[i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return numbers;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
