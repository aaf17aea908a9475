package io.alicloudauth.token;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The {@code auth} block of a login or renewal answer, as Vault's. */
@RegisterForReflection
public record AuthView(
        @JsonProperty("client_token") String clientToken,
        @JsonProperty("accessor") String accessor,
        @JsonProperty("policies") List<String> policies,
        @JsonProperty("token_policies") List<String> tokenPolicies,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("lease_duration") long leaseDuration,
        @JsonProperty("renewable") boolean renewable,
        @JsonProperty("entity_id") String entityId,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("orphan") boolean orphan,
        @JsonProperty("mfa_requirement") Object mfaRequirement,
        @JsonProperty("num_uses") int numUses) {
}
