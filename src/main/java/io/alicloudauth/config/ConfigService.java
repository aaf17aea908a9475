package io.alicloudauth.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.alicloudauth.api.Body;
import io.alicloudauth.api.Text;
import io.alicloudauth.api.Transactions;
import io.alicloudauth.role.Role;
import io.alicloudauth.token.WriteThroughTokens;

/** Reads and merges the mount configuration. */
@ApplicationScoped
public class ConfigService {

    static final Set<String> FIELDS = Set.of("sts_endpoint", "sts_timeout", "alias_source", "vault_token_role",
            "server_id");

    private final WriteThroughTokens writeThrough;

    public ConfigService(WriteThroughTokens writeThrough) {
        this.writeThrough = writeThrough;
    }
    /** {@code principal_id} (Vault's), {@code role_arn}, {@code arn}, {@code principal_immutable_id}. */
    public static final Set<String> ALIAS_SOURCES = Set.of("principal_id", "role_arn", "arn", "principal_immutable_id");
    static final long MAX_STS_TIMEOUT = 300;

    /** The effective configuration; defaults when none was ever written. */
    public record Settings(String stsEndpoint, Duration stsTimeout, String aliasSource, String vaultTokenRole,
            String serverId) {

        /** The Vault token role a role mints with: its own, else the mount's; empty for an orphan token. */
        public String tokenRoleFor(String rolesOwn) {
            return rolesOwn != null && !rolesOwn.isEmpty() ? rolesOwn : vaultTokenRole;
        }
    }

    @Transactional
    public Settings current() {
        MountConfig config = MountConfig.findById(1);
        return config == null
                ? new Settings("", Duration.ofSeconds(MountConfig.DEFAULT_STS_TIMEOUT), "principal_id", "", "")
                : new Settings(config.stsEndpoint, Duration.ofSeconds(config.stsTimeout), config.aliasSource,
                        config.vaultTokenRole, config.serverId);
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
        String tokenRole = WriteThroughTokens.tokenRoleField(body).orElse(null);
        String serverId = body.string("server_id").map(String::trim).orElse(null);
        if (serverId != null && (serverId.length() > 255 || serverId.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            throw Body.invalid("server_id", "at most 255 printable ASCII characters, no spaces (an https URL or a host"
                    + " name of your choosing)");
        }
        Transactions.write(() -> {
            if (tokenRole != null && !tokenRole.isEmpty()) {
                // Checked inside the write, so that a role written meanwhile is seen by one check or the other.
                writeThrough.checkMountTokenRole(tokenRole, Role.<Role>list("vaultTokenRole = '' and tokenBoundCidrs <> ''")
                        .stream().collect(Collectors.toMap(r -> r.name, Role::boundCidrs)));
            }
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
            if (tokenRole != null) {
                config.vaultTokenRole = tokenRole;
            }
            if (serverId != null) {
                config.serverId = serverId;
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
