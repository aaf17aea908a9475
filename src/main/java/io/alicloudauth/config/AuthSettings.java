package io.alicloudauth.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code alicloud-auth.*} setting; each is also an environment variable ({@code ALICLOUD_AUTH_...}). */
@ConfigMapping(prefix = "alicloud-auth")
public interface AuthSettings {

    /**
     * The root (admin) token, {@code ALICLOUD_AUTH_ROOT_TOKEN}: at least 16 characters. When unset, the service
     * generates one at its first start, keeps only its hash in the database and prints it once on standard output.
     */
    Optional<String> rootToken();

    /**
     * {@code ALICLOUD_AUTH_STRICT}: refuse to start on an unsafe configuration (see {@code StartupSafety}). On by
     * default in the packaged service ({@code %prod}); off in dev and tests.
     */
    @WithDefault("false")
    boolean strict();

    /** The audit log. */
    Audit audit();

    interface Audit {

        /**
         * {@code ALICLOUD_AUTH_AUDIT_FILE}: a file to append one JSON line to per login attempt and per request to a
         * protected path, or {@code stdout}. Unset: no audit log. Once set, a login that cannot be audited fails.
         */
        Optional<String> file();
    }

    /** Write-through: tokens minted in a real Vault or OpenBao instead of locally. */
    VaultWriteThrough vault();

    interface VaultWriteThrough {

        /**
         * {@code ALICLOUD_AUTH_VAULT_ENABLED}: mint login tokens in the Vault that the Quarkus Vault extension is
         * configured for ({@code QUARKUS_VAULT_URL} and its authentication settings), and return Vault's token.
         */
        @WithDefault("false")
        boolean enabled();

        /** {@code ALICLOUD_AUTH_VAULT_TIMEOUT}: the total time allowed for each call to Vault. */
        @WithDefault("10s")
        Duration timeout();
    }
}
