package io.alicloudauth.config;

import java.time.Duration;
import java.util.List;
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

    /** The seal: the key every secret in the database is sealed under (SPEC §11). Never stored in the database. */
    Seal seal();

    interface Seal {

        /**
         * {@code ALICLOUD_AUTH_SEAL_KEY}: base64 of 32 random bytes ({@code openssl rand -base64 32}). Every instance
         * on one database needs the same key. Unset, and no key file: the H2 build keeps a generated key in
         * {@code seal.key} beside its database file; the PostgreSQL build refuses to start.
         */
        Optional<String> key();

        /**
         * {@code ALICLOUD_AUTH_SEAL_KEY_FILE}: a file holding the key's base64 text (a Kubernetes secret volume, say);
         * refused when group or others may read it.
         */
        Optional<String> keyFile();

        /**
         * {@code ALICLOUD_AUTH_SEAL_PREVIOUS_KEYS}: earlier seal keys, comma-separated base64. What is sealed under one
         * of them is sealed again under the current key at start, in one transaction; then they may be removed.
         */
        Optional<List<String>> previousKeys();
    }

    /** Limits on request bodies, so that unfinished or oversized bodies cannot exhaust the heap. */
    Http http();

    interface Http {

        /**
         * {@code ALICLOUD_AUTH_HTTP_BODY_BUDGET}: request body bytes that may be held in memory at once, across all
         * connections; a request that would exceed it is answered 503 and its connection closed.
         */
        @WithDefault("16777216")
        long bodyBudget();

        /**
         * {@code ALICLOUD_AUTH_HTTP_BODY_TIMEOUT}: how long a request body may take to arrive in full; after it the
         * request is answered 408 and its connection closed (its HTTP/2 stream reset).
         */
        @WithDefault("10s")
        Duration bodyTimeout();
    }

    /** Login rate limits, per client address and per role (per instance). */
    LoginLimits login();

    interface LoginLimits {

        /** {@code ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS}: login attempts per minute from one client address; 0 = off. */
        @WithDefault("600")
        int ratePerAddress();

        /** {@code ALICLOUD_AUTH_LOGIN_RATE_PER_ROLE}: login attempts per minute for one role; 0 = off. */
        @WithDefault("6000")
        int ratePerRole();
    }

    /** Bounds on the calls to STS, so that a flood of logins cannot exhaust threads or connections. */
    StsLimits sts();

    interface StsLimits {

        /** {@code ALICLOUD_AUTH_STS_MAX_CONCURRENT_CALLS}: STS calls in flight at once. */
        @WithDefault("64")
        int maxConcurrentCalls();

        /** {@code ALICLOUD_AUTH_STS_QUEUE}: logins that may wait for a free slot; more are refused at once (503). */
        @WithDefault("256")
        int queue();

        /** {@code ALICLOUD_AUTH_STS_QUEUE_TIMEOUT}: how long a login waits for a slot before a 503. */
        @WithDefault("2s")
        Duration queueTimeout();
    }

    /** The purge of expired tokens and write-through login records. */
    Purge purge();

    interface Purge {

        /**
         * {@code ALICLOUD_AUTH_PURGE_INTERVAL}: how often expired tokens and write-through login records are
         * deleted, in batches of 1,000 rows, each batch its own transaction ({@code POST auth/token/tidy} runs it
         * at once). Safe with several instances on one database.
         */
        @WithDefault("60s")
        Duration interval();
    }

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

    /**
     * {@code ALICLOUD_AUTH_API_ADDR}: the address clients reach this service at ({@code https://auth.example.com}),
     * as Vault's {@code api_addr}. The identity-token issuer when {@code identity/oidc/config} sets none.
     */
    Optional<String> apiAddr();

    /** Identity tokens (SPEC §9). */
    Identity identity();

    interface Identity {

        /**
         * {@code ALICLOUD_AUTH_IDENTITY_ROTATION_CHECK}: how often each instance looks for named keys due for
         * rotation (and rotates them, one instance per key, under a row lock).
         */
        @WithDefault("15s")
        Duration rotationCheck();
    }
}
