package io.alicloudauth.token;

import java.util.List;
import java.util.Map;

/**
 * What a login asks {@link TokenService} to issue: the role's token terms and the caller's metadata.
 *
 * @param tokenType the role's {@code token_type}: {@code default}, {@code service} or {@code batch}
 * @param vaultTokenRole with write-through, the Vault token role to mint with; empty for an orphan token
 * @param bindingVersion the role's binding version at login, kept with a write-through token's record
 * @param entityAlias the caller's alias (per the mount's {@code alias_source}): with a Vault token role, the entity
 *        alias the token is minted with
 */
public record IssueRequest(
        String roleName,
        List<String> policies,
        boolean noDefaultPolicy,
        Map<String, String> metadata,
        String displayName,
        String entityId,
        String tokenType,
        long ttl,
        long maxTtl,
        long explicitMaxTtl,
        long period,
        int numUses,
        List<String> boundCidrs,
        String vaultTokenRole,
        long bindingVersion,
        String entityAlias) {
}
