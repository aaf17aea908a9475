package io.alicloudauth.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.persistence.EntityManager;

import io.agroal.api.AgroalDataSource;

/**
 * A change counter in a one-row table ({@code id = 1, epoch}), for state every instance caches in memory and must
 * drop as soon as any instance changes it. When another process may write the database (PostgreSQL, or an H2 opened
 * with {@code AUTO_SERVER}) the counter is read from it; the embedded H2 is locked by this process, so every change
 * is made here and a counter in memory is enough.
 */
public final class Epoch {

    private final AgroalDataSource dataSource;
    private final String table;
    private final boolean shared;
    private final AtomicLong local = new AtomicLong();

    public Epoch(AgroalDataSource dataSource, String jdbcUrl, String table) {
        this.dataSource = dataSource;
        this.table = table;
        this.shared = !jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }

    /** Whether other processes may change this database. */
    public boolean shared() {
        return shared;
    }

    /** The counter now; a 503 when the database cannot be read (never a stale answer). */
    public long current() {
        if (!shared) {
            return local.get();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select epoch from " + table + " where id = 1");
                ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw ApiException.unavailable("storage unavailable, try again later");
            }
            return r.getLong(1);
        } catch (SQLException e) {
            throw new ApiException(503, "storage unavailable, try again later", e);
        }
    }

    /** Counts a change, in the caller's transaction; call {@link #changed()} once it has committed. */
    public void bump(EntityManager entities) {
        entities.createNativeQuery("update " + table + " set epoch = epoch + 1 where id = 1").executeUpdate();
    }

    /** After a committed change: this process's own counter moves too. */
    public void changed() {
        local.incrementAndGet();
    }
}
