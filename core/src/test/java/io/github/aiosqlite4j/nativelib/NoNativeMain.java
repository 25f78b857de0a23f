package io.github.aiosqlite4j.nativelib;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Run by {@link NativeFeaturesTest} in a child JVM with {@code -Daiosqlite4j.native=false}, or
 * with a library that fails its checksum: prints what the feature report, setAuthorizer,
 * setProfileCallback, the trace and ordinary work do.
 */
public final class NoNativeMain {
    private NoNativeMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("features: " + AioSqlite.nativeFeatures().isAvailable() + " "
                + AioSqlite.nativeFeatures().features() + " "
                + AioSqlite.nativeFeatures().unavailableReason().orElse("-"));
        try (AsyncConnection db = AioSqlite.connect(":memory:").get()) {
            try {
                db.setAuthorizer((a, b, c, d, e) -> Authorizer.SQLITE_OK).get();
                System.out.println("authorizer: installed");
            } catch (ExecutionException e) {
                System.out.println("authorizer: " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage()
                        + (e.getCause() instanceof java.sql.SQLFeatureNotSupportedException ? " (SQLFeatureNotSupportedException)" : ""));
            }
            try {
                db.setProfileCallback((sql, nanos) -> { }).get();
                System.out.println("profile: installed");
            } catch (ExecutionException e) {
                System.out.println("profile: " + e.getCause().getClass().getName()
                        + (e.getCause() instanceof java.sql.SQLFeatureNotSupportedException ? " (SQLFeatureNotSupportedException)" : ""));
            }
            db.setAuthorizer(null).get();
            for (String what : List.of("txnState", "getConfig", "dbStatus", "setWalHook")) {
                try {
                    (what.equals("txnState") ? db.txnState(null)
                            : what.equals("getConfig") ? db.getConfig(io.github.aiosqlite4j.DbConfig.SQLITE_DBCONFIG_ENABLE_FKEY)
                            : what.equals("dbStatus") ? db.dbStatus(0, false) : db.setWalHook((s, p) -> { })).get();
                    System.out.println(what + ": ok");
                } catch (ExecutionException e) {
                    System.out.println(what + ": " + (e.getCause() instanceof java.sql.SQLFeatureNotSupportedException
                            ? "SQLFeatureNotSupportedException" : e.getCause().toString()));
                }
            }
            db.execute("savepoint a").get();
            System.out.println("inTransaction: " + db.inTransaction());
            db.execute("release a").get();
            System.out.println("inTransaction: " + db.inTransaction());
            List<String> traced = new ArrayList<>();
            db.setTraceCallback(traced::add).get();
            db.executeScript("create table t (x); insert into t values (1), (2);").get();
            db.execute("insert into t values (?)", 3).get();
            db.commit().get();
            System.out.println("rows: " + db.executeFetchAll("select count(*) from t").get().get(0).get(0));
            System.out.println("trace: " + traced);
        }
    }
}
