package io.github.aiosqlite4j.internal.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Loads aiosqlite4j's native library once per JVM, as sqlite-jdbc loads its own: the binary for
 * this platform, a resource of this jar ({@code native/<platform>/}), is extracted into a new
 * private directory (owner-only where the file system has POSIX permissions) under {@code
 * org.sqlite.tmpdir} (else {@code java.io.tmpdir}), its SHA-256 checked against the {@code
 * .sha256} beside it, and loaded with {@link System#load}; both are deleted when the JVM exits.
 * A JVM that did not exit normally (killed, crashed, halted) leaves its directory behind: the
 * next JVM to load the library deletes those ({@link #deleteStale}). A directory's owner holds a
 * lock on its {@value #LOCK} file for its whole life; the operating system releases it when the
 * process dies, whatever PID namespace or machine view it had, so a lock another JVM can take
 * means a dead owner.
 * When anything fails (no binary for this platform, no writable directory, a checksum mismatch,
 * the system property {@value #DISABLE_PROPERTY} set to {@code false}), {@link #status()} says why
 * and connections work without the native features.
 */
public final class NativeLibrary {
    /** Set to {@code false} to never load the native library. */
    public static final String DISABLE_PROPERTY = "aiosqlite4j.native";

    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");
    private static final String PREFIX = "aiosqlite4j-";
    /** The lock file of an extraction directory, locked by its JVM while it lives. */
    static final String LOCK = ".lock";
    /**
     * A directory is deleted only once its lock file (or, without one, the directory) is this
     * old: never one a JVM is creating right now, between creating the lock file and locking it.
     * (Without a lock file: one of a version before the lock, or whose JVM died meanwhile.)
     */
    static final java.time.Duration GRACE = java.time.Duration.ofMinutes(1);
    /** This JVM's lock (held, never released, until the JVM exits). */
    @SuppressWarnings("unused")
    private static java.nio.channels.FileChannel lockChannel;

    /**
     * What loading found.
     *
     * @param platform this platform's name, as the resource directories name them
     * @param path the extracted library (null if not loaded)
     * @param reason why it is not loaded (null if it is)
     */
    public record Status(String platform, Path path, String reason) {
        /** {@return whether the library is loaded} */
        public boolean available() {
            return path != null;
        }
    }

    private static final class Holder {
        static final Status STATUS = load();
    }

    private NativeLibrary() {}

    /** {@return whether (and where) the library is loaded, loading it on the first call} */
    public static Status status() {
        return Holder.STATUS;
    }

    /** This platform as the resource directories name it ({@code linux-x86_64}), or null. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux"
                : os.startsWith("windows") ? "windows"
                : os.startsWith("mac") || os.startsWith("darwin") ? "macos" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }

    private static Status load() {
        String platform = platform();
        String label = platform != null ? platform
                : System.getProperty("os.name") + "-" + System.getProperty("os.arch");
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
            return new Status(label, null, "disabled by the system property " + DISABLE_PROPERTY + "=false");
        }
        if (platform == null) {
            return new Status(label, null, "no native library is built for " + label);
        }
        String name = platform.startsWith("windows") ? "aiosqlite4j.dll"
                : platform.startsWith("macos") ? "libaiosqlite4j.dylib" : "libaiosqlite4j.so";
        String resource = "/io/github/aiosqlite4j/native/" + platform + "/" + name;
        try {
            byte[] lib = read(resource);
            byte[] sum = read(resource + ".sha256");
            if (lib == null || sum == null) {
                return new Status(label, null, "no native library is built for " + label);
            }
            String expected = new String(sum, StandardCharsets.US_ASCII).trim();
            String tmp = System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir"));
            deleteStale(Paths.get(tmp));
            Path dir = Files.createTempDirectory(Paths.get(tmp), PREFIX);
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(name);
            file.toFile().deleteOnExit(); // deleted before its directory (reverse order)
            Path lock = dir.resolve(LOCK);
            lock.toFile().deleteOnExit();
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            channel.lock();
            lockChannel = channel;
            Files.write(file, lib);
            // The extracted copy, read back, is what gets loaded: it must be the one we built.
            String actual = sha256(Files.readAllBytes(file));
            if (!actual.equals(expected)) {
                return new Status(label, null, "the extracted native library " + file
                        + " has SHA-256 " + actual + ", expected " + expected);
            }
            System.load(file.toAbsolutePath().toString());
            return new Status(label, file.toAbsolutePath(), null);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "native library not loaded", e);
            return new Status(label, null, "the native library could not be loaded: " + e);
        }
    }

    /**
     * Deletes the extraction directories under tmp whose JVM is dead: older than {@link #GRACE},
     * with a lock file this JVM can lock, or none. Anything it cannot read, lock or delete
     * (another user's, a live JVM's) is left alone.
     *
     * @return how many directories it deleted
     */
    static int deleteStale(Path tmp) {
        int deleted = 0;
        try (java.nio.file.DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                try {
                    if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) && ownerIsDead(dir)) {
                        deleteTree(dir);
                        deleted++;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "left " + dir + " alone", e);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not look for stale native libraries in " + tmp, e);
        }
        return deleted;
    }

    private static boolean ownerIsDead(Path dir) throws IOException {
        Path lock = dir.resolve(LOCK);
        boolean locked = Files.exists(lock, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        java.time.Instant modified = Files.getLastModifiedTime(locked ? lock : dir,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant();
        if (modified.plus(GRACE).isAfter(java.time.Instant.now())) {
            return false;
        }
        if (!locked) {
            return true;
        }
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return c.tryLock() != null; // released as c closes
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false; // held in this JVM (another class loader's copy of this class)
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
