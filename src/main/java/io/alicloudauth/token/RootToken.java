package io.alicloudauth.token;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.alicloudauth.api.Transactions;
import io.alicloudauth.config.AuthSettings;
import io.alicloudauth.seal.Seal;
import io.quarkus.runtime.StartupEvent;

/**
 * The admin credential. Configured ({@code ALICLOUD_AUTH_ROOT_TOKEN}) or generated once per database; either way
 * only its SHA-256 is held, and a presented token is compared in constant time.
 */
@ApplicationScoped
public class RootToken {

    static final int MIN_LENGTH = 16;

    static final String TABLE = "root_token";
    static final String COLUMN = "token_hash";

    private final AuthSettings settings;
    private final Seal seal;
    private volatile byte[] hash;

    public RootToken(AuthSettings settings, Seal seal) {
        this.settings = settings;
        this.seal = seal;
    }

    void onStart(@Observes StartupEvent event) {
        String configured = settings.rootToken().map(String::trim).orElse("");
        if (!configured.isEmpty()) {
            if (configured.length() < MIN_LENGTH) {
                throw new IllegalStateException("alicloud-auth.root-token (ALICLOUD_AUTH_ROOT_TOKEN) must be at least "
                        + MIN_LENGTH + " characters long");
            }
            hash = Secrets.sha256(configured);
            forgetGenerated();
            return;
        }
        hash = HexFormat.of().parseHex(storedOrGenerated());
    }

    public boolean matches(String presented) {
        byte[] expected = hash;
        return presented != null && expected != null && MessageDigest.isEqual(Secrets.sha256(presented), expected);
    }

    /**
     * A configured root token retires a generated one for good: if the setting is removed later, a new token is
     * generated (and printed once) rather than the old one, which may have leaked since, coming back to life.
     */
    private static void forgetGenerated() {
        if (Transactions.write(() -> RootTokenRecord.deleteById(1))) {
            System.out.println("alicloud-auth: the generated root token is retired: ALICLOUD_AUTH_ROOT_TOKEN is set");
            System.out.flush();
        }
    }

    /**
     * The generated root token's hash, kept sealed ({@link Seal}): a copy of the database gives nothing to test a
     * guess against. (A hash keyed with a key derived from the seal key, as SPEC §11 words it, could not follow a seal
     * key rotation: it cannot be recomputed without the token. Sealing it can.)
     */
    private String storedOrGenerated() {
        String[] generated = new String[1];
        String stored = Transactions.write(() -> {
            RootTokenRecord existing = RootTokenRecord.findById(1);
            if (existing != null) {
                return seal.openText(existing.tokenHash, TABLE, 1, COLUMN);
            }
            generated[0] = Secrets.newToken("hvs.");
            RootTokenRecord record = new RootTokenRecord();
            record.id = 1;
            record.tokenHash = seal.seal(Secrets.hash(generated[0]), TABLE, 1, COLUMN);
            record.created = Instant.now().getEpochSecond();
            record.persist();
            return Secrets.hash(generated[0]);
        });
        if (generated[0] != null && Secrets.hash(generated[0]).equals(stored)) {
            // Printed once, here, and never again: only the hash is kept.
            System.out.println("alicloud-auth: generated root token (shown once, store it now): " + generated[0]);
            System.out.flush();
        }
        return stored;
    }
}
