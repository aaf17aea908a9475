package io.alicloudauth.token;

import java.util.Map;

/**
 * What renewal asks of the auth method (Vault's {@code AuthRenew}): does the token's role still exist and still
 * admit the caller it was issued to? Answers the role's current lifetime terms, or throws an API error.
 */
public interface RenewalCheck {

    record Terms(long ttl, long maxTtl, long period) {
    }

    Terms check(String roleName, Map<String, String> metadata);
}
