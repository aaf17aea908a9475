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
     * empty makes the housekeeping free the chunks the purge's own commit emptied, rewrite the sparse ones, then move
     * the rest together and shrink the file, with no other commit in between, and nothing is lost.
     */
    @Test
    void aFileAPurgeLeftMostlyEmptyShrinks() throws Exception {
        int rows = 20 * ROWS;
        Purged purged = purge(dir.resolve("purged"), rows, "where expire_time >= " + (1_800_000_000L + rows / 10));
        try (Connection connection = open(dir.resolve("purged")); Statement statement = connection.createStatement();
                ResultSet left = statement.executeQuery("select count(*), min(expire_time), max(expire_time) from t")) {
            left.next();
            assertEquals(rows / 10, left.getInt(1));
            assertEquals(1_800_000_000L, left.getLong(2));
            assertEquals(1_800_000_000L + rows / 10 - 1, left.getLong(3));
        }
        // A tenth of the rows is left, in a file a tenth of its size or so, and nothing but chunks.
        assertTrue(purged.size * 4 < purged.full, "after the purge " + purged.size + " bytes, before " + purged.full);
        assertTrue(purged.fillRate >= 90, "the file is " + purged.fillRate + "% chunks");
    }

    /**
     * Every row purged: nothing live is left to rewrite, so no commit follows the purge's, and the chunks it emptied
     * are freed by the housekeeping alone (they once waited for the next login's commit: an idle store kept its size).
     */
    @Test
    void aFileAPurgeLeftEmptyShrinksToAlmostNothing() throws Exception {
        Purged purged = purge(dir.resolve("emptied"), 20 * ROWS, "");
        assertTrue(purged.size * 50 < purged.full, "after the purge " + purged.size + " bytes, before " + purged.full);
        try (Connection connection = open(dir.resolve("emptied")); Statement statement = connection.createStatement();
                ResultSet left = statement.executeQuery("select count(*) from t")) {
            left.next();
            assertEquals(0, left.getInt(1));
        }
    }

    private record Purged(long full, long size, int fillRate) {
    }

    /**
     * Fills {@code rows} rows in commits of 100, deletes those {@code where} picks in one statement, then runs ten
     * housekeeping rounds back to back, with no other commit; the file's size before and after, and its fill rate.
     */
    private static Purged purge(Path base, int rows, String where) throws SQLException, IOException {
        try (Connection connection = open(base); Statement statement = connection.createStatement()) {
            insert(connection, true, rows, 100);
            long full = Files.size(Path.of(base + ".mv.db"));
            statement.execute("delete from t " + where);
            for (int round = 0; round < 10; round++) {
                H2Store.housekeeping(H2Store.store(connection));
            }
            return new Purged(full, Files.size(Path.of(base + ".mv.db")),
                    H2Store.store(connection).getFileStore().getFillRate());
        }
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
