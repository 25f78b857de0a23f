package io.github.aiosqlite4j.nativelib;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.SqliteError;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Run by {@link NativeBlobTest} in a child JVM, with and without the native library: blobOpen on
 * schemas aux (an attached database with a table of main's name), temp and an unknown one; prints
 * what each read, write and failure gave.
 */
public final class SchemaBlobMain {
    private SchemaBlobMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("native: " + AioSqlite.nativeFeatures().features().contains("blob"));
        try (AsyncConnection db = AioSqlite.connect(":memory:").get()) {
            db.executeScript("attach ':memory:' as aux;"
                    + "create table b (id integer primary key, data blob);"
                    + "insert into b values (1, x'01020304');"
                    + "create table aux.b (id integer primary key, data blob);"
                    + "insert into aux.b values (1, x'0a0b0c0d0e');"
                    + "create temp table t (id integer primary key, data blob);"
                    + "insert into t values (1, x'aabb');").get();
            db.commit().get();
            try (AsyncBlob aux = db.blobOpen("b", "data", 1, false, "aux").get()) {
                System.out.println("aux: " + aux.length() + " " + hex(aux.read(-1).get()));
                aux.seek(1);
                aux.write(new byte[] {(byte) 0xFF}).get();
                aux.seek(0);
                System.out.println("aux after write: " + hex(aux.read(-1).get()));
            }
            db.commit().get();
            try (AsyncBlob main = db.blobOpen("b", "data", 1, true).get()) {
                System.out.println("main: " + main.length() + " " + hex(main.read(-1).get()));
            }
            try (AsyncBlob temp = db.blobOpen("t", "data", 1, true, "temp").get()) {
                System.out.println("temp: " + hex(temp.read(-1).get()));
            }
            System.out.println("t in main: " + failure(db.blobOpen("t", "data", 1, true)));
            System.out.println("unknown schema: " + failure(db.blobOpen("b", "data", 1, true, "nope")));
            System.out.println("rows: " + db.executeFetchAll(
                    "select hex(data) from main.b union all select hex(data) from aux.b").get()
                    .stream().map(r -> r.get(0)).toList());
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    private static String failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get();
            return "opened";
        } catch (ExecutionException e) {
            return (e.getCause() instanceof SqliteError ? "SqliteError " : "not a SqliteError ")
                    + e.getCause().getMessage();
        }
    }
}
