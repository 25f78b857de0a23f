package io.github.aiosqlite4j;

import static io.github.aiosqlite4j.Futures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteError#errorName()}: Python 3.11's {@code sqlite_errorname} beside the code. */
final class ErrorNameTest {
    /**
     * Every result code CPython 3.11's sqlite3 module names, code=name without "SQLITE_" (from
     * the module's SQLITE_* constants).
     */
    private static final String CPYTHON_3_11 = "0=OK 1=ERROR 2=INTERNAL 3=PERM 4=ABORT 5=BUSY"
            + " 6=LOCKED 7=NOMEM 8=READONLY 9=INTERRUPT 10=IOERR 11=CORRUPT 12=NOTFOUND 13=FULL"
            + " 14=CANTOPEN 15=PROTOCOL 16=EMPTY 17=SCHEMA 18=TOOBIG 19=CONSTRAINT 20=MISMATCH"
            + " 21=MISUSE 22=NOLFS 23=AUTH 24=FORMAT 25=RANGE 26=NOTADB 27=NOTICE 28=WARNING"
            + " 100=ROW 101=DONE 256=OK_LOAD_PERMANENTLY 257=ERROR_MISSING_COLLSEQ"
            + " 261=BUSY_RECOVERY 262=LOCKED_SHAREDCACHE 264=READONLY_RECOVERY 266=IOERR_READ"
            + " 267=CORRUPT_VTAB 270=CANTOPEN_NOTEMPDIR 275=CONSTRAINT_CHECK 279=AUTH_USER"
            + " 283=NOTICE_RECOVER_WAL 284=WARNING_AUTOINDEX 512=OK_SYMLINK 513=ERROR_RETRY"
            + " 516=ABORT_ROLLBACK 517=BUSY_SNAPSHOT 518=LOCKED_VTAB 520=READONLY_CANTLOCK"
            + " 522=IOERR_SHORT_READ 523=CORRUPT_SEQUENCE 526=CANTOPEN_ISDIR"
            + " 531=CONSTRAINT_COMMITHOOK 539=NOTICE_RECOVER_ROLLBACK 769=ERROR_SNAPSHOT"
            + " 773=BUSY_TIMEOUT 776=READONLY_ROLLBACK 778=IOERR_WRITE 779=CORRUPT_INDEX"
            + " 782=CANTOPEN_FULLPATH 787=CONSTRAINT_FOREIGNKEY 1032=READONLY_DBMOVED"
            + " 1034=IOERR_FSYNC 1038=CANTOPEN_CONVPATH 1043=CONSTRAINT_FUNCTION"
            + " 1288=READONLY_CANTINIT 1290=IOERR_DIR_FSYNC 1294=CANTOPEN_DIRTYWAL"
            + " 1299=CONSTRAINT_NOTNULL 1544=READONLY_DIRECTORY 1546=IOERR_TRUNCATE"
            + " 1550=CANTOPEN_SYMLINK 1555=CONSTRAINT_PRIMARYKEY 1802=IOERR_FSTAT"
            + " 1811=CONSTRAINT_TRIGGER 2058=IOERR_UNLOCK 2067=CONSTRAINT_UNIQUE 2314=IOERR_RDLOCK"
            + " 2323=CONSTRAINT_VTAB 2570=IOERR_DELETE 2579=CONSTRAINT_ROWID 2826=IOERR_BLOCKED"
            + " 2835=CONSTRAINT_PINNED 3082=IOERR_NOMEM 3338=IOERR_ACCESS"
            + " 3594=IOERR_CHECKRESERVEDLOCK 3850=IOERR_LOCK 4106=IOERR_CLOSE 4362=IOERR_DIR_CLOSE"
            + " 4618=IOERR_SHMOPEN 4874=IOERR_SHMSIZE 5130=IOERR_SHMLOCK 5386=IOERR_SHMMAP"
            + " 5642=IOERR_SEEK 5898=IOERR_DELETE_NOENT 6154=IOERR_MMAP 6410=IOERR_GETTEMPPATH"
            + " 6666=IOERR_CONVPATH 6922=IOERR_VNODE 7178=IOERR_AUTH 7434=IOERR_BEGIN_ATOMIC"
            + " 7690=IOERR_COMMIT_ATOMIC 7946=IOERR_ROLLBACK_ATOMIC 8202=IOERR_DATA"
            + " 8458=IOERR_CORRUPTFS";

    @TempDir
    Path dir;

    private static String nameOf(int code) {
        SqliteError e = new SqliteError() {
            @Override
            public int resultCode() {
                return code < 0 ? code : code & 0xff;
            }

            @Override
            public int extendedResultCode() {
                return code;
            }

            @Override
            public String sql() {
                return null;
            }
        };
        return e.errorName();
    }

    @Test
    void everyCodePythonNames_hasPythonsName() {
        String[] pairs = CPYTHON_3_11.split(" ");
        assertThat(pairs).hasSize(105);
        for (String pair : pairs) {
            int code = Integer.parseInt(pair.substring(0, pair.indexOf('=')));
            assertThat(nameOf(code)).as("code " + code)
                    .isEqualTo("SQLITE_" + pair.substring(pair.indexOf('=') + 1));
        }
    }

    @Test
    void codesNewerThanPythons_unknownCodes_andOurOwnErrors() {
        assertThat(nameOf(3091)).isEqualTo("SQLITE_CONSTRAINT_DATATYPE"); // Python 3.11: "unknown"
        assertThat(nameOf(8714)).isEqualTo("SQLITE_IOERR_IN_PAGE");
        assertThat(nameOf(1025)).isEqualTo("SQLITE_ERROR_RESERVESIZE");
        assertThat(nameOf(260)).as("SQLITE_ABORT has no extended code 1").isEqualTo("unknown");
        assertThat(nameOf(99)).isEqualTo("unknown");
        assertThat(nameOf(-1)).as("raised by aiosqlite4j itself").isNull();
    }

    @Test
    void realFailures_carryTheirName() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("names.db")).queueCapacity(1).build();
        try (AsyncConnection db = AioSqlite.connect(config).get(10, TimeUnit.SECONDS)) {
            db.execute("create table t (id integer primary key, v integer unique) strict").join();
            db.execute("insert into t (v) values (1)").join();
            assertThat(name(failure(db.execute("insert into t (v) values (1)"))))
                    .isEqualTo("SQLITE_CONSTRAINT_UNIQUE");
            assertThat(name(failure(db.execute("insert into t (v) values ('text')"))))
                    .isEqualTo("SQLITE_CONSTRAINT_DATATYPE");
            assertThat(name(failure(db.execute("insert into t (id) values (1)"))))
                    .isEqualTo("SQLITE_CONSTRAINT_PRIMARYKEY");
            assertThat(name(failure(db.execute("selec 1")))).isEqualTo("SQLITE_ERROR");

            Throwable full = failure(Futures.callOnAFullQueue(db));
            assertThat(((SqliteError) full).resultCode()).isEqualTo(-1);
            assertThat(name(full)).as("a full queue is our own error").isNull();
        }
    }

    private static String name(Throwable e) {
        assertThat(e).isInstanceOf(SqliteError.class);
        return ((SqliteError) e).errorName();
    }
}
