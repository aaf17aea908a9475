package io.alicloudauth.cli;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba Cloud RPC signature v1 (HMAC-SHA1), checked against the vectors in SPEC §7: parameters sorted by encoded
 * name, RFC 3986 percent-encoding, {@code StringToSign = METHOD + "&%2F&" + encode(canonical query)}, key
 * {@code secret + "&"}. Plain Java: no CDI, usable by the client mode and the tests alike.
 */
public final class RequestSigner {

    private RequestSigner() {
    }

    /** RFC 3986: unreserved characters kept, everything else {@code %XX} in uppercase hex over UTF-8. */
    public static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Every parameter but {@code Signature}, sorted by encoded name, joined as {@code name=value&...}. */
    public static String canonicalQuery(Map<String, String> params) {
        TreeMap<String, String> sorted = new TreeMap<>();
        params.forEach((name, value) -> {
            if (!name.equals("Signature")) {
                sorted.put(percentEncode(name), percentEncode(value == null ? "" : value));
            }
        });
        StringBuilder out = new StringBuilder();
        sorted.forEach((name, value) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(name).append('=').append(value);
        });
        return out.toString();
    }

    public static String stringToSign(String method, Map<String, String> params) {
        return method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery(params));
    }

    public static String sign(String method, Map<String, String> params, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] digest = mac.doFinal(stringToSign(method, params).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available", e);
        }
    }
}
