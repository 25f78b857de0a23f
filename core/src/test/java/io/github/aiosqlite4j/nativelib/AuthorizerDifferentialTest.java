package io.github.aiosqlite4j.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Authorizer;
import io.github.aiosqlite4j.IsolationLevel;
import io.github.aiosqlite4j.Row;
import io.github.aiosqlite4j.SqliteConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorizer against CPython's native {@code set_authorizer}: the same policy over a corpus
 * (views, triggers, CTEs, subqueries, RETURNING, UPSERT, foreign-key cascades, ATTACH, VACUUM
 * INTO, schema-qualified, quoted and mixed-case names, comments, leading ';') run by python3
 * ({@code authorizer/authorizer_differential.py}) and by aiosqlite4j. Every statement must see the
 * same authorizer calls in the same order, and end with the same rows or the same SQLite error.
 *
 * <p>What is compared against what: our native authorizer runs on sqlite-jdbc's SQLite (3.54.1,
 * with its compile options, STAT4 among them); CPython's runs on the libsqlite3.so.0 its {@code
 * _sqlite3} module loads.
 *
 * <ul>
 *   <li>With {@code AIOSQLITE4J_REFERENCE_SQLITE} set (to the directory {@code
 *       native/reference-sqlite.sh} prints: SQLite 3.54.1 built from the amalgamation with
 *       sqlite-jdbc's compile options), python3 runs with {@code LD_LIBRARY_PATH} there. The test
 *       then requires python3's {@code sqlite_version} and compile options to equal sqlite-jdbc's
 *       ({@code select sqlite_version()}, {@code pragma compile_options}; less the compiler, its
 *       atomics and sqlite-jdbc's own extension functions), and <b>zero</b> differences.
 *   <li>Whenever python3's SQLite is sqlite-jdbc's version, zero differences too.
 *   <li>Otherwise (python3 here links Debian's SQLite 3.40.1): where SQLite itself changed what
 *       it asks, listed in {@link #SQLITE_VERSION_DIFFERENCES} with the change, only the outcome
 *       (rows or error) is compared.
 * </ul>
 *
 * <p>VACUUM's temporary schema, "vacuum_db" in 3.40, has a random suffix in 3.54: both sides'
 * are shown as "vacuum_db".
 */
final class AuthorizerDifferentialTest {
    @TempDir
    Path dir;

    /**
     * 3.54 asks SQLITE_READ for the rows VACUUM copies, where 3.40 did not: the policy's denied
     * table makes VACUUM fail natively in 3.54 and succeed in 3.40. Required: Java denies.
     */
    private static final String STRICTER = "3.54 checks the reads VACUUM makes";
    /** The directory of the reference libsqlite3.so.0 for python3, or null: its own. */
    private static final String REFERENCE = System.getenv("AIOSQLITE4J_REFERENCE_SQLITE");

    /**
     * Statements whose authorizer calls SQLite 3.54.1 changed since 3.40.1 (see the class comment);
     * tolerated only while python3's SQLite is another version than sqlite-jdbc's.
     */
    private static final Map<String, String> SQLITE_VERSION_DIFFERENCES = Map.of(
            "select * from users where exists (select 1 from secret)",
                    "3.40 also reports SQLITE_SELECT for the EXISTS subquery",
            "select * from pragma_table_info('secret')",
                    "3.40 also reports the sqlite_master columns the table-valued pragma reads",
            "analyze", "sqlite-jdbc's SQLite has STAT4: it also creates and reads sqlite_stat4",
            "values (1), (2)", "3.54 codes a multi-row VALUES as one SELECT per row",
            "vacuum", STRICTER,
            "vacuum into '{dir}/copy.db'", STRICTER);

    /** The policy of authorizer_differential.py, line for line. */
    static int policy(int action, String arg1, String arg2, String db, String source) {
        if (action == Authorizer.SQLITE_READ && arg1 != null && arg1.equalsIgnoreCase("secret")) {
            return Authorizer.SQLITE_DENY;
        }
        if (action == Authorizer.SQLITE_READ && "pw".equals(arg2)) {
            return Authorizer.SQLITE_IGNORE;
        }
        if ((action == Authorizer.SQLITE_DELETE || action == Authorizer.SQLITE_DROP_TABLE
                || action == Authorizer.SQLITE_DROP_VIEW) && List.of("audit", "secret", "v_users").contains(arg1)) {
            return Authorizer.SQLITE_DENY;
        }
        if (action == Authorizer.SQLITE_UPDATE && "owner".equals(arg2)) {
            return Authorizer.SQLITE_DENY;
        }
        if (action == Authorizer.SQLITE_FUNCTION && "load_extension".equals(arg2)) {
            return Authorizer.SQLITE_DENY;
        }
        if (action == Authorizer.SQLITE_INSERT && "audit".equals(arg1) && source == null) {
            return Authorizer.SQLITE_IGNORE;
        }
        return Authorizer.SQLITE_OK;
    }

    @Test
    void everyStatementOfTheCorpus_seesWhatCPythonsNativeAuthorizerSees() throws Exception {
        Path setup = resource("setup.sql");
        Path corpus = resource("corpus.sql");
        Path script = resource("authorizer_differential.py");
        List<String> pythonOutput = runPython(script, setup, corpus);
        Map<String, List<String>> python = byStatement(pythonOutput);
        String pythonVersion = pythonOutput.get(0).substring(2);
        List<String> jdbc = jdbcSqlite();
        boolean sameVersion = pythonVersion.equals(jdbc.get(0));
        if (REFERENCE != null) {
            assertThat(pythonVersion).as("python3's SQLite with LD_LIBRARY_PATH=" + REFERENCE
                    + " (native/reference-sqlite.sh)").isEqualTo(jdbc.get(0));
        }
        if (sameVersion) {
            assertThat(compileOptions(pythonOutput.stream().filter(l -> l.startsWith("O "))
                    .map(l -> l.substring(2)).toList()))
                    .as("python3's SQLite's compile options").isEqualTo(compileOptions(jdbc.subList(1, jdbc.size())));
        }
        Map<String, String> tolerated = sameVersion ? Map.of() : SQLITE_VERSION_DIFFERENCES;
        // The files ATTACH and VACUUM INTO made: each side starts from none.
        Path dbs = dbs();
        try (Stream<Path> files = Files.walk(dbs)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dbs)).forEach(p -> p.toFile().delete());
        }
        Map<String, List<String>> java = byStatement(runJava(Files.readString(setup), Files.readString(corpus)));

        assertThat(java.keySet()).isEqualTo(python.keySet());
        assertThat(python).hasSizeGreaterThan(80);
        List<String> differences = new ArrayList<>();
        String[] statements = Files.readString(corpus).split("\n----\n", -1);
        int outcomeOnly = 0;
        for (String key : python.keySet()) {
            List<String> p = python.get(key).stream().map(AuthorizerDifferentialTest::vacuumDb).toList();
            List<String> j = java.get(key);
            String reason = tolerated.get(strip(statements[Integer.parseInt(key.substring(2))]));
            if (reason != null) {
                outcomeOnly++;
                p = p.subList(p.size() - 1, p.size());
                j = j.subList(j.size() - 1, j.size());
                if (reason.equals(STRICTER)) {
                    assertThat(p.get(0)).as(key).startsWith("R ");
                    assertThat(j.get(0)).as(key).startsWith("E ").contains("prohibited");
                    continue;
                }
            }
            if (!p.equals(j)) {
                differences.add(key + "\n  python: " + python.get(key) + "\n  java:   " + java.get(key));
            }
        }
        assertThat(differences).as("statements where the authorizer differs from CPython's on SQLite "
                + pythonVersion + " (sqlite-jdbc's: " + jdbc.get(0) + ")").isEmpty();
        assertThat(outcomeOnly).as("every listed SQLite version difference is in the corpus")
                .isEqualTo(tolerated.size());
    }

    /** sqlite-jdbc's SQLite: its version, then its compile options. */
    private static List<String> jdbcSqlite() throws Exception {
        try (AsyncConnection db = AioSqlite.connect(":memory:").get(30, TimeUnit.SECONDS)) {
            List<String> out = new ArrayList<>();
            out.add(db.executeFetchAll("select sqlite_version()").get(30, TimeUnit.SECONDS).get(0).getString(0));
            for (Row r : db.executeFetchAll("pragma compile_options").get(30, TimeUnit.SECONDS)) {
                out.add(r.getString(0));
            }
            return out;
        }
    }

    /**
     * The compile options that decide what SQLite does: not the compiler, whether it has atomic
     * intrinsics, nor sqlite-jdbc's extension functions (JDBC_EXTENSIONS; none is in the corpus).
     */
    private static java.util.SortedSet<String> compileOptions(List<String> options) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>(options);
        out.removeIf(o -> o.startsWith("COMPILER=") || o.startsWith("ATOMIC_INTRINSICS=") || o.equals("JDBC_EXTENSIONS"));
        return out;
    }

    private List<String> runJava(String setup, String corpus) throws Exception {
        String[] statements = corpus.split("\n----\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < statements.length; i++) {
            String sql = strip(statements[i]).replace("{dir}", dbs() + "/" + i);
            Files.createDirectories(dbs().resolve(String.valueOf(i)));
            List<String> calls = new ArrayList<>();
            try (AsyncConnection db = AioSqlite.connect(SqliteConfig.builder(":memory:")
                    .isolationLevel(IsolationLevel.AUTOCOMMIT).build()).get(30, TimeUnit.SECONDS)) {
                db.executeScript(setup).get(30, TimeUnit.SECONDS);
                db.setAuthorizer((action, a1, a2, schema, source) -> {
                    calls.add(vacuumDb("A " + action + " " + py(a1) + " " + py(a2) + " " + py(schema) + " " + py(source)));
                    return policy(action, a1, a2, schema, source);
                }).get(30, TimeUnit.SECONDS);
                String result;
                try {
                    List<Row> rows = db.executeFetchAll(sql).get(30, TimeUnit.SECONDS);
                    List<String> shown = new ArrayList<>();
                    for (Row r : rows) {
                        List<String> values = new ArrayList<>();
                        for (int c = 0; c < r.size(); c++) {
                            values.add(show(r.get(c)));
                        }
                        shown.add(String.join(",", values));
                    }
                    result = "R " + String.join(" | ", shown);
                } catch (java.util.concurrent.ExecutionException e) {
                    result = "E " + sqliteMessage(e.getCause());
                }
                db.setAuthorizer(null).get(30, TimeUnit.SECONDS);
                out.add("# " + i);
                out.addAll(calls);
                out.add(result);
            }
        }
        return out;
    }

    /** SQLite's own message: aiosqlite4j's is "[SQLITE_NAME] description (SQLite's message)". */
    private static String sqliteMessage(Throwable e) {
        String text = e.getMessage();
        int sql = text.lastIndexOf(" [SQL: ");
        text = sql >= 0 ? text.substring(0, sql) : text;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\[\\w+\\] [^(]*\\((.*)\\)$",
                java.util.regex.Pattern.DOTALL).matcher(text);
        return m.matches() ? m.group(1) : text;
    }

    /** As the Python script strips a statement: surrounding newlines only. */
    private static String strip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '\n') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '\n') {
            e--;
        }
        return s.substring(b, e);
    }

    /** A call with VACUUM's temporary schema named as SQLite 3.40 names it. */
    private static String vacuumDb(String call) {
        return call.replaceAll("\\bvacuum_[0-9a-f]{16}\\b", "vacuum_db");
    }

    private static String py(String s) {
        return s == null ? "None" : s;
    }

    private static String show(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[]) {
            return "x" + HexFormat.of().formatHex((byte[]) v);
        }
        return v.toString();
    }

    private List<String> runPython(Path script, Path setup, Path corpus) throws Exception {
        ProcessBuilder b = new ProcessBuilder("python3", script.toString(), setup.toString(), corpus.toString(),
                dbs().toString()).redirectErrorStream(true);
        if (REFERENCE != null) {
            assertThat(Path.of(REFERENCE, "libsqlite3.so.0")).as("AIOSQLITE4J_REFERENCE_SQLITE: the"
                    + " directory native/reference-sqlite.sh built").isRegularFile();
            b.environment().put("LD_LIBRARY_PATH", REFERENCE);
        }
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("python3 exit status; its output:\n" + output).isZero();
        return output.lines().toList();
    }

    private static Map<String, List<String>> byStatement(List<String> lines) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("# ")) {
                current = new ArrayList<>();
                m.put(line, current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return m;
    }

    /** Where statement i's ATTACH and VACUUM INTO write: dbs()/i. */
    private Path dbs() throws IOException {
        return Files.createDirectories(dir.resolve("db"));
    }

    private Path resource(String name) throws IOException {
        Path target = Files.createDirectories(dir.resolve("res")).resolve(name);
        try (InputStream in = AuthorizerDifferentialTest.class.getResourceAsStream("/authorizer/" + name)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

}
