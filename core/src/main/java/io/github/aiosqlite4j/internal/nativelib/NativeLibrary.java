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
 * When anything fails (no binary for this platform, no writable directory, a checksum mismatch,
 * the system property {@value #DISABLE_PROPERTY} set to {@code false}), {@link #status()} says why
 * and connections work without the native features.
 */
public final class NativeLibrary {
    /** Set to {@code false} to never load the native library. */
    public static final String DISABLE_PROPERTY = "aiosqlite4j.native";

    private static final System.Logger LOG = System.getLogger("io.github.aiosqlite4j");

    /**
     * What loading found.
     *
     * @param platform this platform's name, as the resource directories name them
     * @param path the extracted library (null if not loaded)
     * @param reason why it is not loaded (null if it is)
     */
    public record Status(String platform, Path path, String reason) {
        /** @return whether the library is loaded */
        public boolean available() {
            return path != null;
        }
    }

    private static final class Holder {
        static final Status STATUS = load();
    }

    private NativeLibrary() {}

    /** @return whether (and where) the library is loaded, loading it on the first call */
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
            Path dir = Files.createTempDirectory(Paths.get(tmp), "aiosqlite4j-");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(name);
            file.toFile().deleteOnExit(); // deleted before its directory (reverse order)
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
