package io.github.aiosqlite4j.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link Dumper} against real sqlite-jdbc connections.
 *
 * <p>The expected lines were produced on the development machine by CPython 3.11.7 (SQLite
 * 3.40.1): by {@code Connection.iterdump()} itself, and by a transcription of CPython 3.13's
 * {@code Lib/sqlite3/dump.py} run on the same interpreter. Where both agree the literal is plain
 * {@code iterdump()} output; the cases where Python 3.11 differs from 3.13 say so.
 */
final class DumperTest {

    private static final List<String> ACCEPTANCE = List.of(
            "create table foo (i integer, k charvar(250))",
            "insert into foo values (1, 'hello')",
            "insert into foo values (2, 'world')");

    /** A database touching most features; used by the chunking and replay tests. */
    private static final List<String> MIXED = List.of(
            "CREATE TABLE \"weird \"\"name\"\"\" (\"col \"\"one\"\"\" TEXT, \"select\" INTEGER, [it's] BLOB)",
            "INSERT INTO \"weird \"\"name\"\"\" VALUES ('it''s a \"test\"', 1, X'00FF')",
            "CREATE TABLE v (t TEXT, r REAL, b BLOB, i INTEGER, n)",
            "INSERT INTO v VALUES ('line1\nline2''s \"end\"', 3.5, X'DEADBEEF', 9223372036854775807, NULL)",
            "INSERT INTO v VALUES ('', -0.25, X'', -9223372036854775808, 1.0)",
            "CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, tag TEXT)",
            "INSERT INTO tags (tag) VALUES ('a')",
            "INSERT INTO tags (tag) VALUES ('b')",
            "CREATE TABLE \"a'b\" (id INTEGER PRIMARY KEY AUTOINCREMENT, \"c'd\")",
            "INSERT INTO \"a'b\" VALUES (42, 'q''q')",
            "CREATE TABLE log (msg TEXT)",
            "CREATE INDEX idx_tag ON tags (tag)",
            "CREATE VIEW tag_names AS SELECT tag FROM tags",
            "CREATE TRIGGER trg AFTER INSERT ON tags BEGIN\n"
                    + "  INSERT INTO log VALUES ('new: ' || new.tag);\nEND",
            "INSERT INTO tags (tag) VALUES ('c')");

    private static Connection memory(List<String> statements) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement st = connection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static Connection memory(String... statements) throws SQLException {
        return memory(List.of(statements));
    }

    /** The whole dump, read in chunks of {@code chunk}; every chunk but the last must be full. */
    private static List<String> dump(Connection connection, int chunk) throws SQLException {
        return dump(connection, null, chunk);
    }

    private static List<String> dump(Connection connection, String filter, int chunk) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Dumper dumper = new Dumper(connection, filter)) {
            while (true) {
                List<String> next = dumper.next(chunk);
                assertThat(next).hasSizeLessThanOrEqualTo(chunk);
                lines.addAll(next);
                if (next.size() < chunk) {
                    assertThat(dumper.next(chunk)).isEmpty();
                    return lines;
                }
            }
        }
    }

    private static List<String> dump(Connection connection) throws SQLException {
        return dump(connection, 1000);
    }

    private static String scalar(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void dumpsTheAcceptanceExampleExactly() throws SQLException {
        try (Connection c = memory(ACCEPTANCE)) {
            assertThat(dump(c)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE foo (i integer, k charvar(250));",
                    "INSERT INTO \"foo\" VALUES(1,'hello');",
                    "INSERT INTO \"foo\" VALUES(2,'world');",
                    "COMMIT;");
        }
    }

    @Test
    void dumpsAnEmptyDatabaseAsAnEmptyTransaction() throws SQLException {
        try (Connection c = memory()) {
            assertThat(dump(c)).containsExactly("BEGIN TRANSACTION;", "COMMIT;");
        }
    }

    @Test
    void quotesTableAndColumnNamesThatNeedQuoting() throws SQLException {
        try (Connection c = memory(
                "CREATE TABLE \"weird \"\"name\"\"\" (\"col \"\"one\"\"\" TEXT, \"select\" INTEGER, [it's] BLOB)",
                "INSERT INTO \"weird \"\"name\"\"\" VALUES ('it''s a \"test\"', 1, X'00FF')",
                "CREATE TABLE \"index\"(\"index\" blob)",
                "INSERT INTO \"index\" VALUES(X'01')")) {
            assertThat(dump(c)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE \"index\"(\"index\" blob);",
                    "INSERT INTO \"index\" VALUES(X'01');",
                    "CREATE TABLE \"weird \"\"name\"\"\" (\"col \"\"one\"\"\" TEXT, \"select\" INTEGER, [it's] BLOB);",
                    "INSERT INTO \"weird \"\"name\"\"\" VALUES('it''s a \"test\"',1,X'00FF');",
                    "COMMIT;");
        }
    }

    @Test
    void letsSqliteFormatTextNullRealBlobAndIntegerLimits() throws SQLException {
        try (Connection c = memory(
                "CREATE TABLE v (t TEXT, r REAL, b BLOB, i INTEGER, n)",
                "INSERT INTO v VALUES ('line1\nline2''s \"end\"', 3.5, X'DEADBEEF', 9223372036854775807, NULL)",
                "INSERT INTO v VALUES ('', -0.25, X'', -9223372036854775808, 1.0)",
                "INSERT INTO v VALUES (NULL, 1e300, zeroblob(2), 0, 'text')",
                "INSERT INTO v VALUES ('tab\tand unicode \u00e9\u20ac\ud83d\ude00', 0.1, NULL, -1, 2.5e-7)")) {
            assertThat(dump(c)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE v (t TEXT, r REAL, b BLOB, i INTEGER, n);",
                    "INSERT INTO \"v\" VALUES('line1\nline2''s \"end\"',3.5,X'DEADBEEF',9223372036854775807,NULL);",
                    "INSERT INTO \"v\" VALUES('',-0.25,X'',-9223372036854775808,1.0);",
                    "INSERT INTO \"v\" VALUES(NULL,1.0e+300,X'0000',0,'text');",
                    "INSERT INTO \"v\" VALUES('tab\tand unicode \u00e9\u20ac\ud83d\ude00',0.1,NULL,-1,2.5e-07);",
                    "COMMIT;");
        }
    }

    @Test
    void formatsRealsExactlyAsThisSqliteQuoteDoes() throws SQLException {
        // How quote() prints a REAL changed between SQLite releases (3.40.1 gives
        // 3.00000000000000044408e-01 for 0.1 + 0.2, newer ones 0.30000000000000004): the dump is
        // whatever the linked SQLite's quote() says, as in Python.
        try (Connection c = memory(
                "CREATE TABLE r (x REAL)",
                "INSERT INTO r VALUES (0.1 + 0.2)",
                "INSERT INTO r VALUES (1.7976931348623157e308)",
                "INSERT INTO r VALUES (4.9e-324)",
                "INSERT INTO r VALUES (9e999)",
                "INSERT INTO r VALUES (-9e999)")) {
            List<String> expected = new ArrayList<>(List.of("BEGIN TRANSACTION;", "CREATE TABLE r (x REAL);"));
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT quote(x) FROM r")) {
                while (rs.next()) {
                    expected.add("INSERT INTO \"r\" VALUES(" + rs.getString(1) + ");");
                }
            }
            expected.add("COMMIT;");
            assertThat(dump(c)).containsExactlyElementsOf(expected).hasSize(8);
        }
    }

    @Test
    void putsTheSqliteSequenceStatementsAtTheEnd() throws SQLException {
        try (Connection c = memory(
                "CREATE TABLE posts (id int primary key)",
                "INSERT INTO posts VALUES (0)",
                "CREATE TABLE tags (id integer primary key autoincrement, tag varchar(256), post int references posts)",
                "INSERT INTO tags VALUES (NULL, 'test', 0)",
                "INSERT INTO tags VALUES (7, 'x', 0)",
                "CREATE TABLE tags2 (id integer primary key autoincrement, tag varchar(256), post int references posts)")) {
            assertThat(dump(c)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE posts (id int primary key);",
                    "INSERT INTO \"posts\" VALUES(0);",
                    "CREATE TABLE tags (id integer primary key autoincrement, tag varchar(256), post int references posts);",
                    "INSERT INTO \"tags\" VALUES(1,'test',0);",
                    "INSERT INTO \"tags\" VALUES(7,'x',0);",
                    "CREATE TABLE tags2 (id integer primary key autoincrement, tag varchar(256), post int references posts);",
                    "DELETE FROM \"sqlite_sequence\";",
                    "INSERT INTO \"sqlite_sequence\" VALUES('tags',7);",
                    "COMMIT;");
        }
    }

    @Test
    void dumpsATableWhoseNameHasASingleQuote() throws SQLException {
        // Python 3.11 (and 3.13 before gh-153658) raise OperationalError here; the expected lines
        // are those of 3.13's dump.py with that fix. 3.13 also doubles the quote in the
        // sqlite_sequence line, where 3.11 would write VALUES('a'b',42).
        try (Connection c = memory(
                "CREATE TABLE \"a'b\" (id INTEGER PRIMARY KEY AUTOINCREMENT, \"c'd\")",
                "INSERT INTO \"a'b\" VALUES (42, 'q''q')")) {
            assertThat(dump(c)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE \"a'b\" (id INTEGER PRIMARY KEY AUTOINCREMENT, \"c'd\");",
                    "INSERT INTO \"a'b\" VALUES(42,'q''q');",
                    "DELETE FROM \"sqlite_sequence\";",
                    "INSERT INTO \"sqlite_sequence\" VALUES('a''b',42);",
                    "COMMIT;");
        }
    }

    @Test
    void dumpsIndexesTriggersAndViewsAfterTheTableData() throws SQLException {
        try (Connection c = memory(
                "CREATE TABLE t1 (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE log (msg TEXT)",
                "CREATE INDEX idx_name ON t1 (name)",
                "CREATE UNIQUE INDEX \"idx \"\"u\"\"\" ON t1 (name, id)",
                "CREATE VIEW v1 AS SELECT name FROM t1 WHERE id > 1",
                "CREATE TRIGGER trg AFTER INSERT ON t1 BEGIN\n"
                        + "  INSERT INTO log VALUES ('new: ' || new.name);\nEND",
                "INSERT INTO t1 VALUES (1, 'a')",
                "INSERT INTO t1 VALUES (2, 'b')")) {
            assertThat(dump(c)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE log (msg TEXT);",
                    "INSERT INTO \"log\" VALUES('new: a');",
                    "INSERT INTO \"log\" VALUES('new: b');",
                    "CREATE TABLE t1 (id INTEGER PRIMARY KEY, name TEXT);",
                    "INSERT INTO \"t1\" VALUES(1,'a');",
                    "INSERT INTO \"t1\" VALUES(2,'b');",
                    "CREATE INDEX idx_name ON t1 (name);",
                    "CREATE UNIQUE INDEX \"idx \"\"u\"\"\" ON t1 (name, id);",
                    "CREATE VIEW v1 AS SELECT name FROM t1 WHERE id > 1;",
                    "CREATE TRIGGER trg AFTER INSERT ON t1 BEGIN\n  INSERT INTO log VALUES ('new: ' || new.name);\nEND;",
                    "COMMIT;");
        }
    }

    /**
     * The filter of Python 3.13 ({@code iterdump(filter=...)}) matches each object's own name: the
     * index and trigger of {@code users} are not dumped with {@code users}, an index whose name
     * matches is, and {@code sqlite_sequence} only comes with a pattern that matches its name.
     * Expected lines: the 3.13 transcription, run on CPython 3.11.7 (which has no filter).
     */
    @Test
    void filterSelectsTablesIndexesTriggersAndViewsByTheirOwnName() throws SQLException {
        try (Connection c = memory(
                "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)",
                "CREATE TABLE user_log (msg TEXT)",
                "CREATE TABLE other (x)",
                "CREATE INDEX idx_users_name ON users (name)",
                "CREATE INDEX user_name_idx ON users (name, id)",
                "CREATE VIEW user_names AS SELECT name FROM users",
                "CREATE TRIGGER trg_users AFTER INSERT ON users BEGIN INSERT INTO user_log VALUES (new.name); END",
                "INSERT INTO users (name) VALUES ('ann')",
                "INSERT INTO other VALUES (1)")) {
            assertThat(dump(c, "user%", 1000)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE user_log (msg TEXT);",
                    "INSERT INTO \"user_log\" VALUES('ann');",
                    "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);",
                    "INSERT INTO \"users\" VALUES(1,'ann');",
                    "CREATE INDEX user_name_idx ON users (name, id);",
                    "CREATE VIEW user_names AS SELECT name FROM users;",
                    "COMMIT;");
            List<String> usersOnly = List.of(
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);",
                    "INSERT INTO \"users\" VALUES(1,'ann');",
                    "COMMIT;");
            assertThat(dump(c, "users", 1000)).isEqualTo(usersOnly);
            assertThat(dump(c, "USERS", 1)).as("LIKE ignores ASCII case").isEqualTo(usersOnly);
            assertThat(dump(c, "sqlite_sequence", 1000)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "DELETE FROM \"sqlite_sequence\";",
                    "INSERT INTO \"sqlite_sequence\" VALUES('users',1);",
                    "COMMIT;");
            assertThat(dump(c, "%", 1000)).isEqualTo(dump(c)).hasSize(14);
            assertThat(dump(c, "", 1000)).isEqualTo(dump(c));
            assertThat(dump(c, "%\\_%", 1000)).as("no ESCAPE clause: the backslash is a character")
                    .containsExactly("BEGIN TRANSACTION;", "COMMIT;");
        }
    }

    @Test
    void dumpsStat1AsAnalyzeOfSqliteMaster() throws SQLException {
        try (Connection c = memory(
                "CREATE TABLE t (a INTEGER, b TEXT)",
                "CREATE INDEX t_a ON t (a)",
                "INSERT INTO t VALUES (1, 'x')",
                "INSERT INTO t VALUES (1, 'y')",
                "INSERT INTO t VALUES (2, 'z')",
                "ANALYZE")) {
            assertThat(dump(c)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "ANALYZE \"sqlite_master\";",
                    "INSERT INTO \"sqlite_stat1\" VALUES('t','t_a','3 2');",
                    "CREATE TABLE t (a INTEGER, b TEXT);",
                    "INSERT INTO \"t\" VALUES(1,'x');",
                    "INSERT INTO \"t\" VALUES(1,'y');",
                    "INSERT INTO \"t\" VALUES(2,'z');",
                    "CREATE INDEX t_a ON t (a);",
                    "COMMIT;");
        }
    }

    @Test
    void writesVirtualTablesIntoSqliteMasterUnderWritableSchema() throws SQLException {
        try (Connection c = memory(
                "CREATE VIRTUAL TABLE docs USING fts5(title, body)",
                "INSERT INTO docs VALUES ('hello', 'world')",
                "CREATE TABLE plain (x)",
                "INSERT INTO plain VALUES (1)")) {
            assertThat(dump(c)).containsExactly(
                    "BEGIN TRANSACTION;",
                    "PRAGMA writable_schema=ON;",
                    "INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql)VALUES('table','docs','docs',0,'CREATE VIRTUAL TABLE docs USING fts5(title, body)');",
                    "INSERT INTO \"docs\" VALUES('hello','world');",
                    "CREATE TABLE 'docs_config'(k PRIMARY KEY, v) WITHOUT ROWID;",
                    "INSERT INTO \"docs_config\" VALUES('version',4);",
                    "CREATE TABLE 'docs_content'(id INTEGER PRIMARY KEY, c0, c1);",
                    "INSERT INTO \"docs_content\" VALUES(1,'hello','world');",
                    "CREATE TABLE 'docs_data'(id INTEGER PRIMARY KEY, block BLOB);",
                    "INSERT INTO \"docs_data\" VALUES(1,X'010101');",
                    "INSERT INTO \"docs_data\" VALUES(10,X'000000000101010001010101');",
                    "INSERT INTO \"docs_data\" VALUES(137438953473,X'0000001A063068656C6C6F0102020105776F726C640106010102040A');",
                    "CREATE TABLE 'docs_docsize'(id INTEGER PRIMARY KEY, sz BLOB);",
                    "INSERT INTO \"docs_docsize\" VALUES(1,X'0101');",
                    "CREATE TABLE 'docs_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;",
                    "INSERT INTO \"docs_idx\" VALUES(1,X'',2);",
                    "CREATE TABLE plain (x);",
                    "INSERT INTO \"plain\" VALUES(1);",
                    "PRAGMA writable_schema=OFF;",
                    "COMMIT;");
        }
    }

    @Test
    void turnsForeignKeysOffFirstOnlyWhenThereIsAViolation() throws SQLException {
        // Python 3.11 never writes the PRAGMA line; 3.13 writes it when foreign_key_check reports.
        try (Connection c = memory(
                "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))",
                "INSERT INTO parent VALUES (1)",
                "INSERT INTO child VALUES (1, 1)",
                "INSERT INTO child VALUES (2, 99)")) {
            assertThat(dump(c)).containsExactly(
                    "PRAGMA foreign_keys=OFF;",
                    "BEGIN TRANSACTION;",
                    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));",
                    "INSERT INTO \"child\" VALUES(1,1);",
                    "INSERT INTO \"child\" VALUES(2,99);",
                    "CREATE TABLE parent (id INTEGER PRIMARY KEY);",
                    "INSERT INTO \"parent\" VALUES(1);",
                    "COMMIT;");
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM child WHERE id = 2");
            }
            assertThat(dump(c)).startsWith("BEGIN TRANSACTION;").doesNotContain("PRAGMA foreign_keys=OFF;");
        }
    }

    @Test
    void readingInSmallChunksGivesTheSameLines() throws SQLException {
        try (Connection c = memory(MIXED)) {
            List<String> whole = dump(c, Integer.MAX_VALUE);
            assertThat(whole).hasSizeGreaterThan(15);
            assertThat(dump(c, 1)).isEqualTo(whole);
            assertThat(dump(c, 2)).isEqualTo(whole);
            assertThat(dump(c, 3)).isEqualTo(whole);
            assertThat(dump(c, whole.size())).isEqualTo(whole);
        }
    }

    @Test
    void replayingTheDumpIntoAFreshDatabaseRestoresIt() throws SQLException {
        try (Connection original = memory(MIXED)) {
            List<String> lines = dump(original);
            try (Connection copy = memory(lines)) {
                assertThat(dump(copy)).isEqualTo(lines);
                assertThat(scalar(copy, "SELECT group_concat(quote(t) || quote(r) || quote(b) || i || quote(n), '|') FROM v"))
                        .isEqualTo(scalar(original, "SELECT group_concat(quote(t) || quote(r) || quote(b) || i || quote(n), '|') FROM v"));
                assertThat(scalar(copy, "SELECT seq FROM sqlite_sequence WHERE name = 'tags'")).isEqualTo("3");
                assertThat(scalar(copy, "SELECT count(*) FROM log")).isEqualTo("1");
                assertThat(scalar(copy, "SELECT count(*) FROM sqlite_master WHERE type IN ('index', 'view', 'trigger')"))
                        .isEqualTo("3");
            }
        }
    }

    @Test
    void streamsTableRowsKeepingAtMostOneStatementOpenBetweenCalls() throws SQLException {
        try (Connection real = memory(
                "CREATE TABLE big (n INTEGER)",
                "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000)"
                        + " INSERT INTO big SELECT n FROM s",
                "CREATE TABLE small (x)",
                "INSERT INTO small VALUES (1)")) {
            Tracker tracker = new Tracker();
            Connection c = tracker.wrap(real);
            try (Dumper dumper = new Dumper(c)) {
                assertThat(dumper.next(5)).containsExactly(
                        "BEGIN TRANSACTION;",
                        "CREATE TABLE big (n INTEGER);",
                        "INSERT INTO \"big\" VALUES(1);",
                        "INSERT INTO \"big\" VALUES(2);",
                        "INSERT INTO \"big\" VALUES(3);");
                assertThat(tracker.open).hasSize(1);
                assertThat(tracker.rowsFetched).isLessThan(20);
                assertThat(dumper.next(2)).containsExactly(
                        "INSERT INTO \"big\" VALUES(4);", "INSERT INTO \"big\" VALUES(5);");
                assertThat(tracker.open).hasSize(1);
                assertThat(tracker.rowsFetched).isLessThan(25);
                int total = 7;
                List<String> chunk;
                while (!(chunk = dumper.next(100)).isEmpty()) {
                    assertThat(tracker.open).hasSizeLessThanOrEqualTo(1);
                    total += chunk.size();
                }
                assertThat(total).isEqualTo(5000 + 5);
                assertThat(tracker.open).isEmpty();
            }
        }
    }

    @Test
    void allowsOtherStatementsOnTheConnectionBetweenCalls() throws SQLException {
        try (Connection c = memory(MIXED)) {
            List<String> expected = dump(c);
            List<String> lines = new ArrayList<>();
            try (Dumper dumper = new Dumper(c)) {
                List<String> chunk;
                while (!(chunk = dumper.next(1)).isEmpty()) {
                    lines.addAll(chunk);
                    assertThat(scalar(c, "SELECT count(*) FROM tags")).isEqualTo("3");
                    try (Statement st = c.createStatement()) {
                        st.execute("PRAGMA user_version = " + lines.size());
                    }
                }
            }
            assertThat(lines).isEqualTo(expected);
        }
    }

    @Test
    void closeReleasesTheOpenStatementAndIsIdempotent() throws SQLException {
        try (Connection real = memory(ACCEPTANCE)) {
            Tracker tracker = new Tracker();
            Dumper dumper = new Dumper(tracker.wrap(real));
            assertThat(dumper.next(3)).hasSize(3);
            assertThat(tracker.open).hasSize(1);
            dumper.close();
            assertThat(tracker.open).isEmpty();
            dumper.close();
            assertThat(dumper.next(10)).isEmpty();
            assertThat(real.isClosed()).isFalse();
        }
    }

    @Test
    void closingBeforeTheFirstCallEndsTheDump() throws SQLException {
        try (Connection c = memory(ACCEPTANCE)) {
            Dumper dumper = new Dumper(c);
            dumper.close();
            assertThat(dumper.next(10)).isEmpty();
        }
    }

    @Test
    void rejectsAMaxLinesBelowOne() throws SQLException {
        try (Connection c = memory(); Dumper dumper = new Dumper(c)) {
            assertThatThrownBy(() -> dumper.next(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> dumper.next(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(dumper.next(1)).containsExactly("BEGIN TRANSACTION;");
        }
    }

    @Test
    void aFailedCallEndsTheDump() throws SQLException {
        Connection c = memory(ACCEPTANCE);
        c.close();
        try (Dumper dumper = new Dumper(c)) {
            assertThatThrownBy(() -> dumper.next(10)).isInstanceOf(SQLException.class);
            assertThat(dumper.next(10)).isEmpty();
        }
    }

    /**
     * Wraps a connection to record which statements it created are still open, and how many rows
     * were fetched from the row query ({@code SELECT 'INSERT INTO ...}).
     */
    private static final class Tracker {
        final Set<Statement> open = new HashSet<>();
        int rowsFetched;

        Connection wrap(Connection connection) {
            return (Connection) Proxy.newProxyInstance(DumperTest.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        Object result = call(connection, method, args);
                        if (result instanceof Statement) {
                            Statement statement = (Statement) result;
                            open.add(statement);
                            return wrapStatement(statement, method.getReturnType());
                        }
                        return result;
                    });
        }

        private Object wrapStatement(Statement statement, Class<?> type) {
            return Proxy.newProxyInstance(DumperTest.class.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> {
                        Object result = call(statement, method, args);
                        if (method.getName().equals("close")) {
                            open.remove(statement);
                        }
                        if (result instanceof ResultSet && args != null && args.length > 0
                                && String.valueOf(args[0]).startsWith("SELECT 'INSERT INTO")) {
                            return wrapRows((ResultSet) result);
                        }
                        return result;
                    });
        }

        private Object wrapRows(ResultSet rows) {
            return Proxy.newProxyInstance(DumperTest.class.getClassLoader(),
                    new Class<?>[] {ResultSet.class}, (proxy, method, args) -> {
                        if (method.getName().equals("next")) {
                            rowsFetched++;
                        }
                        return call(rows, method, args);
                    });
        }

        private static Object call(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
