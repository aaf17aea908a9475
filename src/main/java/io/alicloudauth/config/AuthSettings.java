package io.alicloudauth.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Every {@code alicloud-auth.*} setting; each is also an environment variable ({@code ALICLOUD_AUTH_...}). */
@ConfigMapping(prefix = "alicloud-auth")
public interface AuthSettings {

    /**
     * The root (admin) token, {@code ALICLOUD_AUTH_ROOT_TOKEN}: at least 16 characters. When unset, the service
     * generates one at its first start, keeps only its hash in the database and prints it once on standard output.
     */
    Optional<String> rootToken();
}
