package io.alicloudauth.seal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.alicloudauth.config.AuthSettings;
import io.quarkus.runtime.StartupEvent;

/**
 * The seal (SPEC §11): every secret the service keeps in its database is stored as
 * {@code sealed:v1:<key id>:<base64url(nonce | AES-256-GCM ciphertext and tag)>}, under a seal key that is never in
 * the database. The additional data names the table, row and column, so a sealed value copied to another row does
 * not open. The only code that holds a seal key; every other package asks it.
 *
 * <p>At start, before anything reads a secret: the key is found ({@link SealKeys}), then what an earlier version
 * stored in clear, or sealed under one of the previous keys, is sealed under the current key in place, in one
 * transaction ({@link SealedColumns}). A key that does not open what is stored stops the start, naming the key id
 * the data was sealed with; nothing is changed.
 */
@ApplicationScoped
public class Seal {

    static final String PREFIX = "sealed:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthSettings settings;
    private final String jdbcUrl;
    private final SealedColumns columns;
    private volatile SealKey current;
    private volatile List<SealKey> previous = List.of();

    public Seal(AuthSettings settings, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            SealedColumns columns) {
        this.settings = settings;
        this.jdbcUrl = jdbcUrl;
        this.columns = columns;
    }

    void onStart(@Observes @Priority(2) StartupEvent event) {
        List<SealedColumns.Value> stored = columns.read();
        SealKeys.Found keys = SealKeys.find(settings, jdbcUrl, stored);
        current = keys.current();
        previous = keys.previous();
        columns.sealInPlace(this, stored);
    }

    /** The current key's id: what new values are sealed under. */
    public String keyId() {
        return key().id();
    }

    /** {@code plain} sealed under the current key, bound to its place ({@code table}, {@code row}, {@code column}). */
    public String seal(byte[] plain, String table, Object row, String column) {
        SealKey key = key();
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(table, row, column));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + key.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal", e);
        }
    }

    public String seal(String plain, String table, Object row, String column) {
        return seal(plain.getBytes(StandardCharsets.UTF_8), table, row, column);
    }

    /**
     * What {@link #seal} sealed at this place, under the current key (or a previous one); a {@link SealException}
     * naming the key id when no key held opens it, or when it was not sealed here.
     */
    public byte[] open(String stored, String table, Object row, String column) {
        String keyId = keyIdOf(stored);
        if (keyId == null) {
            throw new SealException(table + "." + column + " is not sealed");
        }
        SealKey key = keyFor(keyId);
        if (key == null) {
            throw new SealException(table + "." + column + " was sealed with key id " + keyId + ", which is not"
                    + " the seal key (id " + key().id() + ")" + (previous.isEmpty() ? ""
                    : " nor one of ALICLOUD_AUTH_SEAL_PREVIOUS_KEYS"));
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length() + keyId.length() + 1));
            if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD(aad(table, row, column));
            return cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SealException(table + "." + column + " (row " + row + ") does not open with key id " + keyId
                    + ": it was altered, or sealed for another place");
        }
    }

    public String openText(String stored, String table, Object row, String column) {
        return new String(open(stored, table, row, column), StandardCharsets.UTF_8);
    }

    /** Whether a stored value is sealed (rather than in clear, as an earlier version stored it). */
    public static boolean isSealed(String stored) {
        return keyIdOf(stored) != null;
    }

    /** The id of the key a stored value was sealed with; null when it is not a sealed value. */
    static String keyIdOf(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return null;
        }
        int end = stored.indexOf(':', PREFIX.length());
        return end == PREFIX.length() + 16 ? stored.substring(PREFIX.length(), end) : null;
    }

    /** Whether a sealed value is under the current key (else it is re-sealed at start). */
    boolean isCurrent(String stored) {
        return key().id().equals(keyIdOf(stored));
    }

    private SealKey keyFor(String keyId) {
        SealKey key = key();
        if (key.id().equals(keyId)) {
            return key;
        }
        return previous.stream().filter(k -> k.id().equals(keyId)).findFirst().orElse(null);
    }

    private SealKey key() {
        SealKey key = current;
        if (key == null) {
            throw new IllegalStateException("the seal key is not loaded yet");
        }
        return key;
    }

    private static byte[] aad(String table, Object row, String column) {
        return ("alicloud-auth seal v1\n" + table + "\n" + row + "\n" + column).getBytes(StandardCharsets.UTF_8);
    }
}
