package io.alicloudauth.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.Transactions;
import io.alicloudauth.seal.Seal;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Batch tokens as Vault has them: nothing is stored; the token carries its own terms, sealed (AES-256-GCM,
 * authenticated and encrypted) under a key kept in the database (itself sealed: {@link Seal}), so every instance on one database opens what any
 * of them issued, and a new key ({@code sys/rotate}) makes every earlier batch token worthless.
 *
 * <p>Format: {@code hvb.} + base64url(key id (8 bytes) | nonce (12) | ciphertext and tag). The key id is the start
 * of the key's SHA-256: a token sealed under another key is recognised without trying to open it. The key is
 * re-read from the database every {@link #REFRESH_NANOS}, so another instance's rotation is seen within that time
 * (and at once, at most once a second, when a token names a key this instance does not hold).
 */
@ApplicationScoped
public class BatchTokens {

    static final String PREFIX = "hvb.";
    static final long REFRESH_NANOS = 10_000_000_000L;
    /** A token under an unknown key makes the key be re-read, at most this often. */
    static final long RELOAD_NANOS = 1_000_000_000L;
    private static final int KEY_ID_BYTES = 8;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_TOKEN_CHARS = 16 * 1024;
    private static final byte[] AAD = "alicloud-auth batch token v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a batch token says: everything a lookup answers, and what each use checks. */
    @RegisterForReflection
    public record Claims(String role, List<String> policies, Map<String, String> meta, String displayName,
            String entityId, long creationTime, long creationTtl, long expireTime, long explicitMaxTtl,
            List<String> boundCidrs) {
    }

    private record Key(SecretKeySpec spec, byte[] id, long loadedAt) {
    }

    private final ObjectMapper json;
    private final Seal sealed;
    private volatile Key current;

    public BatchTokens(ObjectMapper json, Seal sealed) {
        this.json = json;
        this.sealed = sealed;
    }

    /** The key exists from the first start on, so that no batch login ever writes (not even the first). */
    void onStart(@Observes StartupEvent event) {
        key();
    }

    public static boolean isBatch(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    public String seal(Claims claims) {
        Key key = key();
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(AAD);
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(claims));
            ByteBuffer out = ByteBuffer.allocate(KEY_ID_BYTES + NONCE_BYTES + sealed.length);
            out.put(key.id()).put(nonce).put(sealed);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot seal a batch token", e);
        }
    }

    /**
     * The claims of a token this service sealed under the current key, whatever its expiry; empty for anything
     * else (not ours, tampered with, another key, malformed). Never says which.
     */
    public Optional<Claims> open(String token) {
        if (!isBatch(token) || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        String encoded = token.substring(PREFIX.length());
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Only the encoding seal() writes: no padding, no spare bits set in the last character, so that one token
        // has one spelling (the audit log links its uses).
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(encoded)) {
            return Optional.empty();
        }
        if (raw.length < KEY_ID_BYTES + NONCE_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        byte[] keyId = Arrays.copyOfRange(raw, 0, KEY_ID_BYTES);
        Key key = key();
        if (!MessageDigest.isEqual(key.id(), keyId) && System.nanoTime() - key.loadedAt() > RELOAD_NANOS) {
            current = null; // perhaps another instance rotated the key: look once (at most once a second)
            key = key();
        }
        if (!MessageDigest.isEqual(key.id(), keyId)) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(),
                    new GCMParameterSpec(TAG_BITS, raw, KEY_ID_BYTES, NONCE_BYTES));
            cipher.updateAAD(AAD);
            byte[] plain = cipher.doFinal(raw, KEY_ID_BYTES + NONCE_BYTES, raw.length - KEY_ID_BYTES - NONCE_BYTES);
            return Optional.of(json.readValue(plain, Claims.class)).filter(BatchTokens::couldBeIssued);
        } catch (GeneralSecurityException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a role could have issued these claims: never {@code root}, never a life beyond the system maximum, never
     * created in the future. A token that passes the key check but fails this one was sealed by someone who held the
     * key without being this service.
     */
    static boolean couldBeIssued(Claims claims) {
        long now = Instant.now().getEpochSecond();
        return claims.policies() != null && !claims.policies().contains("root") && claims.creationTime() <= now + 60
                && claims.creationTtl() >= 0 && claims.creationTtl() <= Lifetime.SYSTEM_DEFAULT_TTL
                && claims.expireTime() - claims.creationTime() <= Lifetime.SYSTEM_DEFAULT_TTL
                && claims.role() != null && claims.meta() != null && claims.boundCidrs() != null;
    }

    /** A new key for every instance on this database: every batch token issued so far stops working. */
    public void rotate() {
        store(newKey(), true);
        current = null;
    }

    /**
     * Writes {@code fresh} as the key, sealed, when there is none (or always, with {@code replace}); answers the key
     * kept, as stored (sealed).
     */
    private String store(byte[] fresh, boolean replace) {
        return Transactions.write(() -> {
            BatchKey row = BatchKey.findById(1);
            if (row != null && !replace) {
                return row.secretKey;
            }
            boolean created = row == null;
            if (created) {
                row = new BatchKey();
                row.id = 1;
            }
            row.secretKey = sealed.seal(Base64.getEncoder().encodeToString(fresh), BatchKey.TABLE, 1, BatchKey.COLUMN);
            row.created = Instant.now().getEpochSecond();
            if (created) {
                row.persist();
            }
            return row.secretKey;
        });
    }

    /** The current key: cached, re-read when older than {@link #REFRESH_NANOS}, created at first need. */
    private Key key() {
        Key key = current;
        long now = System.nanoTime();
        if (key != null && now - key.loadedAt() < REFRESH_NANOS) {
            return key;
        }
        String stored = QuarkusTransaction.requiringNew().call(() -> {
            BatchKey row = BatchKey.findById(1);
            return row == null ? null : row.secretKey;
        });
        if (stored == null) {
            stored = store(newKey(), false);
        }
        byte[] bytes = Base64.getDecoder().decode(sealed.openText(stored, BatchKey.TABLE, 1, BatchKey.COLUMN));
        key = new Key(new SecretKeySpec(bytes, "AES"), Arrays.copyOf(Secrets.sha256Bytes(bytes), KEY_ID_BYTES), now);
        current = key;
        return key;
    }

    /** A batch token's claims as a token that is never stored (no hash, no accessor), for lookups and checks. */
    static Token asToken(Claims claims, String metaJson) {
        Token token = new Token();
        token.accessor = "";
        token.roleName = claims.role();
        token.policies = String.join(",", claims.policies());
        token.meta = metaJson;
        token.displayName = claims.displayName();
        token.entityId = claims.entityId();
        token.tokenType = "batch";
        token.renewable = false;
        token.creationTime = claims.creationTime();
        token.creationTtl = claims.creationTtl();
        token.expireTime = claims.expireTime();
        token.maxExpireTime = claims.expireTime();
        token.explicitMaxTtl = claims.explicitMaxTtl();
        token.boundCidrs = String.join(",", claims.boundCidrs());
        return token;
    }

    private static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }
}
