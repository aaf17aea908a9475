package io.alicloudauth.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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
 * rewrite sparse chunks, move chunks to close gaps, and {@code RETENTION_TIME 0} so that freed space is reused at
 * once rather than after 45 seconds; every second (the scheduler's shortest period). It also forces the file to
 * disk ({@code fsync}) on the same schedule, which H2
 * never does between checkpoints. Runs before anything writes, whatever JDBC URL the operator gives; does nothing
 * on PostgreSQL or an in-memory H2.
 */
@ApplicationScoped
public class H2Store {

    private static final Logger LOG = Logger.getLogger(H2Store.class);

    /** H2's own thresholds: below this file fill rate chunks are moved; below the chunk one they are rewritten. */
    static final int FILE_FILL_RATE = 90;
    static final int CHUNK_FILL_RATE = 81;

    private final AgroalDataSource dataSource;
    private final boolean file;
    private volatile boolean started;

    public H2Store(AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
        this.dataSource = dataSource;
        this.file = jdbcUrl.startsWith("jdbc:h2:file:") || jdbcUrl.startsWith("jdbc:h2:./") || jdbcUrl.startsWith("jdbc:h2:~");
    }

    void onStart(@Observes @Priority(1) StartupEvent event) throws SQLException {
        if (!file) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
            statement.execute("SET RETENTION_TIME 0");
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

    /** One round of what H2's background thread does when the store is busy, then an fsync. */
    static void housekeeping(MVStore store) {
        if (store.isClosed()) {
            return;
        }
        FileStore<?> fileStore = store.getFileStore();
        int batch = store.getAutoCommitMemory();
        if (fileStore instanceof RandomAccessStore randomAccess && fileStore.getFillRate() < FILE_FILL_RATE) {
            randomAccess.compactMoveChunks(101, 2L * batch, store);
        }
        store.compact(CHUNK_FILL_RATE, batch / 4);
        store.sync();
    }

    static MVStore store(Connection connection) throws SQLException {
        return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }
}
