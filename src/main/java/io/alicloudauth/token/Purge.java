package io.alicloudauth.token;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Vault's expiration manager and {@code auth/token/tidy}, for what this service stores: expired local tokens, and
 * write-through login records whose token can no longer live in Vault. Deletes in batches of {@link #BATCH} rows,
 * each its own short transaction, so that a backlog never holds locks that logins wait for. Several instances may
 * purge one database at once: a row deleted by another is simply not counted.
 */
@ApplicationScoped
public class Purge {

    private static final Logger LOG = Logger.getLogger(Purge.class);
    static final int BATCH = 1000;
    /** Vault's default max TTL (768h), the longest a write-through token without a role max TTL can be renewed to. */
    static final long VAULT_DEFAULT_MAX_TTL = 768L * 3600;

    private static final String TOKENS = "delete from auth_token where token_hash in (select token_hash from auth_token"
            + " where expire_time <= ?1 order by expire_time fetch first " + BATCH + " rows only)";
    private static final String RECORDS = "delete from vault_token where accessor in (select accessor from vault_token"
            + " where max_expire_time <= ?1 order by max_expire_time fetch first " + BATCH + " rows only)";

    private final AtomicBoolean running = new AtomicBoolean();
    private final PurgeMetrics metrics;

    public Purge(PurgeMetrics metrics) {
        this.metrics = metrics;
    }

    /** What one purge removed. */
    public record Removed(long tokens, long records) {
    }

    @Scheduled(identity = "token-purge", every = "${alicloud-auth.purge.interval}",
            delayed = "${alicloud-auth.purge.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }

    /** One purge, now; empty when one is already running on this instance. */
    public Optional<Removed> run() {
        if (!running.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            long now = Instant.now().getEpochSecond();
            Removed removed = new Removed(drain(TOKENS, now), drain(RECORDS, now));
            metrics.ran(removed);
            metrics.stored(count("auth_token"), count("vault_token"));
            if (removed.tokens() + removed.records() > 0) {
                LOG.infof("purge: removed %d expired tokens and %d write-through login records", removed.tokens(),
                        removed.records());
            }
            return Optional.of(removed);
        } catch (RuntimeException e) {
            metrics.failed();
            LOG.warnf("purge failed: %s", e.getMessage());
            return Optional.empty();
        } finally {
            running.set(false);
        }
    }

    /** A table's rows, once per purge (an operator sees the purge keep the store flat). */
    private static long count(String table) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager()
                .createNativeQuery("select count(*) from " + table).getSingleResult()).longValue());
    }

    private static long drain(String delete, long now) {
        long total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                    .createNativeQuery(delete).setParameter(1, now).executeUpdate());
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
