package io.alicloudauth.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Cidrs;
import io.alicloudauth.api.Text;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Write-through: login tokens minted in Vault ({@link ExternalIssuer}), of which only the accessor and the login
 * record are kept here ({@link WriteThroughToken}); the rules that keep a CIDR-bound role from getting an unbound
 * Vault token; and revocation in Vault, one by one or per role.
 */
@ApplicationScoped
public class WriteThroughTokens {

    private static final Logger LOG = Logger.getLogger(WriteThroughTokens.class);
    private static final Pattern TOKEN_ROLE_NAME = Pattern.compile("\\w(?:[\\w.-]{0,254}\\w)?");

    private final ExternalIssuer external;
    private final ObjectMapper json;

    public WriteThroughTokens(ExternalIssuer external, ObjectMapper json) {
        this.external = external;
        this.json = json;
    }

    /**
     * Write-through: Vault mints the token; we keep its accessor and the login record. If the record cannot be
     * stored, the token is revoked again in Vault so that no login is left half-done.
     */
    AuthView issue(IssueRequest request) {
        AuthView minted = external.issue(request);
        long now = Instant.now().getEpochSecond();
        WriteThroughToken record = new WriteThroughToken();
        record.accessor = minted.accessor();
        record.roleName = request.roleName();
        record.meta = toJson(request.metadata());
        record.displayName = request.displayName();
        record.creationTime = now;
        record.expireTime = now + minted.leaseDuration();
        record.maxExpireTime = !minted.renewable() ? record.expireTime
                : Math.max(record.expireTime, now + (request.maxTtl() > 0 ? request.maxTtl() : Purge.VAULT_DEFAULT_MAX_TTL));
        record.bindingVersion = request.bindingVersion();
        try {
            QuarkusTransaction.requiringNew().run(record::persist);
        } catch (RuntimeException e) {
            try {
                external.revokeAccessor(minted.accessor());
            } catch (RuntimeException revokeFailed) {
                LOG.errorf("a Vault token (accessor %s) was minted but could not be recorded or revoked",
                        minted.accessor());
            }
            throw e;
        }
        return minted;
    }

    /**
     * The {@code vault_token_role} field as sent (trimmed): empty (none) or a Vault token role name; a 400 otherwise.
     * A role's and the mount's field alike.
     */
    public static Optional<String> tokenRoleField(Body body) {
        Optional<String> name = body.string("vault_token_role").map(String::trim);
        if (name.isPresent() && !name.get().isEmpty() && !TOKEN_ROLE_NAME.matcher(name.get()).matches()) {
            throw Body.invalid("vault_token_role", "\"" + Text.shorten(name.get()) + "\" is not a Vault token role name");
        }
        return name;
    }

    /** Whether login tokens are minted in Vault (write-through). */
    public boolean enabled() {
        return external.enabled();
    }

    /**
     * Why write-through cannot issue a token for a role bound to these CIDRs, or null when it can (or is off):
     * {@code auth/token/create-orphan} cannot bind a token to addresses, so it would be usable from anywhere; a Vault
     * token role with {@code token_bound_cidrs} can.
     */
    public String cannotBind(List<String> boundCidrs, String vaultTokenRole) {
        if (!external.enabled() || boundCidrs.isEmpty() || (vaultTokenRole != null && !vaultTokenRole.isEmpty())) {
            return null;
        }
        return "with write-through, a role with token_bound_cidrs needs a vault_token_role whose token_bound_cidrs"
                + " bind the Vault token (auth/token/create-orphan cannot carry CIDRs)";
    }

    /**
     * With write-through, checks that the Vault token role binds its tokens inside the role's CIDRs: a non-empty
     * {@code token_bound_cidrs}, each block within one of {@code boundCidrs}. A 400 saying what differs otherwise.
     * Checked when a role is written; a token role changed in Vault later is not seen.
     */
    public void checkTokenRoleBinding(List<String> boundCidrs, String vaultTokenRole) {
        if (!external.enabled() || boundCidrs.isEmpty() || vaultTokenRole == null || vaultTokenRole.isEmpty()) {
            return;
        }
        checkBinding(external.tokenRoleBoundCidrs(vaultTokenRole), boundCidrs, vaultTokenRole, "");
    }

    /**
     * With write-through, checks a mount-level token role against every role that relies on it (CIDR-bound roles
     * without a token role of their own, by name): the same rule as {@link #checkTokenRoleBinding}, so that
     * changing the mount's token role cannot widen where a bound role's tokens work. Also a 400 when Vault has no
     * such token role.
     */
    public void checkMountTokenRole(String vaultTokenRole, Map<String, List<String>> reliantRoles) {
        if (!external.enabled() || vaultTokenRole == null || vaultTokenRole.isEmpty()) {
            return;
        }
        List<String> inVault = external.tokenRoleBoundCidrs(vaultTokenRole);
        reliantRoles.forEach((role, cidrs) -> checkBinding(inVault, cidrs, vaultTokenRole, "role " + role + ": "));
    }

    private static void checkBinding(List<String> inVault, List<String> boundCidrs, String vaultTokenRole,
            String which) {
        List<String> outside = inVault.stream().filter(c -> !Cidrs.within(c, boundCidrs)).toList();
        if (inVault.isEmpty() || !outside.isEmpty()) {
            throw ApiException.badRequest("vault_token_role: " + which + "Vault's token role \"" + vaultTokenRole
                    + "\" binds its tokens to " + inVault + ", not inside token_bound_cidrs " + boundCidrs
                    + ": set its token_bound_cidrs in Vault (auth/token/roles/" + vaultTokenRole + ")");
        }
    }

    /** Revokes, in Vault, every write-through token a role issued, then forgets them. Local tokens stay. */
    public void revokeAll(String roleName) {
        revokeOlderThan(roleName, Long.MAX_VALUE);
    }

    /**
     * Revokes, in Vault, the write-through tokens a role issued under a binding older than {@code bindingVersion};
     * answers how many. Stops at the first that Vault will not revoke (the rest stay recorded, for the next try).
     */
    public int revokeOlderThan(String roleName, long bindingVersion) {
        List<String> accessors = QuarkusTransaction.requiringNew().call(() -> WriteThroughToken
                .<WriteThroughToken>list("roleName = ?1 and bindingVersion < ?2", roleName, bindingVersion).stream()
                .map(t -> t.accessor).toList());
        for (String accessor : accessors) {
            revoke(accessor);
        }
        return accessors.size();
    }

    /** Revokes a write-through token by accessor; false if no such login record exists. */
    public boolean revoke(String accessor) {
        if (accessor == null || QuarkusTransaction.requiringNew()
                .call(() -> WriteThroughToken.findById(accessor) == null)) {
            return false;
        }
        external.revokeAccessor(accessor);
        QuarkusTransaction.requiringNew().run(() -> WriteThroughToken.deleteById(accessor));
        return true;
    }

    private String toJson(Map<String, String> metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
