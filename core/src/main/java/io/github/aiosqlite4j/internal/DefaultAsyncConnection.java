package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.AggregateFunction;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.AsyncCursor;
import io.github.aiosqlite4j.Autocommit;
import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.BackupOptions;
import io.github.aiosqlite4j.DbConfig;
import io.github.aiosqlite4j.DbStatus;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.ProgressHandler;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.RowMapper;
import io.github.aiosqlite4j.ScalarFunction;
import io.github.aiosqlite4j.SqlFunction;
import io.github.aiosqlite4j.SqliteConfig;
import io.github.aiosqlite4j.SqliteLimit;
import io.github.aiosqlite4j.SqliteSession;
import io.github.aiosqlite4j.StatementStatus;
import io.github.aiosqlite4j.TxnState;
import io.github.aiosqlite4j.TypedCursor;
import io.github.aiosqlite4j.WalHook;
import io.github.aiosqlite4j.WindowFunction;
import io.github.aiosqlite4j.internal.engine.Dumper;
import io.github.aiosqlite4j.internal.engine.Engine;
import io.github.aiosqlite4j.internal.engine.Errors;
import io.github.aiosqlite4j.internal.engine.Results;
import io.github.aiosqlite4j.internal.live.LiveHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The connection users hold: thin wrappers that queue work on the {@link ConnectionWorker}. */
final class DefaultAsyncConnection implements AsyncConnection {
    private final ConnectionWorker worker;
    /** The live queries; created by the first watch. */
    private LiveHub liveHub;

    DefaultAsyncConnection(ConnectionWorker worker) {
        this.worker = worker;
    }

    ConnectionWorker worker() {
        return worker;
    }

    private static final Object[] NO_PARAMS = new Object[0];

    private static Object[] params(Object[] params) {
        return params == null || params.length == 0 ? NO_PARAMS : params.clone();
    }

    @Override
    public CompletableFuture<AsyncCursor> execute(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Object[] p = params(params);
        RowCursor cursor = new RowCursor(this, worker);
        return worker.submit(engine -> {
            cursor.runOnWorker(engine, sql, p, null);
            return cursor;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> execute(String sql, Map<String, ?> params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(params, "params must not be null");
        RowCursor cursor = new RowCursor(this, worker);
        return worker.submit(engine -> {
            cursor.runOnWorker(engine, sql, null, params);
            return cursor;
        });
    }

    @Override
    public <T> CompletableFuture<TypedCursor<T>> executeMapped(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        Object[] p = params(params);
        DefaultCursor<T> cursor = new DefaultCursor<>(this, worker, mapper);
        return worker.submit(engine -> {
            cursor.runOnWorker(engine, sql, p, null);
            return cursor;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> executeMany(String sql, Iterable<? extends List<?>> paramsSeq) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(paramsSeq, "paramsSeq must not be null");
        RowCursor cursor = new RowCursor(this, worker);
        return worker.submit(engine -> {
            cursor.runManyOnWorker(engine, sql, paramsSeq);
            return cursor;
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> executeScript(String script) {
        Objects.requireNonNull(script, "script must not be null");
        RowCursor cursor = new RowCursor(this, worker);
        return worker.submit(engine -> {
            cursor.runScriptOnWorker(engine, script);
            return cursor;
        });
    }

    @Override
    public CompletableFuture<List<Row>> executeFetchAll(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Object[] p = params(params);
        return worker.submitRead(engine -> engine.fetch(engine.execute(sql, p, null), -1), sql);
    }

    @Override
    public <T> CompletableFuture<List<T>> executeFetchAll(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        Object[] p = params(params);
        return worker.submitRead(engine -> engine.fetchMapped(engine.execute(sql, p, null), mapper), sql);
    }

    @Override
    public CompletableFuture<Long> executeInsert(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Object[] p = params(params);
        return worker.submit(engine -> {
            Results r = engine.execute(sql, p, null);
            engine.fetch(r, -1);
            return engine.refreshLastInsertRowId();
        });
    }

    @Override
    public CompletableFuture<AsyncCursor> cursor() {
        // Nothing to do on the worker: a cursor holds no statement until it executes one.
        if (worker.isCloseRequested()) {
            return CompletableFuture.failedFuture(Errors.closed(worker.config().database()));
        }
        return CompletableFuture.completedFuture(new RowCursor(this, worker));
    }

    @Override
    public CompletableFuture<Void> commit() {
        return worker.submit(engine -> {
            engine.transactions().commit();
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> rollback() {
        return worker.submit(engine -> {
            engine.transactions().rollback();
            return null;
        });
    }

    @Override
    public boolean inTransaction() {
        return worker.engine().transactions().inTransaction();
    }

    @Override
    public IsolationLevel isolationLevel() {
        return worker.engine().transactions().level();
    }

    @Override
    public CompletableFuture<Void> setIsolationLevel(IsolationLevel level) {
        Objects.requireNonNull(level, "level must not be null");
        return worker.submit(engine -> {
            engine.transactions().setLevel(level);
            return null;
        });
    }

    @Override
    public Autocommit autocommit() {
        return worker.engine().transactions().autocommit();
    }

    @Override
    public CompletableFuture<Void> setAutocommit(Autocommit mode) {
        Objects.requireNonNull(mode, "mode must not be null");
        return worker.submit(engine -> {
            engine.transactions().setAutocommit(mode);
            return null;
        });
    }

    @Override
    public CompletableFuture<Long> totalChanges() {
        return worker.submit(Engine::totalChanges);
    }

    @Override
    public CompletableFuture<Void> createFunction(String name, int nArgs, ScalarFunction fn, boolean deterministic) {
        Objects.requireNonNull(name, "name must not be null");
        checkArity(nArgs);
        return worker.submit(engine -> {
            engine.functions().createFunction(name, nArgs, fn, deterministic);
            return null;
        });
    }

    private static void checkArity(int nArgs) {
        if (nArgs < -1 || nArgs > 127) {
            throw new IllegalArgumentException("nArgs must be -1 (any) or 0..127, was " + nArgs);
        }
    }

    @Override
    public CompletableFuture<Void> createAggregate(String name, int nArgs,
            Supplier<? extends AggregateFunction> factory) {
        Objects.requireNonNull(name, "name must not be null");
        checkArity(nArgs);
        return worker.submit(engine -> {
            engine.functions().createAggregate(name, nArgs, factory);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> createWindowFunction(String name, int nArgs,
            Supplier<? extends WindowFunction> factory) {
        Objects.requireNonNull(name, "name must not be null");
        checkArity(nArgs);
        return worker.submit(engine -> {
            engine.functions().createWindowFunction(name, nArgs, factory);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> createCollation(String name, Comparator<String> collation) {
        Objects.requireNonNull(name, "name must not be null");
        return worker.submit(engine -> {
            engine.functions().createCollation(name, collation);
            return null;
        });
    }

    @Override
    public <T> CompletableFuture<T> transaction(SqlFunction<SqliteSession, T> body) {
        Objects.requireNonNull(body, "body must not be null");
        return worker.submit(engine -> new DefaultSession(engine).transaction(null, body));
    }

    @Override
    public <T> CompletableFuture<T> transaction(IsolationLevel level, SqlFunction<SqliteSession, T> body) {
        Objects.requireNonNull(level, "level must not be null");
        Objects.requireNonNull(body, "body must not be null");
        if (level == IsolationLevel.AUTOCOMMIT) {
            throw new IllegalArgumentException("a transaction needs DEFERRED, IMMEDIATE or"
                    + " EXCLUSIVE; AUTOCOMMIT begins nothing (use run() for work without one)");
        }
        return worker.submit(engine -> new DefaultSession(engine).transaction(level, body));
    }

    @Override
    public <T> CompletableFuture<T> run(SqlFunction<SqliteSession, T> body) {
        Objects.requireNonNull(body, "body must not be null");
        return worker.submit(engine -> engine.runBody(body, new DefaultSession(engine)));
    }

    @Override
    public <T> CompletableFuture<T> withJdbc(SqlFunction<java.sql.Connection, T> body) {
        Objects.requireNonNull(body, "body must not be null");
        return worker.submit(engine -> engine.withJdbc(body));
    }

    @Override
    public CompletableFuture<Integer> getLimit(SqliteLimit limit) {
        Objects.requireNonNull(limit, "limit must not be null");
        return worker.submit(engine -> engine.limit(limit, -1));
    }

    @Override
    public CompletableFuture<Integer> setLimit(SqliteLimit limit, int value) {
        Objects.requireNonNull(limit, "limit must not be null");
        if (value < 0) {
            throw new IllegalArgumentException("a limit must not be negative, was " + value
                    + " for " + limit);
        }
        return worker.submit(engine -> engine.limit(limit, value));
    }

    @Override
    public CompletableFuture<byte[]> serialize(String schema) {
        Objects.requireNonNull(schema, "schema must not be null");
        return worker.submit(engine -> engine.serialize(schema));
    }

    @Override
    public CompletableFuture<Void> deserialize(String schema, byte[] image) {
        Objects.requireNonNull(schema, "schema must not be null");
        Objects.requireNonNull(image, "image must not be null");
        byte[] copy = image.clone();
        return worker.submit(engine -> {
            engine.deserialize(schema, copy);
            return null;
        });
    }

    @Override
    public CompletableFuture<AsyncBlob> blobOpen(String table, String column, long rowId, boolean readOnly,
            String schema) {
        String t = quoted(table, "table");
        String c = quoted(column, "column");
        String q = quoted(schema, "schema") + "." + t;
        Task.Work<AsyncBlob> nativeOpen = NativeBlob.open(this, schema, table, column, rowId, readOnly);
        return worker.submit(engine -> {
            if (engine.nativeConnection() != null) {
                return nativeOpen.run(engine);
            }
            List<Row> rows = engine.fetch(engine.execute("select typeof(" + c + "), length(" + c
                    + ") from " + q + " where rowid = ?", new Object[] {rowId}, null), -1);
            if (rows.isEmpty()) {
                throw Errors.misuse("blobOpen: no row with rowid " + rowId + " in " + q, q);
            }
            if (!"blob".equals(rows.get(0).getString(0))) {
                throw Errors.badParameter("blobOpen: " + q + "." + c + " of rowid " + rowId
                        + " holds " + rows.get(0).getString(0) + ", not a blob", q);
            }
            return new DefaultBlob(this, q, c, rowId, rows.get(0).getLong(1), readOnly);
        });
    }

    /**
     * A name as a quoted SQL identifier.
     *
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if it holds a NUL character (C would cut the name there)
     */
    private static String quoted(String name, String what) {
        Objects.requireNonNull(name, () -> what + " must not be null");
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " name contains a NUL character: "
                    + name.replace('\0', '?'));
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public CompletableFuture<Void> setProgressHandler(ProgressHandler handler, int n) {
        if (handler != null && n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        return worker.submit(engine -> {
            engine.setProgressHandler(handler, n);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> setTraceCallback(Consumer<String> callback) {
        return worker.submit(engine -> {
            engine.setTrace(callback);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> setProfileCallback(io.github.aiosqlite4j.ProfileCallback callback) {
        return worker.submit(engine -> {
            engine.setProfile(callback);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> setAuthorizer(Authorizer authorizer) {
        return worker.submit(engine -> {
            engine.setAuthorizer(authorizer);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> enableLoadExtension(boolean enabled) {
        return worker.submit(engine -> {
            engine.enableLoadExtension(enabled);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> loadExtension(String path, String entryPoint) {
        Objects.requireNonNull(path, "path must not be null");
        return worker.submit(engine -> {
            engine.loadExtension(path, entryPoint);
            return null;
        });
    }

    @Override
    public Flow.Publisher<String> iterDump(String filter) {
        return new ChunkedPublisher<>(() -> new ChunkedPublisher.Source<String>() {
            private Dumper dumper; // worker only

            @Override
            public CompletableFuture<List<String>> fetch(int n) {
                return worker.submit(engine -> {
                    if (dumper == null) {
                        dumper = new Dumper(engine.jdbc(), filter);
                    }
                    return dumper.next(n);
                });
            }

            @Override
            public void release(boolean cancelled) {
                worker.submit(engine -> {
                    if (dumper != null) {
                        dumper.close();
                    }
                    return null;
                });
            }
        }, worker.config()::iterChunkSize);
    }

    @Override
    public Flow.Publisher<List<Row>> watch(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        return liveHub().publisher(sql, null, params);
    }

    @Override
    public <T> Flow.Publisher<List<T>> watch(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(sql, "sql must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        return liveHub().publisher(sql, mapper, params);
    }

    private synchronized LiveHub liveHub() {
        if (liveHub == null) {
            liveHub = new LiveHub(this, new LiveHub.Querier() {
                @Override
                @SuppressWarnings("unchecked")
                public <T> CompletableFuture<List<T>> query(String sql, RowMapper<T> mapper,
                        Object[] params, BooleanSupplier hasUncommittedWrites) {
                    return worker.submit(engine -> {
                        if (hasUncommittedWrites.getAsBoolean()) {
                            return null;
                        }
                        Results r = engine.execute(sql, params, null);
                        return mapper == null ? (List<T>) (List<?>) engine.fetch(r, -1)
                                : engine.fetchMapped(r, mapper);
                    });
                }
            }, sql -> LiveQueries.tablesRead(this, sql), worker.config().livePollInterval(),
                    worker.config().completionExecutor());
        }
        return liveHub;
    }

    @Override
    public CompletableFuture<Void> backup(AsyncConnection target, BackupOptions options) {
        Objects.requireNonNull(target, "target must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (target == this) {
            throw new IllegalArgumentException("backup target cannot be the same connection");
        }
        if (!(target instanceof DefaultAsyncConnection)) {
            throw new IllegalArgumentException("backup target must be a connection opened by"
                    + " AioSqlite.connect, was " + target.getClass().getName());
        }
        ConnectionWorker targetWorker = ((DefaultAsyncConnection) target).worker;
        if (io.github.aiosqlite4j.internal.nativelib.NativeLibrary.status().available()) {
            return NativeBackup.run(worker, targetWorker, options);
        }
        Path tmp;
        try {
            tmp = Files.createTempFile("aiosqlite4j-backup-", ".db");
        } catch (IOException e) {
            return CompletableFuture.failedFuture(Errors.library(
                    "cannot create a temporary file for the backup: " + e.getMessage(), e));
        }
        CompletableFuture<Void> copied = worker.submit(engine -> {
            engine.backupToFile(tmp.toString(), options);
            return null;
        });
        CompletableFuture<Void> restored = copied.thenCompose(v -> targetWorker.submit(engine -> {
            engine.restoreFromFile(tmp.toString());
            return null;
        }));
        return restored.whenComplete((v, e) -> {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        });
    }

    @Override
    public CompletableFuture<Void> backup(Path targetFile, BackupOptions options) {
        Objects.requireNonNull(targetFile, "targetFile must not be null");
        Objects.requireNonNull(options, "options must not be null");
        String file = targetFile.toAbsolutePath().toString();
        return worker.submit(engine -> {
            engine.backupToFile(file, options);
            return null;
        });
    }

    // SQLite's C API through the native library.

    @Override
    public CompletableFuture<TxnState> txnState(String schema) {
        return worker.submit(engine -> TXN_STATES[engine.requireNative("txnState").txnState(schema)]);
    }

    private static final TxnState[] TXN_STATES = TxnState.values();

    @Override
    public CompletableFuture<Boolean> getConfig(int op) {
        checkConfig(op);
        return worker.submit(engine -> engine.requireNative("getConfig").dbConfig(op, -1));
    }

    @Override
    public CompletableFuture<Boolean> setConfig(int op, boolean enable) {
        checkConfig(op);
        if (op == DbConfig.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION && enable) {
            throw new IllegalArgumentException("SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION cannot be"
                    + " switched on with setConfig: aiosqlite4j keeps extension loading off; allow"
                    + " it with enableLoadExtension(true) or SqliteConfig's loadExtensionEnabled");
        }
        return worker.submit(engine -> engine.requireNative("setConfig").dbConfig(op, enable ? 1 : 0));
    }

    /** Python's is_int_config, with SQLite's newer boolean options (see DbConfig). */
    private static void checkConfig(int op) {
        if (op < DbConfig.SQLITE_DBCONFIG_ENABLE_FKEY || op > DbConfig.SQLITE_DBCONFIG_ENABLE_COMMENTS) {
            throw new IllegalArgumentException("unknown config 'op': " + op
                    + " (expected one of the DbConfig.SQLITE_DBCONFIG_* constants)");
        }
    }

    @Override
    public CompletableFuture<DbStatus> dbStatus(int op, boolean reset) {
        if (op < DbStatus.SQLITE_DBSTATUS_LOOKASIDE_USED || op > DbStatus.SQLITE_DBSTATUS_TEMPBUF_SPILL) {
            throw new IllegalArgumentException("unknown status 'op': " + op
                    + " (expected one of the DbStatus.SQLITE_DBSTATUS_* constants)");
        }
        return worker.submit(engine -> {
            long[] v = engine.requireNative("dbStatus").dbStatus(op, reset);
            return new DbStatus(op, v[0], v[1]);
        });
    }

    @Override
    public CompletableFuture<Void> setStatementStatusCallback(Consumer<StatementStatus> callback) {
        return worker.submit(engine -> {
            if (callback != null || engine.nativeConnection() != null) {
                engine.requireNative("setStatementStatusCallback").setStatementStatus(callback);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> setWalHook(WalHook hook) {
        return worker.submit(engine -> {
            engine.setWalHook(hook);
            return null;
        });
    }

    @Override
    public void interrupt() {
        worker.interruptNow();
    }

    @Override
    public boolean isClosed() {
        return worker.isCloseRequested();
    }

    @Override
    public int queueDepth() {
        return worker.queued();
    }

    @Override
    public SqliteConfig config() {
        return worker.config();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        LiveHub hub;
        synchronized (this) {
            hub = liveHub;
        }
        if (hub != null) {
            hub.close();
        }
        return worker.closeAsync();
    }

    @Override
    public void close() {
        if (worker.isWorkerThread()) {
            throw new IllegalStateException("AsyncConnection.close() would block the connection's"
                    + " own worker thread; use closeAsync()");
        }
        closeAsync().join();
    }

    @Override
    public String toString() {
        return "AsyncConnection{" + worker.config().database()
                + (isClosed() ? ", closed" : "") + "}";
    }
}
