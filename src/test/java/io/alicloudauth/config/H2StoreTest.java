package io.alicloudauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 with a write per commit ({@code WRITE_DELAY 0}) and no housekeeping grows its file by tens of kilobytes per
 * commit; with {@link H2Store}'s housekeeping the same commits leave a file a fraction of that size, and every row
 * is still there after the database is closed and opened again.
 */
class H2StoreTest {

    private static final int ROWS = 2_000;
    private static final String META = "{\"account_id\":\"1234567890123456\",\"arn\":\"acs:ram::1234567890123456:"
            + "assumed-role/dev-role/session-%d\",\"principal_id\":\"300800165472234567:session-%d\"}";

    @TempDir
    Path dir;

    @Test
    void housekeepingKeepsTheFileSmallAndLosesNothing() throws Exception {
        long without = fill(dir.resolve("plain"), false);
        long with = fill(dir.resolve("kept"), true);
        assertTrue(with * 4 < without, "with housekeeping " + with + " bytes, without " + without);

        try (Connection connection = open(dir.resolve("kept")); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*), count(distinct meta) from t")) {
            rows.next();
            assertEquals(ROWS, rows.getInt(1));
            assertEquals(ROWS, rows.getInt(2));
        }
        try (Connection connection = open(dir.resolve("kept"));
                PreparedStatement read = connection.prepareStatement("select meta from t where id = ?")) {
            read.setString(1, "token-" + (ROWS - 1));
            try (ResultSet row = read.executeQuery()) {
                assertTrue(row.next());
                assertEquals(META.formatted(ROWS - 1, ROWS - 1), row.getString(1));
            }
        }
    }

    @Test
    void thePageCacheIsSizedToTheHeap() {
        assertEquals(1792, H2Store.cacheSizeKb(56L << 20), "the container's 56 MiB heap: under 2 MiB of pages");
        assertEquals(1024, H2Store.cacheSizeKb(16L << 20), "never under 1 MiB");
        assertEquals(16 * 1024, H2Store.cacheSizeKb(4L << 30), "never over 16 MiB");
        assertEquals(8 * 1024, H2Store.cacheSizeKb(256L << 20));
    }

    /**
     * Chunks are moved only when the file is less than half full, so not in steady use: a purge that leaves it mostly
     * empty makes the housekeeping rewrite the sparse chunks, then move the rest together and shrink the file, even
     * with no commit of its own in between, and nothing is lost.
     */
    @Test
    void aFileAPurgeLeftMostlyEmptyShrinks() throws Exception {
        Path base = dir.resolve("purged");
        long full;
        long purged;
        int fillRate;
        int rows = 20 * ROWS;
        try (Connection connection = open(base); Statement statement = connection.createStatement()) {
            insert(connection, true, rows, 100);
            full = Files.size(Path.of(base + ".mv.db"));
            statement.execute("delete from t where expire_time >= " + (1_800_000_000L + rows / 10));
            // Rounds as the scheduler runs them, but 10 ms apart rather than a second, until the file has shrunk, for
            // at most 20 s (in CI, 20 rounds back to back once ended before H2 had freed the rewritten chunks).
            for (int round = 0; round < 2_000; round++) {
                H2Store.housekeeping(H2Store.store(connection));
                if (Files.size(Path.of(base + ".mv.db")) * 4 < full * 3
                        && H2Store.store(connection).getFileStore().getFillRate() >= 90) {
                    break;
                }
                Thread.sleep(10);
            }
            fillRate = H2Store.store(connection).getFileStore().getFillRate();
            purged = Files.size(Path.of(base + ".mv.db"));
            try (ResultSet left = statement.executeQuery("select count(*), min(expire_time), max(expire_time) from t")) {
                left.next();
                assertEquals(rows / 10, left.getInt(1));
                assertEquals(1_800_000_000L, left.getLong(2));
                assertEquals(1_800_000_000L + rows / 10 - 1, left.getLong(3));
            }
        }
        // What H2 can free in an open store: about a third here. The chunks left are moved together, no gap between.
        assertTrue(purged * 4 < full * 3, "after the purge " + purged + " bytes, before " + full);
        assertTrue(fillRate >= 90, "the file is " + fillRate + "% chunks");
    }

    /** Commits ROWS token-like rows one by one; returns the size of the file while still open (closing compacts). */
    private long fill(Path base, boolean housekeeping) throws SQLException, IOException {
        try (Connection connection = open(base)) {
            insert(connection, housekeeping, ROWS, 1);
            return Files.size(Path.of(base + ".mv.db"));
        }
    }

    /** {@code rows} rows in commits of {@code perCommit}, the housekeeping between them every 50 rows if asked. */
    private static void insert(Connection connection, boolean housekeeping, int rows, int perCommit)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
            if (housekeeping) {
                statement.execute("SET RETENTION_TIME 0");
            }
            statement.execute("create table t (id varchar(64) primary key, accessor varchar(64) not null unique,"
                    + " meta varchar(8192) not null, expire_time bigint not null)");
            statement.execute("create index t_expire on t (expire_time)");
        }
        connection.setAutoCommit(perCommit == 1);
        try (PreparedStatement insert = connection.prepareStatement("insert into t values (?, ?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                insert.setString(1, "token-" + i);
                insert.setString(2, "accessor-" + Integer.toHexString(i * 7919));
                insert.setString(3, META.formatted(i, i));
                insert.setLong(4, 1_800_000_000L + i);
                insert.executeUpdate();
                if (perCommit > 1 && i % perCommit == perCommit - 1) {
                    connection.commit();
                }
                if (housekeeping && i % 50 == 0) {
                    H2Store.housekeeping(H2Store.store(connection));
                }
            }
        }
        connection.setAutoCommit(true);
    }

    private static Connection open(Path base) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + base, "sa", "");
    }
}
