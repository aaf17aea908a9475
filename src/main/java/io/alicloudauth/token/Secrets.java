package io.alicloudauth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random tokens and accessors, and the key under which a service token is stored.
 * <p>
 * A service token and its accessor begin with their issue time, 11 hex digits of epoch milliseconds, before their
 * random part ({@link #newServiceToken}, {@link #newAccessor}), and a token is stored under that time and its
 * SHA-256 ({@link #key}). The store's two unique indexes then grow at one end, as its rows do. With wholly random keys
 * every login wrote into a random leaf of each index: H2's chunks stayed a third full, and rewriting them stalled
 * commits behind its store lock (README, eighth pass). The time is not secret (lookup shows it), and nothing trusts
 * it: the random part is the token's 256 bits. Tokens of an earlier version (no time) are stored under their hash.
 */
final class Secrets {

    /** The issue time's width: 11 hex digits of epoch milliseconds last until the year 2527. */
    static final int TIME_DIGITS = 11;
    private static final String SERVICE = "hvs.";
    private static final int RANDOM_TOKEN_CHARS = 43; // 32 bytes in unpadded base64url

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

    /** A service token: {@code hvs.}, the issue time, then 256 bits from the CSPRNG. */
    static String newServiceToken() {
        return newToken(SERVICE + time());
    }

    /** The issue time, then 24 alphanumeric characters (about 143 bits) like a Vault accessor's. */
    static String newAccessor() {
        char[] out = new char[24];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALNUM[RANDOM.nextInt(ALNUM.length)];
        }
        return time() + new String(out);
    }

    /**
     * The key a service token is stored under: its issue time and the SHA-256 (hex) of the whole token; the SHA-256
     * alone for a token without the time (an earlier version's, or anything else presented).
     */
    static String key(String token) {
        if (token.length() == SERVICE.length() + TIME_DIGITS + RANDOM_TOKEN_CHARS && token.startsWith(SERVICE)
                && isTime(token, SERVICE.length())) {
            return token.substring(SERVICE.length(), SERVICE.length() + TIME_DIGITS) + hash(token);
        }
        return hash(token);
    }

    private static String time() {
        String hex = Long.toHexString(System.currentTimeMillis());
        return "0".repeat(TIME_DIGITS - hex.length()) + hex;
    }

    private static boolean isTime(String text, int from) {
        for (int i = from; i < from + TIME_DIGITS; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
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
