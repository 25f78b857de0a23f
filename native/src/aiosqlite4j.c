/*
 * aiosqlite4j's native library: SQLite's C API on sqlite-jdbc's own connection.
 *
 * The library is loaded twice into the same process image: by the JVM (System.load, which runs
 * JNI_OnLoad) and, on every connection, by SQLite as a loadable extension (aiosqlite4j_init),
 * which hands it the host's API table (sqlite3_api_routines): sqlite-jdbc's hidden SQLite. Every
 * SQLite call below goes through that table, every Java call through JNIEnv: the library needs
 * no C library at all (it is linked with -nostdlib).
 *
 * Thread rule: a connection's calls come from its worker thread only (aiosqlite4j's thread
 * model), and the callbacks run on the thread that is inside SQLite, the same worker. A Java
 * exception never unwinds into SQLite: the Java side catches everything, and what still is
 * pending when a callback returns (an Error thrown while calling) is cleared here.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <jni.h>

#define JNI_FN(type, name) JNIEXPORT type JNICALL Java_io_github_aiosqlite4j_internal_nativelib_NativeApi_##name
#define HANDLE_FUNCTION "aiosqlite4j_handle"

static JavaVM *g_vm;
static jmethodID g_authorize; /* int authorize(int, String, String, String, String) */
static jmethodID g_traced;    /* void traced(String) */
static jmethodID g_profiled;  /* void profiled(String, long) */
static jmethodID g_statused;  /* void statused(String, long, int x 9): see STMT_STATUS */
static jmethodID g_wal;       /* void walCommitted(String, int) */

/*
 * One attached connection: the sqlite3*, the Java object (a global reference) its callbacks call,
 * and what is switched on.
 *
 * sqlite-jdbc, after every statement that ends in SQLITE_DONE in its auto-commit mode, steps two
 * statements of its own, "begin;" then "commit;" (DB.ensureAutoCommit), which Python never runs:
 * the trace skips them by pointer (jdbc_begin, jdbc_commit). The authorizer gets no statement
 * pointer: it skips a SQLITE_TRANSACTION action that comes while Java steps a statement (stepping)
 * after that statement started (started: its SQLITE_TRACE_STMT event) and was reset (not busy):
 * that is SQLite re-preparing sqlite-jdbc's two after an authorizer expired them. (The statement's
 * own re-prepare comes before it starts; a VACUUM's inner BEGIN while it is busy.)
 */
typedef struct Hooks {
    sqlite3 *db;
    jobject target;
    sqlite3_stmt *jdbc_begin;
    sqlite3_stmt *jdbc_commit;
    int authorizing;
    int tracing;
    int profiling;
    int statusing;
    int wal_hooked;
    int wal_autocheckpoint; /* what SQLite's own WAL hook did: checkpoint at this many pages */
    sqlite3_stmt *stepping;
    int started;
} Hooks;

#define P(ptr) ((jlong)(sqlite3_int64)(ptr))
#define DB(handle) ((sqlite3 *)(sqlite3_int64)(handle))

/* ------------------------------------------------------------------------------------------
 * Strings: SQLite's UTF-8 to Java's UTF-16 (standard UTF-8, not JNI's modified UTF-8, so
 * supplementary characters and NUL survive; a malformed sequence becomes U+FFFD).
 */

static jstring new_string(JNIEnv *env, const char *s, int n) {
    jchar stack[256];
    stack[0] = 0; /* (an empty string reads nothing: for the compiler) */
    jchar *buf = stack;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end;
    int len = 0;
    jstring result;
    if (s == 0) {
        return 0;
    }
    if (n < 0) {
        for (n = 0; s[n] != 0; n++) {
        }
    }
    end = p + n;
    if (n > (int)(sizeof stack / sizeof stack[0])) { /* UTF-16 units <= UTF-8 bytes */
        buf = (jchar *)sqlite3_malloc64((sqlite3_uint64)n * sizeof(jchar));
        if (buf == 0) {
            return 0;
        }
    }
    while (p < end) {
        unsigned int c = *p++;
        int extra;
        unsigned int min;
        if (c < 0x80) {
            buf[len++] = (jchar)c;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, c &= 0x07;
        } else {
            buf[len++] = 0xFFFD;
            continue;
        }
        if (end - p < extra) {
            buf[len++] = 0xFFFD;
            break;
        }
        {
            int i, ok = 1;
            for (i = 0; i < extra; i++) {
                if ((p[i] & 0xC0) != 0x80) {
                    ok = 0;
                    break;
                }
                c = (c << 6) | (p[i] & 0x3F);
            }
            if (!ok || c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
                buf[len++] = 0xFFFD;
                p += ok ? extra : i;
                continue;
            }
            p += extra;
        }
        if (c >= 0x10000) {
            c -= 0x10000;
            buf[len++] = (jchar)(0xD800 + (c >> 10));
            buf[len++] = (jchar)(0xDC00 + (c & 0x3FF));
        } else {
            buf[len++] = (jchar)c;
        }
    }
    result = (*env)->NewString(env, buf, len);
    if (buf != stack) {
        sqlite3_free(buf);
    }
    return result;
}

/* The JNIEnv of the calling thread: a callback runs on a Java thread that is inside a JNI call. */
static JNIEnv *current_env(void) {
    void *env = 0;
    if (g_vm == 0 || (*g_vm)->GetEnv(g_vm, &env, JNI_VERSION_1_8) != JNI_OK) {
        return 0;
    }
    return (JNIEnv *)env;
}

/* Clears an exception still pending after a call into Java; returns whether there was one. */
static int cleared(JNIEnv *env) {
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        return 1;
    }
    return 0;
}

static void delete_local(JNIEnv *env, jobject o) {
    if (o != 0) {
        (*env)->DeleteLocalRef(env, o);
    }
}

/* ------------------------------------------------------------------------------------------
 * Loading: JNI_OnLoad for the JVM, aiosqlite4j_init for SQLite.
 */

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    JNIEnv *env;
    jclass cls;
    (void)reserved;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    cls = (*env)->FindClass(env, "io/github/aiosqlite4j/internal/nativelib/NativeConnection");
    if (cls == 0) {
        return JNI_ERR;
    }
    g_authorize = (*env)->GetMethodID(env, cls, "authorize",
            "(ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I");
    g_traced = (*env)->GetMethodID(env, cls, "traced", "(Ljava/lang/String;)V");
    g_profiled = (*env)->GetMethodID(env, cls, "profiled", "(Ljava/lang/String;J)V");
    g_statused = (*env)->GetMethodID(env, cls, "statused", "(Ljava/lang/String;JIIIIIIIII)V");
    g_wal = (*env)->GetMethodID(env, cls, "walCommitted", "(Ljava/lang/String;I)V");
    delete_local(env, cls);
    if (g_authorize == 0 || g_traced == 0 || g_profiled == 0 || g_statused == 0 || g_wal == 0) {
        return JNI_ERR;
    }
    g_vm = vm;
    return JNI_VERSION_1_8;
}

/* SELECT aiosqlite4j_handle(): this connection's sqlite3*, read once by Java, then removed. */
static void handle_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    (void)argv;
    sqlite3_result_int64(ctx, (sqlite3_int64)sqlite3_context_db_handle(ctx));
}

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
int aiosqlite4j_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
    (void)pzErrMsg;
    SQLITE_EXTENSION_INIT2(pApi);
    return sqlite3_create_function_v2(db, HANDLE_FUNCTION, 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, 0,
            handle_function, 0, 0, 0);
}

#ifdef _WIN32
/* The DLL's entry point: there is no C runtime to start. */
int __stdcall aiosqlite4j_dll_main(void *module, unsigned long reason, void *reserved) {
    (void)module;
    (void)reason;
    (void)reserved;
    return 1;
}
#endif

/* ------------------------------------------------------------------------------------------
 * Attaching a connection.
 */

/* Removes the handle function again (called once Java has read the handle); returns the rc. */
JNI_FN(jint, dropHandleFunction)(JNIEnv *env, jclass cls, jlong db) {
    (void)env;
    (void)cls;
    return sqlite3_create_function_v2(DB(db), HANDLE_FUNCTION, 0, SQLITE_UTF8, 0, 0, 0, 0, 0);
}

/* Allocates the hooks of a connection; 0 if out of memory. */
JNI_FN(jlong, attach)(JNIEnv *env, jclass cls, jlong db, jobject target) {
    Hooks *h = (Hooks *)sqlite3_malloc((int)sizeof(Hooks));
    (void)cls;
    if (h == 0) {
        return 0;
    }
    h->db = DB(db);
    h->jdbc_begin = 0;
    h->jdbc_commit = 0;
    h->authorizing = 0;
    h->tracing = 0;
    h->profiling = 0;
    h->statusing = 0;
    h->wal_hooked = 0;
    h->wal_autocheckpoint = 0;
    h->stepping = 0;
    h->started = 0;
    h->target = (*env)->NewGlobalRef(env, target);
    if (h->target == 0) {
        sqlite3_free(h);
        return 0;
    }
    return P(h);
}

static int equal(const char *a, const char *b) {
    if (a == 0) {
        return 0;
    }
    while (*a != 0 && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/*
 * Finds sqlite-jdbc's "begin;" and "commit;" among the connection's statements: called once
 * sqlite-jdbc prepared them, while no other statement has that text. Returns how many it found.
 */
JNI_FN(jint, findJdbcStatements)(JNIEnv *env, jclass cls, jlong hooks) {
    Hooks *h = (Hooks *)(sqlite3_int64)hooks;
    sqlite3_stmt *p;
    (void)env;
    (void)cls;
    for (p = sqlite3_next_stmt(h->db, 0); p != 0; p = sqlite3_next_stmt(h->db, p)) {
        if (equal(sqlite3_sql(p), "begin;")) {
            h->jdbc_begin = p;
        } else if (equal(sqlite3_sql(p), "commit;")) {
            h->jdbc_commit = p;
        }
    }
    return (h->jdbc_begin != 0) + (h->jdbc_commit != 0);
}

/* Java steps the statement stmt (0: is done with it): see Hooks. */
JNI_FN(void, stepping)(JNIEnv *env, jclass cls, jlong hooks, jlong stmt) {
    Hooks *h = (Hooks *)(sqlite3_int64)hooks;
    (void)env;
    (void)cls;
    h->stepping = (sqlite3_stmt *)(sqlite3_int64)stmt;
    h->started = 0;
}

/* Removes the callbacks and frees the hooks: before the connection closes. */
JNI_FN(void, detach)(JNIEnv *env, jclass cls, jlong hooks) {
    Hooks *h = (Hooks *)(sqlite3_int64)hooks;
    (void)cls;
    sqlite3_set_authorizer(h->db, 0, 0);
    sqlite3_trace_v2(h->db, 0, 0, 0);
    if (h->wal_hooked) {
        sqlite3_wal_autocheckpoint(h->db, h->wal_autocheckpoint);
    }
    (*env)->DeleteGlobalRef(env, h->target);
    sqlite3_free(h);
}

/* ------------------------------------------------------------------------------------------
 * Authorizer.
 */

static int authorizer(void *arg, int action, const char *a1, const char *a2, const char *a3,
        const char *a4) {
    Hooks *h = (Hooks *)arg;
    JNIEnv *env = current_env();
    jstring s1, s2, s3, s4;
    jint rc;
    if (action == SQLITE_TRANSACTION && h->stepping != 0 && h->started
            && !sqlite3_stmt_busy(h->stepping)) {
        return SQLITE_OK; /* sqlite-jdbc's own "begin;"/"commit;", re-prepared: see Hooks */
    }
    if (env == 0) {
        return SQLITE_DENY;
    }
    s1 = new_string(env, a1, -1);
    s2 = new_string(env, a2, -1);
    s3 = new_string(env, a3, -1);
    s4 = new_string(env, a4, -1);
    if (cleared(env)) { /* out of memory making a string */
        rc = SQLITE_DENY;
    } else {
        rc = (*env)->CallIntMethod(env, h->target, g_authorize, (jint)action, s1, s2, s3, s4);
        if (cleared(env)) {
            rc = SQLITE_DENY;
        }
    }
    delete_local(env, s1);
    delete_local(env, s2);
    delete_local(env, s3);
    delete_local(env, s4);
    return (int)rc;
}

static int tracer(unsigned type, void *arg, void *p, void *x);

/* SQLITE_TRACE_STMT for the trace and for the authorizer (Hooks.started), PROFILE for the profile. */
static int apply_trace(Hooks *h) {
    unsigned mask = (h->tracing || h->authorizing ? SQLITE_TRACE_STMT : 0)
            | (h->profiling || h->statusing ? SQLITE_TRACE_PROFILE : 0);
    return sqlite3_trace_v2(h->db, mask, mask != 0 ? tracer : 0, mask != 0 ? h : 0);
}

JNI_FN(jint, setAuthorizer)(JNIEnv *env, jclass cls, jlong hooks, jboolean on) {
    Hooks *h = (Hooks *)(sqlite3_int64)hooks;
    int rc;
    (void)env;
    (void)cls;
    rc = sqlite3_set_authorizer(h->db, on ? authorizer : 0, on ? h : 0);
    if (rc == SQLITE_OK) {
        h->authorizing = on ? 1 : 0;
        rc = apply_trace(h);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * Trace (SQLITE_TRACE_STMT) and profile (SQLITE_TRACE_PROFILE).
 */

static int tracer(unsigned type, void *arg, void *p, void *x) {
    Hooks *h = (Hooks *)arg;
    sqlite3_stmt *stmt = (sqlite3_stmt *)p;
    JNIEnv *env;
    jstring s;
    if (stmt == h->jdbc_begin || stmt == h->jdbc_commit) {
        return 0; /* sqlite-jdbc's own: see Hooks */
    }
    if (type == SQLITE_TRACE_STMT) {
        if (stmt == h->stepping) {
            h->started = 1;
        }
        if (!h->tracing) {
            return 0;
        }
    } else if (!h->profiling && !h->statusing) {
        return 0;
    }
    env = current_env();
    if (env == 0) {
        return 0;
    }
    if (type == SQLITE_TRACE_STMT) {
        const char *text = (const char *)x;
        if (text != 0 && text[0] == '-' && text[1] == '-') {
            s = new_string(env, text, -1); /* a trigger starts: "-- TRIGGER name" */
        } else {
            char *expanded = sqlite3_expanded_sql(stmt);
            /* Too long to expand (SQLITE_LIMIT_LENGTH) or no memory: the text as written. */
            s = new_string(env, expanded != 0 ? expanded : text, -1);
            sqlite3_free(expanded);
        }
        if (!cleared(env)) {
            (*env)->CallVoidMethod(env, h->target, g_traced, s);
            cleared(env);
        }
    } else if (type == SQLITE_TRACE_PROFILE) {
        jlong nanos = (jlong) * (sqlite3_int64 *)x;
        s = new_string(env, sqlite3_sql(stmt), -1);
        if (!cleared(env)) {
            if (h->profiling) {
                (*env)->CallVoidMethod(env, h->target, g_profiled, s, nanos);
                cleared(env);
            }
            if (h->statusing) {
                /* This run's counters (reset as read); RUN and REPREPARE count since the
                 * statement was prepared; MEMUSED is its current size. */
                (*env)->CallVoidMethod(env, h->target, g_statused, s, nanos,
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1),
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_SORT, 1),
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_AUTOINDEX, 1),
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 1),
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_REPREPARE, 0),
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_RUN, 0),
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FILTER_MISS, 1),
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FILTER_HIT, 1),
                        (jint)sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_MEMUSED, 0));
                cleared(env);
            }
        }
    } else {
        return 0;
    }
    delete_local(env, s);
    return 0;
}

/*
 * mask: SQLITE_TRACE_STMT (the trace callback), SQLITE_TRACE_PROFILE (the profile callback),
 * STMT_STATUS (the statement status callback, on SQLITE_TRACE_PROFILE too), 0 for none.
 */
#define STMT_STATUS 0x100
JNI_FN(jint, setTrace)(JNIEnv *env, jclass cls, jlong hooks, jint mask) {
    Hooks *h = (Hooks *)(sqlite3_int64)hooks;
    (void)env;
    (void)cls;
    h->tracing = (mask & SQLITE_TRACE_STMT) != 0;
    h->profiling = (mask & SQLITE_TRACE_PROFILE) != 0;
    h->statusing = (mask & STMT_STATUS) != 0;
    return apply_trace(h);
}

/* ------------------------------------------------------------------------------------------
 * WAL hook. Installing one replaces SQLite's own (sqlite3_wal_autocheckpoint's), so this one
 * also does what that did: checkpoint once the WAL holds wal_autocheckpoint pages.
 */

static int wal_hook(void *arg, sqlite3 *db, const char *schema, int pages) {
    Hooks *h = (Hooks *)arg;
    JNIEnv *env = current_env();
    if (env != 0) {
        jstring s = new_string(env, schema, -1);
        if (!cleared(env)) {
            (*env)->CallVoidMethod(env, h->target, g_wal, s, (jint)pages);
            cleared(env);
        }
        delete_local(env, s);
    }
    if (h->wal_autocheckpoint > 0 && pages >= h->wal_autocheckpoint) {
        sqlite3_wal_checkpoint(db, schema);
    }
    return SQLITE_OK;
}

/*
 * on: installs the hook, which checkpoints at autocheckpoint pages (0: never); off: removes it and
 * gives SQLite back its own, with autocheckpoint pages.
 */
JNI_FN(void, setWalHook)(JNIEnv *env, jclass cls, jlong hooks, jboolean on, jint autocheckpoint) {
    Hooks *h = (Hooks *)(sqlite3_int64)hooks;
    (void)env;
    (void)cls;
    h->wal_autocheckpoint = (int)autocheckpoint;
    if (on) {
        sqlite3_wal_hook(h->db, wal_hook, h);
        h->wal_hooked = 1;
    } else {
        sqlite3_wal_autocheckpoint(h->db, (int)autocheckpoint);
        h->wal_hooked = 0;
    }
}

/* ------------------------------------------------------------------------------------------
 * Connection state and errors.
 */

JNI_FN(jstring, errmsg)(JNIEnv *env, jclass cls, jlong db) {
    (void)cls;
    return new_string(env, sqlite3_errmsg(DB(db)), -1);
}

JNI_FN(jint, extendedErrcode)(JNIEnv *env, jclass cls, jlong db) {
    (void)env;
    (void)cls;
    return sqlite3_extended_errcode(DB(db));
}

JNI_FN(jlong, lastInsertRowid)(JNIEnv *env, jclass cls, jlong db) {
    (void)env;
    (void)cls;
    return (jlong)sqlite3_last_insert_rowid(DB(db));
}

JNI_FN(jboolean, autocommit)(JNIEnv *env, jclass cls, jlong db) {
    (void)env;
    (void)cls;
    return (jboolean)(sqlite3_get_autocommit(DB(db)) != 0);
}

/* schema: NUL-terminated UTF-8, or null for the highest state of all schemas; -1: no such schema. */
JNI_FN(jint, txnState)(JNIEnv *env, jclass cls, jlong db, jbyteArray schema) {
    jbyte *s = schema != 0 ? (*env)->GetByteArrayElements(env, schema, 0) : 0;
    jint rc;
    (void)cls;
    if (schema != 0 && s == 0) {
        return -2; /* out of memory */
    }
    rc = sqlite3_txn_state(DB(db), (const char *)s);
    if (s != 0) {
        (*env)->ReleaseByteArrayElements(env, schema, s, JNI_ABORT);
    }
    return rc;
}

/*
 * sqlite3_db_config for the boolean options (op, int value (negative: only read), int *result):
 * returns the option's state after the call (0 or 1), or -1 - rc when SQLite refused.
 */
JNI_FN(jint, dbConfig)(JNIEnv *env, jclass cls, jlong db, jint op, jint value) {
    int out = 0;
    int rc;
    (void)env;
    (void)cls;
    rc = sqlite3_db_config(DB(db), (int)op, (int)value, &out);
    return rc == SQLITE_OK ? out : -1 - rc;
}

/* sqlite3_db_status64: fills out[0] current, out[1] highwater; returns the rc. */
JNI_FN(jint, dbStatus)(JNIEnv *env, jclass cls, jlong db, jint op, jboolean reset, jlongArray out) {
    sqlite3_int64 cur = 0, hi = 0;
    jlong values[2];
    int rc;
    (void)cls;
    rc = sqlite3_db_status64(DB(db), (int)op, &cur, &hi, reset ? 1 : 0);
    values[0] = (jlong)cur;
    values[1] = (jlong)hi;
    (*env)->SetLongArrayRegion(env, out, 0, 2, values);
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * Blob I/O.
 */

/* Opens a blob: out[0] gets the sqlite3_blob*; returns the rc. Names are NUL-terminated UTF-8. */
JNI_FN(jint, blobOpen)(JNIEnv *env, jclass cls, jlong db, jbyteArray schema, jbyteArray table,
        jbyteArray column, jlong rowid, jboolean writable, jlongArray out) {
    jbyte *s = (*env)->GetByteArrayElements(env, schema, 0);
    jbyte *t = (*env)->GetByteArrayElements(env, table, 0);
    jbyte *c = (*env)->GetByteArrayElements(env, column, 0);
    sqlite3_blob *blob = 0;
    jlong handle;
    int rc = SQLITE_NOMEM;
    (void)cls;
    if (s != 0 && t != 0 && c != 0) {
        rc = sqlite3_blob_open(DB(db), (const char *)s, (const char *)t, (const char *)c,
                (sqlite3_int64)rowid, writable ? 1 : 0, &blob);
    }
    if (s != 0) {
        (*env)->ReleaseByteArrayElements(env, schema, s, JNI_ABORT);
    }
    if (t != 0) {
        (*env)->ReleaseByteArrayElements(env, table, t, JNI_ABORT);
    }
    if (c != 0) {
        (*env)->ReleaseByteArrayElements(env, column, c, JNI_ABORT);
    }
    handle = P(blob);
    (*env)->SetLongArrayRegion(env, out, 0, 1, &handle);
    return rc;
}

JNI_FN(jint, blobBytes)(JNIEnv *env, jclass cls, jlong blob) {
    (void)env;
    (void)cls;
    return sqlite3_blob_bytes((sqlite3_blob *)(sqlite3_int64)blob);
}

/*
 * Reads n bytes at offset into buf[at..], through a buffer of SQLite's (no JNI critical region
 * around disk I/O): the caller checked the bounds and keeps n to a chunk. Returns the rc.
 */
JNI_FN(jint, blobRead)(JNIEnv *env, jclass cls, jlong blob, jbyteArray buf, jint at, jint n,
        jint offset) {
    void *b = sqlite3_malloc64(n > 0 ? (sqlite3_uint64)n : 1);
    int rc;
    (void)cls;
    if (b == 0) {
        return SQLITE_NOMEM;
    }
    rc = sqlite3_blob_read((sqlite3_blob *)(sqlite3_int64)blob, b, n, offset);
    if (rc == SQLITE_OK) {
        (*env)->SetByteArrayRegion(env, buf, at, n, (const jbyte *)b);
    }
    sqlite3_free(b);
    return rc;
}

/* Writes buf[at..at+n) at offset, as blobRead does. Returns the rc. */
JNI_FN(jint, blobWrite)(JNIEnv *env, jclass cls, jlong blob, jbyteArray buf, jint at, jint n,
        jint offset) {
    void *b = sqlite3_malloc64(n > 0 ? (sqlite3_uint64)n : 1);
    int rc;
    (void)cls;
    if (b == 0) {
        return SQLITE_NOMEM;
    }
    (*env)->GetByteArrayRegion(env, buf, at, n, (jbyte *)b);
    rc = sqlite3_blob_write((sqlite3_blob *)(sqlite3_int64)blob, b, n, offset);
    sqlite3_free(b);
    return rc;
}

JNI_FN(jint, blobClose)(JNIEnv *env, jclass cls, jlong blob) {
    (void)env;
    (void)cls;
    return sqlite3_blob_close((sqlite3_blob *)(sqlite3_int64)blob);
}

/* ------------------------------------------------------------------------------------------
 * Online backup.
 */

/* 0 on failure (the error is in dest's errmsg). */
JNI_FN(jlong, backupInit)(JNIEnv *env, jclass cls, jlong dest, jbyteArray destName, jlong src,
        jbyteArray srcName) {
    jbyte *d = (*env)->GetByteArrayElements(env, destName, 0);
    jbyte *s = (*env)->GetByteArrayElements(env, srcName, 0);
    sqlite3_backup *b = 0;
    (void)cls;
    if (d != 0 && s != 0) {
        b = sqlite3_backup_init(DB(dest), (const char *)d, DB(src), (const char *)s);
    }
    if (d != 0) {
        (*env)->ReleaseByteArrayElements(env, destName, d, JNI_ABORT);
    }
    if (s != 0) {
        (*env)->ReleaseByteArrayElements(env, srcName, s, JNI_ABORT);
    }
    return P(b);
}

JNI_FN(jint, backupStep)(JNIEnv *env, jclass cls, jlong backup, jint pages) {
    (void)env;
    (void)cls;
    return sqlite3_backup_step((sqlite3_backup *)(sqlite3_int64)backup, pages);
}

JNI_FN(jint, backupRemaining)(JNIEnv *env, jclass cls, jlong backup) {
    (void)env;
    (void)cls;
    return sqlite3_backup_remaining((sqlite3_backup *)(sqlite3_int64)backup);
}

JNI_FN(jint, backupPagecount)(JNIEnv *env, jclass cls, jlong backup) {
    (void)env;
    (void)cls;
    return sqlite3_backup_pagecount((sqlite3_backup *)(sqlite3_int64)backup);
}

JNI_FN(jint, backupFinish)(JNIEnv *env, jclass cls, jlong backup) {
    (void)env;
    (void)cls;
    return sqlite3_backup_finish((sqlite3_backup *)(sqlite3_int64)backup);
}

/* ------------------------------------------------------------------------------------------
 * Statement status of a statement sqlite-jdbc prepared (its sqlite3_stmt*).
 */

JNI_FN(jint, stmtStatus)(JNIEnv *env, jclass cls, jlong stmt, jint op) {
    (void)env;
    (void)cls;
    return sqlite3_stmt_status((sqlite3_stmt *)(sqlite3_int64)stmt, op, 0);
}

/* ------------------------------------------------------------------------------------------
 * Reading rows in batches: the rows of a statement sqlite-jdbc ran, many per JNI call (RowReader).
 */

#define ROWS_MORE 0       /* read max rows; the last one read is the current row */
#define ROWS_POSITIONED 1 /* the current row is not read: it does not fit in heap (extra: its bytes) */
#define ROWS_DONE 2       /* the statement returned its last row (SQLITE_DONE) */
#define ROWS_ERROR 3      /* sqlite3_step or a value failed (extra: the rc) */
#define ROWS_THROWN 4     /* a Java callback inside sqlite3_step threw: the exception is in thrown[0] */

/* Whether a call into Java during sqlite3_step left an exception: if so it moves to thrown[0]. */
static int took_exception(JNIEnv *env, jobjectArray thrown) {
    jthrowable e;
    if (!(*env)->ExceptionCheck(env)) {
        return 0;
    }
    e = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    (*env)->SetObjectArrayElement(env, thrown, 0, e);
    delete_local(env, e);
    return 1;
}

/*
 * Reads up to max rows of stmt, stepping between them: the current row first if positioned (it
 * is stepped to and not read yet), else it steps first. Cell k = row * columns + column gets
 * types[k] (SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB, _NULL) and nums[k]: the integer, the double's
 * bits, or the byte length of a TEXT (UTF-8, sqlite3_column_text) or BLOB value, whose bytes
 * follow the previous ones in heap. A row is read whole or not at all. Returns rows | state << 32
 * | extra << 36, state one of ROWS_*. Runs inside sqlite-jdbc's lock of the statement.
 */
JNI_FN(jlong, readRows)(JNIEnv *env, jclass cls, jlong stmt, jboolean positioned, jint max,
        jbyteArray types, jlongArray nums, jbyteArray heap, jobjectArray thrown) {
    sqlite3_stmt *s = (sqlite3_stmt *)(sqlite3_int64)stmt;
    int cols = sqlite3_column_count(s);
    sqlite3_int64 cap = (sqlite3_int64)(*env)->GetArrayLength(env, heap);
    int limit = (int)max;
    int rows = 0, state = ROWS_MORE, c, rc = SQLITE_ROW;
    sqlite3_int64 used = 0, extra = 0;
    jbyte *t;
    jlong *n;
    (void)cls;
    if (cols > 0 && limit > (*env)->GetArrayLength(env, nums) / cols) {
        limit = (*env)->GetArrayLength(env, nums) / cols;
    }
    if (cols <= 0 || limit <= 0) { /* no columns, or no room for one row: the caller's mistake */
        return (jlong)ROWS_ERROR << 32 | (jlong)SQLITE_MISUSE << 36;
    }
    /* One block: the cells' values, then their types. */
    n = (jlong *)sqlite3_malloc64((sqlite3_uint64)limit * (sqlite3_uint64)cols * (sizeof(jlong) + 1));
    if (n == 0) {
        return (jlong)ROWS_ERROR << 32 | (jlong)SQLITE_NOMEM << 36;
    }
    t = (jbyte *)(n + limit * cols);
    if (!positioned) {
        rc = sqlite3_step(s);
    }
    for (;;) {
        jbyte *rt = t + rows * cols;
        jlong *rn = n + rows * cols;
        sqlite3_int64 need = 0;
        if (took_exception(env, thrown)) {
            state = ROWS_THROWN;
            break;
        }
        if (rc != SQLITE_ROW) {
            state = rc == SQLITE_DONE ? ROWS_DONE : ROWS_ERROR;
            extra = rc;
            break;
        }
        /* The types first (sqlite3_column_type is undefined once a value was converted). */
        for (c = 0; c < cols; c++) {
            rt[c] = (jbyte)sqlite3_column_type(s, c);
            if (rt[c] == SQLITE_TEXT) {
                if (sqlite3_column_text(s, c) == 0) { /* out of memory converting */
                    rc = SQLITE_NOMEM;
                    break;
                }
                need += sqlite3_column_bytes(s, c);
            } else if (rt[c] == SQLITE_BLOB) {
                need += sqlite3_column_bytes(s, c);
            }
        }
        if (rc != SQLITE_ROW) {
            continue;
        }
        if (used + need > cap) {
            state = ROWS_POSITIONED;
            extra = need < 0x7FFFFFF ? need : 0x7FFFFFF; /* 27 bits: enough to size a heap */
            break;
        }
        for (c = 0; c < cols; c++) {
            const void *bytes = 0;
            int len;
            switch (rt[c]) {
            case SQLITE_INTEGER:
                rn[c] = (jlong)sqlite3_column_int64(s, c);
                break;
            case SQLITE_FLOAT: {
                union {
                    double d;
                    jlong bits;
                } u;
                u.d = sqlite3_column_double(s, c);
                rn[c] = u.bits;
                break;
            }
            case SQLITE_TEXT:
                bytes = sqlite3_column_text(s, c);
                break;
            case SQLITE_BLOB:
                bytes = sqlite3_column_blob(s, c);
                break;
            default:
                rn[c] = 0;
                break;
            }
            if (rt[c] == SQLITE_TEXT || rt[c] == SQLITE_BLOB) {
                len = sqlite3_column_bytes(s, c);
                rn[c] = len;
                if (len > 0) {
                    (*env)->SetByteArrayRegion(env, heap, (jsize)used, len, (const jbyte *)bytes);
                    used += len;
                }
            }
        }
        rows++;
        if (rows == limit) {
            break;
        }
        rc = sqlite3_step(s);
    }
    (*env)->SetByteArrayRegion(env, types, 0, rows * cols, t);
    (*env)->SetLongArrayRegion(env, nums, 0, rows * cols, n);
    sqlite3_free(n);
    return (jlong)rows | (jlong)state << 32 | (jlong)extra << 36;
}
