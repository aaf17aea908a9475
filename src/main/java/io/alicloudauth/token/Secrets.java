package io.alicloudauth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random tokens and accessors, and the hash under which a token is stored. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Secrets() {
    }

    /** 256 bits from the CSPRNG, URL-safe, behind Vault's prefix ({@code hvs.} service, {@code hvb.} batch). */
    static String newToken(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** 24 alphanumeric characters (about 143 bits), like Vault's accessors. */
    static String newAccessor() {
        char[] out = new char[24];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALNUM[RANDOM.nextInt(ALNUM.length)];
        }
        return new String(out);
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    static byte[] sha256(String text) {
        return sha256Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256Bytes(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
