package io.github.aiosqlite4j.nativelib;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.internal.nativelib.NativeLibrary;

/**
 * Run by {@link StaleExtractionTest} in child JVMs: loads the native library, prints "dir " and
 * its extraction directory, then, by args[0]: "halt" dies without the JVM's exit hooks (as a
 * killed JVM), "wait" lives until its standard input closes, "exit" exits normally.
 */
public final class StaleLibraryMain {
    private StaleLibraryMain() {}

    public static void main(String[] args) throws Exception {
        if (!AioSqlite.nativeFeatures().isAvailable()) {
            throw new AssertionError(AioSqlite.nativeFeatures().toString());
        }
        System.out.println("dir " + NativeLibrary.status().path().getParent());
        System.out.flush();
        switch (args[0]) {
            case "halt":
                Runtime.getRuntime().halt(0);
                break;
            case "wait":
                while (System.in.read() != -1) {
                    // until the parent closes our input
                }
                break;
            default:
                break;
        }
    }
}
