package io.alicloudauth.token;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/** The purge's meters: runs by outcome, and rows removed by kind; registered at start, so that they show at 0. */
@Startup
@ApplicationScoped
public class PurgeMetrics {

    private final Counter done;
    private final Counter failed;
    private final Counter tokens;
    private final Counter records;
    /** Rows stored, as the last purge counted them (NaN until it has run). */
    private volatile double storedTokens = Double.NaN;
    private volatile double storedRecords = Double.NaN;

    public PurgeMetrics(MeterRegistry registry) {
        done = Counter.builder("alicloud_auth_purge_runs").tag("outcome", "done")
                .description("Purges of expired tokens and write-through login records").register(registry);
        failed = Counter.builder("alicloud_auth_purge_runs").tag("outcome", "failed")
                .description("Purges of expired tokens and write-through login records").register(registry);
        tokens = Counter.builder("alicloud_auth_purge_removed").tag("kind", "token")
                .description("Rows the purge removed").register(registry);
        records = Counter.builder("alicloud_auth_purge_removed").tag("kind", "write_through_record")
                .description("Rows the purge removed").register(registry);
        Gauge.builder("alicloud_auth_stored_tokens", this, m -> m.storedTokens).tag("kind", "token")
                .description("Rows in the store after the last purge (counted by the purge, never per login)")
                .register(registry);
        Gauge.builder("alicloud_auth_stored_tokens", this, m -> m.storedRecords).tag("kind", "write_through_record")
                .description("Rows in the store after the last purge (counted by the purge, never per login)")
                .register(registry);
    }

    void stored(long tokens, long records) {
        storedTokens = tokens;
        storedRecords = records;
    }

    void ran(Purge.Removed removed) {
        done.increment();
        tokens.increment(removed.tokens());
        records.increment(removed.records());
    }

    void failed() {
        failed.increment();
    }
}
