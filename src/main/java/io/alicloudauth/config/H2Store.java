package io.alicloudauth.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The embedded H2 store in a file: every commit written before it is acknowledged, and the file kept compact.
 * <p>
 * {@code SET WRITE_DELAY 0} (a persistent setting) makes H2 write each commit as it happens: otherwise it writes up
 * to half a second later, and a killed process would lose roles or tokens it had already confirmed. But H2 then
 * stops its background thread, and with it all housekeeping: no chunk is ever rewritten or moved, the file grows by
 * tens of kilobytes per login and every commit gets dearer as the chunk list grows (2 GB and twice the CPU per login
 * after 90,000 logins, measured). So this bean does H2's housekeeping itself, as H2's background thread would:
 * free the chunks the last commit emptied, rewrite sparse chunks, move chunks to close gaps (only when the file is
 * half empty, {@link #FILE_FILL_RATE}), and {@code RETENTION_TIME 0} so that freed space is reused at once rather
 * than after 45 seconds; every second (the scheduler's shortest period). It also forces the file to disk
 * ({@code fsync}) on the same schedule, which H2 never does between checkpoints, and sizes H2's page cache to the
 * heap ({@link #cacheSizeKb}). Runs before anything writes, whatever JDBC URL the operator gives; does nothing on
 * PostgreSQL or an in-memory H2.
 */
@ApplicationScoped
public class H2Store {

    private static final Logger LOG = Logger.getLogger(H2Store.class);

    /**
     * Chunks are moved to close the file's gaps only when it is less than half full: after a purge of many tokens,
     * not in steady use. H2's own threshold (90) moved chunks in most rounds of a busy hour (the file stays 50-89%
     * full under load, its free space reused at once), and each move stalled every commit for 70-730 ms, its fsyncs
     * under the store's lock (README, Performance, eighth pass).
     */
    static final int FILE_FILL_RATE = 50;
    /** H2's own threshold: chunks under this fill rate are rewritten. */
    static final int CHUNK_FILL_RATE = 81;

    private final AgroalDataSource dataSource;
    private final Optional<Path> file;
    private final boolean urlSetsCacheSize;
    private final boolean strict;
    private volatile boolean started;

    public H2Store(AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            AuthSettings settings) {
        this.dataSource = dataSource;
        this.file = databaseFile(jdbcUrl);
        this.urlSetsCacheSize = jdbcUrl.toUpperCase(Locale.ROOT).contains(";CACHE_SIZE=");
        this.strict = settings.strict();
    }

    /**
     * The database file's path without H2's suffix ({@code ./data/alicloud-auth} for
     * {@code jdbc:h2:file:./data/alicloud-auth;...}), absolute; empty for PostgreSQL or an in-memory H2.
     */
    public static Optional<Path> databaseFile(String jdbcUrl) {
        String rest;
        if (jdbcUrl.startsWith("jdbc:h2:file:")) {
            rest = jdbcUrl.substring("jdbc:h2:file:".length());
        } else if (jdbcUrl.startsWith("jdbc:h2:./") || jdbcUrl.startsWith("jdbc:h2:~") || jdbcUrl.startsWith("jdbc:h2:/")) {
            rest = jdbcUrl.substring("jdbc:h2:".length());
        } else {
            return Optional.empty();
        }
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            rest = rest.substring(0, semicolon);
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Optional.of(Path.of(rest).toAbsolutePath().normalize());
    }

    void onStart(@Observes @Priority(1) StartupEvent event) throws SQLException {
        if (file.isEmpty()) {
            return;
        }
        ownerOnly(file.get(), holdsSecrets());
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
            statement.execute("SET RETENTION_TIME 0");
            if (!urlSetsCacheSize) {
                statement.execute("SET CACHE_SIZE " + cacheSizeKb(Runtime.getRuntime().maxMemory()));
            }
        }
        started = true;
    }

    @Scheduled(identity = "h2-housekeeping", every = "${alicloud-auth.h2.housekeeping-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void housekeeping() {
        if (!started) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            housekeeping(store(connection));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("H2 housekeeping skipped: %s", e.getMessage());
        }
    }

    /**
     * The database's directory 0700 and its files 0600: they hold token hashes, and (sealed) the service's secrets.
     * H2 creates them with the process's umask (0644 usually) before this runs, but nothing secret is written before
     * it: the secrets are made by later start-up steps. An earlier version's readable store is tightened, with a
     * warning; one that cannot be tightened stops a strict start.
     */
    void ownerOnly(Path database, boolean holdsSecrets) {
        Path directory = database.getParent();
        String prefix = database.getFileName().toString() + ".";
        List<String> loose = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            tighten(directory, PosixFilePermissions.fromString("rwx------"), loose, holdsSecrets);
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    || f.getFileName().toString().equals("seal.key")).toList()) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    tighten(f, PosixFilePermissions.fromString("rw-------"), loose, holdsSecrets);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            loose.add(directory + " (its permissions cannot be read or set)");
        }
        if (!loose.isEmpty() && strict) {
            throw new IllegalStateException("alicloud-auth refuses to start: the H2 store can be read by other users"
                    + " and cannot be made private: " + String.join(", ", loose) + ": chmod 700 " + directory
                    + " and chmod 600 its files as their owner. (ALICLOUD_AUTH_STRICT=false starts it anyway.)");
        }
        if (!loose.isEmpty()) {
            LOG.warnf("the H2 store can be read by other users: %s", String.join(", ", loose));
        }
    }

    private static void tighten(Path path, Set<PosixFilePermission> wanted, List<String> loose, boolean holdsSecrets) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (mode.equals(wanted) || wanted.containsAll(mode)) {
                return;
            }
            Files.setPosixFilePermissions(path, wanted);
            if (holdsSecrets) {
                LOG.warnf("%s was open to other users (%s): now %s. Secrets an earlier version kept there in clear"
                        + " may have been read: rotate them (vault operator rotate for batch tokens; a new root token)",
                        path, PosixFilePermissions.toString(mode), PosixFilePermissions.toString(wanted));
            } else {
                LOG.debugf("%s made private (%s)", path, PosixFilePermissions.toString(wanted));
            }
        } catch (IOException | UnsupportedOperationException e) {
            loose.add(path.toString());
        }
    }

    /** Whether the store held secrets before this start (an upgrade, or a restart), rather than being new. */
    private boolean holdsSecrets() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("select (select count(*) from batch_token_key)"
                        + " + (select count(*) from audit_key) + (select count(*) from root_token)")) {
            return rows.next() && rows.getLong(1) > 0;
        }
    }

    /**
     * H2's page cache in KiB for a heap of {@code maxHeap} bytes: 1/32 of it, from 1 to 16 MiB. H2's own choice is
     * larger, and under a small heap its churn is what fills the old generation: with the container's 56 MiB heap
     * and 32 logins in flight, 396-410 full collections in 40,000 logins (30-38 s of pauses) against 12-13 with a
     * 2 MiB cache, which also answered 740-796 logins/s against 393-484 (src/bench/memory.sh). A {@code CACHE_SIZE}
     * in the JDBC URL is the operator's and is left alone.
     */
    static long cacheSizeKb(long maxHeap) {
        return Math.max(1024, Math.min(16 * 1024, maxHeap / 32 / 1024));
    }

    /** One round of what H2's background thread does when the store is busy, then an fsync. */
    static void housekeeping(MVStore store) {
        if (store.isClosed()) {
            return;
        }
        FileStore<?> fileStore = store.getFileStore();
        int batch = store.getAutoCommitMemory();
        // H2 frees the chunks a commit emptied only at the next commit or before a move, and until then the fill rate
        // counts them as used. After a purge with no commit behind it (an idle service), the move waited for the fill
        // rate and the fill rate for a commit: the file kept its size. Freed here, under the locks H2's move takes.
        store.executeFilestoreOperation(fileStore::dropUnusedChunks);
        if (fileStore instanceof RandomAccessStore randomAccess && fileStore.getFillRate() < FILE_FILL_RATE) {
            randomAccess.compactMoveChunks(101, 2L * batch, store);
        }
        if (store.compact(CHUNK_FILL_RATE, batch / 4)) {
            // The rewritten pages are written now rather than with the next login's commit: an idle store frees its
            // sparse chunks too, and the file can then be moved together and shrink.
            store.commit();
        }
        store.sync();
    }

    static MVStore store(Connection connection) throws SQLException {
        return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }
}
