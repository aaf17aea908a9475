package io.alicloudauth.cli;

import java.time.Instant;

/**
 * An access key, its secret and, for STS credentials, a security token and when they expire (null when unknown or
 * static); {@code source} names where they came from, as Alibaba's SDKs name providers
 * ({@code default/env}, {@code default/cli_profile/ram_role_arn/static_ak}, ...). {@code toString} hides the secrets.
 */
public record Credentials(String accessKeyId, String accessKeySecret, String securityToken, Instant expiration,
        String source) {

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + " from " + source + "]";
    }
}
