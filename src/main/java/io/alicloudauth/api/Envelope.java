package io.alicloudauth.api;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Vault's success body: every key present, {@code null} where empty, as {@code logical.HTTPResponse}. */
@RegisterForReflection
public record Envelope(
        @JsonProperty("request_id") String requestId,
        @JsonProperty("lease_id") String leaseId,
        @JsonProperty("renewable") boolean renewable,
        @JsonProperty("lease_duration") long leaseDuration,
        @JsonProperty("data") Object data,
        @JsonProperty("wrap_info") Object wrapInfo,
        @JsonProperty("warnings") List<String> warnings,
        @JsonProperty("auth") Object auth,
        @JsonProperty("mount_type") String mountType) {

    public static Envelope data(Object data) {
        return new Envelope(UUID.randomUUID().toString(), "", false, 0, data, null, null, null, "alicloud");
    }

    /** A write that stored what it was sent but has something to say: 200 with {@code data: null}. */
    public static Envelope warnings(List<String> warnings) {
        return new Envelope(UUID.randomUUID().toString(), "", false, 0, null, null, warnings, null, "alicloud");
    }

    public static Envelope auth(Object auth) {
        return new Envelope(UUID.randomUUID().toString(), "", false, 0, null, null, null, auth, "alicloud");
    }
}
