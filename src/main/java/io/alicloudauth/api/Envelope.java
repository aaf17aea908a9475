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

    /**
     * The body of Vault's older {@code sys/} answers ({@code sys/auth}, {@code sys/policy}, {@code sys/capabilities}):
     * the data at the top level and again under {@code data}, with the envelope's other keys.
     */
    public static java.util.Map<String, Object> withDataAtTopLevel(java.util.Map<String, Object> data) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>(data);
        body.put("request_id", UUID.randomUUID().toString());
        body.put("lease_id", "");
        body.put("renewable", false);
        body.put("lease_duration", 0);
        body.put("data", data);
        body.put("wrap_info", null);
        body.put("warnings", null);
        body.put("auth", null);
        return body;
    }

    /** Data (or null) and warnings (or null) from the mount of type {@code mountType} ({@code identity}, say). */
    public static Envelope of(Object data, List<String> warnings, String mountType) {
        return new Envelope(UUID.randomUUID().toString(), "", false, 0, data, null,
                warnings == null || warnings.isEmpty() ? null : warnings, null, mountType);
    }

    public static Envelope auth(Object auth) {
        return new Envelope(UUID.randomUUID().toString(), "", false, 0, null, null, null, auth, "alicloud");
    }
}
