package io.alicloudauth.token;

/**
 * Where tokens are minted when write-through is on (a real Vault or OpenBao). Implemented in {@code vault/};
 * failures are API errors (503) and leave nothing behind in the external store.
 */
public interface ExternalIssuer {

    boolean enabled();

    /** Mints a token for the login; answers Vault's auth block, Vault's token included. */
    AuthView issue(IssueRequest request);

    /** Revokes a token in the external store; an accessor the store no longer knows counts as revoked. */
    void revokeAccessor(String accessor);

    /**
     * The {@code token_bound_cidrs} of a Vault token role, as Vault reports them (empty when it binds nothing); a
     * 400 when the role does not exist, a 503 when Vault cannot say.
     */
    java.util.List<String> tokenRoleBoundCidrs(String tokenRole);
}
