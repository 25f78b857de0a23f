package io.github.aiosqlite4j;

import java.util.List;
import java.util.Optional;

/**
 * What aiosqlite4j's native library gives on this JVM, from {@link AioSqlite#nativeFeatures()}:
 * whether it is loaded, the features it provides, and if it is not loaded, why. Immutable.
 */
public final class NativeFeatures {
    /** The feature names {@link #features()} lists when the library is loaded. */
    private static final List<String> ALL = List.of("authorizer", "trace", "profile", "blob", "backup",
            "txn_state", "db_config", "db_status", "stmt_status", "wal_hook");

    private final boolean available;
    private final String platform;
    private final String reason;

    NativeFeatures(boolean available, String platform, String reason) {
        this.available = available;
        this.platform = platform;
        this.reason = reason;
    }

    /** {@return whether the native library is loaded} */
    public boolean isAvailable() {
        return available;
    }

    /** {@return this platform's name, for example {@code "linux-x86_64"}} */
    public String platform() {
        return platform;
    }

    /**
     * The features SQLite's C API provides here: {@code "authorizer"} ({@link
     * AsyncConnection#setAuthorizer}), {@code "trace"} (SQLite's trace for {@link
     * AsyncConnection#setTraceCallback}), {@code "profile"} ({@link
     * AsyncConnection#setProfileCallback}), {@code "blob"} ({@code sqlite3_blob_*} for {@link
     * AsyncConnection#blobOpen}), {@code "backup"} ({@code sqlite3_backup_*} for {@link
     * AsyncConnection#backup(AsyncConnection, BackupOptions)}), {@code "txn_state"} ({@code
     * sqlite3_get_autocommit} for {@link AsyncConnection#inTransaction()}, {@code
     * sqlite3_txn_state} for {@link AsyncConnection#txnState}), {@code "db_config"} ({@link
     * AsyncConnection#getConfig}, {@link AsyncConnection#setConfig}), {@code "db_status"} ({@link
     * AsyncConnection#dbStatus}), {@code "stmt_status"} ({@link
     * AsyncConnection#setStatementStatusCallback}), {@code "wal_hook"} ({@link
     * AsyncConnection#setWalHook}).
     *
     * @return the names; empty when the library is not loaded
     */
    public List<String> features() {
        return available ? ALL : List.of();
    }

    /** {@return why the library is not loaded (for example, no build for this platform); empty if it is} */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public String toString() {
        return available ? "native " + platform + " " + ALL : "no native library on " + platform + ": " + reason;
    }
}
