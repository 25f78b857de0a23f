package io.github.aiosqlite4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows read many at a time (the native batch reader) against the same rows read by plain
 * sqlite-jdbc, one value at a time: every storage class, texts with multi-byte, supplementary and
 * NUL characters, empty values, rows larger than the batch's heap (read alone), a UTF-16
 * database; through every way of fetching (all at once, mapped, cursors at several chunk sizes).
 */
final class RowBatchTest {
    @TempDir
    Path dir;

    @Test
    void everyValueReadsAsSqliteJdbcReadsIt_atEveryFetchSize() throws Exception {
        Path file = dir.resolve("values.db");
        List<List<Object>> expected = fill(file, "UTF-8", 3_000, new Random(20261205));
        assertReadsBack(file, expected);
    }

    @Test
    void aUtf16DatabaseReadsTheSameTexts() throws Exception {
        Path file = dir.resolve("utf16.db");
        List<List<Object>> expected = fill(file, "UTF-16le", 500, new Random(7));
        assertReadsBack(file, expected);
    }

    /** Reads file's table t through aiosqlite4j in every fetch mode and compares with expected. */
    private static void assertReadsBack(Path file, List<List<Object>> expected) throws Exception {
        String sql = "select * from t order by rowid";
        try (AsyncConnection db = AioSqlite.connect(file.toString()).get()) {
            assertSame(db.executeFetchAll(sql).join(), expected, "executeFetchAll");
            List<List<Object>> mapped = db.executeFetchAll(sql, Row::values).join();
            assertThat(mapped).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertValues(mapped.get(i), expected.get(i), "mapped row " + i);
            }
            for (int chunk : new int[] {1, 3, 64, 500, 5_000}) {
                AsyncCursor cursor = db.execute(sql).join();
                List<Row> rows = new ArrayList<>();
                for (List<Row> some = cursor.fetchMany(chunk).join(); !some.isEmpty();
                        some = cursor.fetchMany(chunk).join()) {
                    assertThat(some.size()).isLessThanOrEqualTo(chunk);
                    rows.addAll(some);
                }
                cursor.closeAsync().join();
                assertSame(rows, expected, "fetchMany(" + chunk + ")");
            }
        }
    }

    private static void assertSame(List<Row> rows, List<List<Object>> expected, String how) {
        assertThat(rows).as(how).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertValues(rows.get(i).values(), expected.get(i), how + ", row " + i);
        }
    }

    private static void assertValues(List<Object> actual, List<Object> expected, String where) {
        assertThat(actual).as(where).hasSameSizeAs(expected);
        for (int c = 0; c < expected.size(); c++) {
            Object e = expected.get(c);
            Object a = actual.get(c);
            if (e instanceof byte[]) {
                assertThat(a).as(where + ", column " + c).isInstanceOf(byte[].class);
                assertThat(Arrays.equals((byte[]) a, (byte[]) e)).as(where + ", column " + c).isTrue();
            } else {
                assertThat(a).as(where + ", column " + c).isEqualTo(e);
            }
        }
    }

    /**
     * Creates table t (five columns without affinity, so each value keeps its own storage class)
     * with random values written by plain sqlite-jdbc, and returns them as plain sqlite-jdbc reads
     * them back (integers as Long).
     */
    private static List<List<Object>> fill(Path file, String encoding, int rows, Random random)
            throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("pragma encoding = '" + encoding + "'");
                s.execute("create table t (a, b, c, d, e)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into t values (?, ?, ?, ?, ?)")) {
                for (int r = 0; r < rows; r++) {
                    // Now and then a row too large for the batch's heap, whole (one value) or in sum.
                    int big = random.nextInt(200) == 0 ? 300_000 : random.nextInt(200) == 0 ? 90_000 : 0;
                    for (int col = 1; col <= 5; col++) {
                        bind(insert, col, random, big);
                    }
                    insert.executeUpdate();
                }
            }
            c.commit();
            List<List<Object>> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from t order by rowid")) {
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int col = 1; col <= 5; col++) {
                        Object v = rs.getObject(col);
                        row.add(v instanceof Integer ? Long.valueOf((Integer) v) : v);
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement ps, int col, Random random, int big) throws Exception {
        int kind = random.nextInt(5);
        if (big > 0 && random.nextBoolean()) {
            kind = random.nextBoolean() ? 2 : 3;
        }
        switch (kind) {
            case 0:
                long[] edges = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE + 1L};
                ps.setLong(col, random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextLong());
                break;
            case 1:
                double[] reals = {0.5, -1e308, 4.9e-324, 1.0 / 3, 123456789.125};
                ps.setDouble(col, random.nextBoolean() ? reals[random.nextInt(reals.length)]
                        : random.nextGaussian() * 1e6);
                break;
            case 2:
                ps.setString(col, text(random, big > 0 ? big : random.nextInt(20) == 0 ? 3_000 : random.nextInt(40)));
                break;
            case 3:
                byte[] b = new byte[big > 0 ? big : random.nextInt(10) == 0 ? 0 : random.nextInt(300)];
                random.nextBytes(b);
                ps.setBytes(col, b);
                break;
            default:
                ps.setNull(col, java.sql.Types.NULL);
                break;
        }
    }

    /** A string of n code points: ASCII, two- and three-byte, supplementary, and NUL. */
    private static String text(Random random, int n) {
        StringBuilder sb = new StringBuilder();
        int[] samples = {'a', 'Z', ' ', 0, 0xE9, 0x416, 0x20AC, 0x4E2D, 0x1F600, 0x10348};
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(random.nextInt(4) == 0 ? samples[random.nextInt(samples.length)]
                    : 'a' + random.nextInt(26));
        }
        return sb.toString();
    }
}
