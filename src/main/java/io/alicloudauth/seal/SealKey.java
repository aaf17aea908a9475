package io.alicloudauth.seal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.spec.SecretKeySpec;

/**
 * A seal key: 32 raw bytes, and its id, the first 8 bytes of their SHA-256 in hex (SPEC §11). The id names the key
 * in sealed values and in messages; the key itself never leaves this object ({@link #toString} shows the id only).
 */
public final class SealKey {

    static final int BYTES = 32;

    private final SecretKeySpec spec;
    private final String id;

    private SealKey(byte[] raw) {
        this.spec = new SecretKeySpec(raw, "AES");
        this.id = HexFormat.of().formatHex(Arrays.copyOf(sha256(raw), 8));
    }

    static SealKey of(byte[] raw) {
        if (raw.length != BYTES) {
            throw new IllegalArgumentException("a seal key is 32 bytes");
        }
        return new SealKey(raw.clone());
    }

    /**
     * The key from its base64 text; {@code where} names the setting in the message when it is not base64 of 32
     * bytes (the text itself is never shown).
     */
    static SealKey parse(String base64, String where) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != BYTES) {
            throw new SealException(where + " is not base64 of 32 bytes: make one with openssl rand -base64 32");
        }
        return new SealKey(raw);
    }

    public String id() {
        return id;
    }

    SecretKeySpec spec() {
        return spec;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SealKey[" + id + "]";
    }
}
