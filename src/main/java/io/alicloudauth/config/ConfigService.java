package io.alicloudauth.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.alicloudauth.api.Body;
import io.alicloudauth.api.Text;
import io.alicloudauth.api.Transactions;

/** Reads and merges the mount configuration. */
@ApplicationScoped
public class ConfigService {

    static final Set<String> FIELDS = Set.of("sts_endpoint", "sts_timeout", "alias_source");
    /** {@code principal_id} (Vault's), {@code role_arn}, {@code arn}, {@code principal_immutable_id}. */
    public static final Set<String> ALIAS_SOURCES = Set.of("principal_id", "role_arn", "arn", "principal_immutable_id");
    static final long MAX_STS_TIMEOUT = 300;

    /** The effective configuration; defaults when none was ever written. */
    public record Settings(String stsEndpoint, Duration stsTimeout, String aliasSource) {
    }

    @Transactional
    public Settings current() {
        MountConfig config = MountConfig.findById(1);
        return config == null ? new Settings("", Duration.ofSeconds(MountConfig.DEFAULT_STS_TIMEOUT), "principal_id")
                : new Settings(config.stsEndpoint, Duration.ofSeconds(config.stsTimeout), config.aliasSource);
    }

    /** Merges the sent fields after validating all of them; answers the names it ignored. */
    public List<String> write(Body body) {
        String endpoint = body.string("sts_endpoint").map(String::trim).orElse(null);
        if (endpoint != null && !endpoint.isEmpty()) {
            String problem = StsEndpoint.problem(endpoint);
            if (problem != null) {
                throw Body.invalid("sts_endpoint", problem);
            }
        }
        Long timeout = body.duration("sts_timeout").orElse(null);
        if (timeout != null && (timeout < 1 || timeout > MAX_STS_TIMEOUT)) {
            throw Body.invalid("sts_timeout", "must be between 1s and " + MAX_STS_TIMEOUT + "s");
        }
        String aliasSource = body.string("alias_source").map(String::trim).orElse(null);
        if (aliasSource != null && !ALIAS_SOURCES.contains(aliasSource)) {
            throw Body.invalid("alias_source", "must be principal_id, role_arn, arn or principal_immutable_id");
        }
        Transactions.write(() -> {
            MountConfig config = MountConfig.findById(1);
            if (config == null) {
                config = new MountConfig();
                config.persist();
            }
            if (endpoint != null) {
                config.stsEndpoint = endpoint;
            }
            if (timeout != null) {
                config.stsTimeout = timeout;
            }
            if (aliasSource != null) {
                config.aliasSource = aliasSource;
            }
            return config;
        });
        List<String> ignored = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                ignored.add(Text.shorten(f));
            }
        }
        return ignored;
    }
}
