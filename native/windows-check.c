/*
 * windows-check.sh's program: loads aiosqlite4j's Windows library (argv[1]) into SQLite 3.54.1,
 * compiled in, as sqlite-jdbc's SQLite loads it on each connection (NativeConnection.attach):
 * load_extension switched on for the one `select load_extension(?, 'aiosqlite4j_init')`, off
 * after, then `select aiosqlite4j_handle()` and NativeApi.dropHandleFunction. Then it calls the
 * JNI entry points that take numbers and pointers only and never touch their JNIEnv, with a null
 * JNIEnv (no JVM is faked; an entry point that starts using its JNIEnv does not belong here).
 * Prints one line per check; exits 1 if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "sqlite3.h"

#define ENTRY_POINT "aiosqlite4j_init"
#define JNI_PREFIX "Java_io_github_aiosqlite4j_internal_nativelib_NativeApi_"

/* JNI types on Windows x64: jint is 32 bits, jlong 64 (long is 32 there), jboolean 8. */
typedef int (*IntOfLong)(void *env, void *cls, long long p);
typedef long long (*LongOfLong)(void *env, void *cls, long long p);
typedef unsigned char (*BoolOfLong)(void *env, void *cls, long long p);
typedef int (*IntOfLongInt)(void *env, void *cls, long long p, int i);
typedef int (*IntOfLongIntInt)(void *env, void *cls, long long p, int i, int j);
typedef int (*IntOfLongPtr)(void *env, void *cls, long long p, void *array);

typedef void (*Function)(void); /* what GetProcAddress returns, cast to each type above */

static int failures;
static HMODULE lib;

static int check(int ok, const char *what, sqlite3_int64 got) {
    char line[300];
    sqlite3_snprintf((int)sizeof line, line, "%s %s (got %lld)", ok ? "ok    " : "FAILED", what, got);
    puts(line);
    if (!ok) {
        failures++;
    }
    return ok;
}

/* A check the rest depends on: exits if it failed. */
static void require(int ok, const char *what, sqlite3_int64 got) {
    if (!check(ok, what, got)) {
        exit(1);
    }
}

/* A crash (in the library, or while Windows loads it) fails the check with its exception code. */
static LONG WINAPI crashed(EXCEPTION_POINTERS *e) {
    printf("FAILED crashed: exception 0x%08lx at %p\n", e->ExceptionRecord->ExceptionCode,
            e->ExceptionRecord->ExceptionAddress);
    ExitProcess(3);
    return EXCEPTION_EXECUTE_HANDLER;
}

/* The library's JNI entry point NativeApi.name; exits if it has none. */
static Function jni(const char *name) {
    char full[200];
    FARPROC f;
    sqlite3_snprintf((int)sizeof full, full, "%s%s", JNI_PREFIX, name);
    f = GetProcAddress(lib, full);
    if (f == 0) {
        printf("FAILED the library exports no %s\n", full);
        exit(1);
    }
    return (Function)f;
}

/* Runs sql; returns its rc (the first row's rc: SQLITE_ROW), its first column in *value. */
static int run(sqlite3 *db, const char *sql, sqlite3_int64 *value) {
    sqlite3_stmt *stmt = 0;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW && value != 0) {
            *value = sqlite3_column_int64(stmt, 0);
        }
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* Runs sql, which must fail with message; returns whether it did. */
static int refused(sqlite3 *db, const char *sql, const char *message) {
    int rc = run(db, sql, 0);
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE || strcmp(sqlite3_errmsg(db), message) != 0) {
        printf("       %s: rc %d, \"%s\" (expected \"%s\")\n", sql, rc, sqlite3_errmsg(db), message);
        return 0;
    }
    return 1;
}

/* `select load_extension(path, entry)`; returns the rc (SQLITE_ROW: loaded). */
static int load_extension(sqlite3 *db, const char *path, const char *entry_point) {
    sqlite3_stmt *stmt = 0;
    int rc = sqlite3_prepare_v2(db, "select load_extension(?, ?)", -1, &stmt, 0);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, entry_point, -1, SQLITE_STATIC);
        rc = sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* NativeConnection.attach's steps on db; returns the handle aiosqlite4j_handle() gave (0: none). */
static sqlite3_int64 attach(sqlite3 *db, const char *path) {
    sqlite3_int64 handle = 0;
    int rc, on = -1;
    sqlite3_enable_load_extension(db, 1);
    rc = load_extension(db, path, ENTRY_POINT);
    if (rc != SQLITE_ROW) {
        printf("       load_extension: rc %d, %s\n", rc, sqlite3_errmsg(db));
    }
    sqlite3_enable_load_extension(db, 0);
    require(rc == SQLITE_ROW, "load_extension(dll, '" ENTRY_POINT "'): the extension loads, its init succeeds", rc);
    if (lib == 0) {
        lib = GetModuleHandleA("aiosqlite4j.dll"); /* the module SQLite loaded */
        require(lib != 0, "the loaded module is aiosqlite4j.dll", lib != 0);
    }
    rc = run(db, "select aiosqlite4j_handle()", &handle);
    require(rc == SQLITE_ROW && handle == (sqlite3_int64)db, "aiosqlite4j_handle() is this connection's sqlite3*", handle);
    /* SQLITE_DIRECTONLY: no view or trigger can read the pointer. */
    check(run(db, "create view v as select aiosqlite4j_handle()", 0) == SQLITE_DONE
                    && refused(db, "select * from v", "unsafe use of aiosqlite4j_handle()")
                    && run(db, "drop view v", 0) == SQLITE_DONE,
            "aiosqlite4j_handle() is refused in a view (SQLITE_DIRECTONLY)", 0);
    rc = ((IntOfLong)jni("dropHandleFunction"))(0, 0, handle);
    check(rc == SQLITE_OK, "NativeApi.dropHandleFunction returns SQLITE_OK", rc);
    check(refused(db, "select aiosqlite4j_handle()", "no such function: aiosqlite4j_handle"),
            "aiosqlite4j_handle() is gone after dropHandleFunction", 0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, -1, &on);
    check(on == 0, "load_extension is switched off again", on);
    check(load_extension(db, path, ENTRY_POINT) == SQLITE_ERROR && strcmp(sqlite3_errmsg(db), "not authorized") == 0,
            "select load_extension(dll, ...) is refused (not authorized)", 0);
    return handle;
}

int main(int argc, char **argv) {
    sqlite3 *db = 0, *db2 = 0;
    sqlite3_stmt *stmt = 0;
    sqlite3_blob *blob = 0;
    sqlite3_backup *backup = 0;
    sqlite3_int64 h, h2, rows = 0, value = 0;
    int rc;
    if (argc != 2) {
        fprintf(stderr, "usage: windows-check PATH-OF-aiosqlite4j.dll\n");
        return 2;
    }
    setvbuf(stdout, 0, _IONBF, 0); /* all lines out before a crash */
    SetUnhandledExceptionFilter(crashed);
    printf("SQLite %s, %s\n", sqlite3_libversion(), argv[1]);
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_open(":memory:", &db2) != SQLITE_OK) {
        printf("FAILED sqlite3_open\n");
        return 1;
    }
    check(load_extension(db, argv[1], ENTRY_POINT) == SQLITE_ERROR && strcmp(sqlite3_errmsg(db), "not authorized") == 0,
            "before: select load_extension(dll, ...) is refused (not authorized)", 0);

    h = attach(db, argv[1]);
    h2 = attach(db2, argv[1]); /* loaded on every connection, as Java does */
    check(h != h2, "a second connection gets its own handle", h2);

    /* The JNI entry points that need no JNIEnv, on the connection the extension returned. */
    check(run(db, "create table t (k integer primary key, u unique, data blob)", 0) == SQLITE_DONE
                    && run(db, "insert into t values (1099511627776, 1, x'0102030405')", 0) == SQLITE_DONE,
            "setup", 0);
    value = ((LongOfLong)jni("lastInsertRowid"))(0, 0, h);
    check(value == 1099511627776LL, "NativeApi.lastInsertRowid is 2^40 (a 64-bit jlong)", value);
    rc = run(db, "insert into t values (2, 1, null)", 0);
    value = ((IntOfLong)jni("extendedErrcode"))(0, 0, h);
    check(rc == SQLITE_CONSTRAINT && value == SQLITE_CONSTRAINT_UNIQUE, "NativeApi.extendedErrcode is SQLITE_CONSTRAINT_UNIQUE", value);
    value = ((BoolOfLong)jni("autocommit"))(0, 0, h);
    check(value == 1, "NativeApi.autocommit outside a transaction", value);
    value = ((IntOfLongPtr)jni("txnState"))(0, 0, h, 0);
    check(value == SQLITE_TXN_NONE, "NativeApi.txnState(null) is SQLITE_TXN_NONE", value);
    run(db, "begin", 0);
    run(db, "update t set u = 2", 0);
    value = ((BoolOfLong)jni("autocommit"))(0, 0, h);
    check(value == 0, "NativeApi.autocommit in a transaction", value);
    value = ((IntOfLongPtr)jni("txnState"))(0, 0, h, 0);
    check(value == SQLITE_TXN_WRITE, "NativeApi.txnState(null) is SQLITE_TXN_WRITE after an update", value);
    run(db, "commit", 0);
    value = ((IntOfLongIntInt)jni("dbConfig"))(0, 0, h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, -1);
    check(value == 0, "NativeApi.dbConfig reads ENABLE_LOAD_EXTENSION off", value);
    value = ((IntOfLongIntInt)jni("dbConfig"))(0, 0, h, SQLITE_DBCONFIG_DEFENSIVE, 1);
    rc = -1;
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &rc);
    check(value == 1 && rc == 1, "NativeApi.dbConfig switches DEFENSIVE on", value);

    rc = sqlite3_blob_open(db, "main", "t", "data", 1099511627776LL, 0, &blob);
    value = ((IntOfLong)jni("blobBytes"))(0, 0, (sqlite3_int64)blob);
    check(rc == SQLITE_OK && value == 5, "NativeApi.blobBytes", value);
    value = ((IntOfLong)jni("blobClose"))(0, 0, (sqlite3_int64)blob);
    check(value == SQLITE_OK, "NativeApi.blobClose", value);

    backup = sqlite3_backup_init(db2, "main", db, "main");
    value = ((IntOfLongInt)jni("backupStep"))(0, 0, (sqlite3_int64)backup, -1);
    check(backup != 0 && value == SQLITE_DONE, "NativeApi.backupStep(-1) is SQLITE_DONE", value);
    value = ((IntOfLong)jni("backupRemaining"))(0, 0, (sqlite3_int64)backup);
    check(value == 0, "NativeApi.backupRemaining", value);
    value = ((IntOfLong)jni("backupPagecount"))(0, 0, (sqlite3_int64)backup);
    check(value >= 2, "NativeApi.backupPagecount", value);
    value = ((IntOfLong)jni("backupFinish"))(0, 0, (sqlite3_int64)backup);
    check(value == SQLITE_OK && run(db2, "select count(*) from t", &rows) == SQLITE_ROW && rows == 1,
            "NativeApi.backupFinish, the copy has the row", value);

    rc = sqlite3_prepare_v2(db, "select * from t", -1, &stmt, 0);
    while (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    }
    value = ((IntOfLongInt)jni("stmtStatus"))(0, 0, (sqlite3_int64)stmt, SQLITE_STMTSTATUS_RUN);
    check(value == 1, "NativeApi.stmtStatus(SQLITE_STMTSTATUS_RUN)", value);
    sqlite3_finalize(stmt);

    rc = sqlite3_close(db);
    check(rc == SQLITE_OK, "sqlite3_close", rc);
    rc = sqlite3_close(db2);
    check(rc == SQLITE_OK, "sqlite3_close (the second connection)", rc);
    if (failures != 0) {
        printf("%d check(s) FAILED\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
