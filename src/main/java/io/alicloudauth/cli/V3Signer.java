package io.alicloudauth.cli;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba Cloud signature V3 ({@code ACS3-HMAC-SHA256}), checked against Alibaba's documented vectors and the SDKs'
 * (SPEC §10): {@code CanonicalRequest = METHOD \n URI \n query \n headers \n SignedHeaders \n hex(sha256(body))},
 * where the headers are {@code host}, {@code content-type} and every {@code x-acs-*} one, lowercased, sorted and
 * trimmed; {@code StringToSign = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))}; the signature is the hex
 * HMAC-SHA256 of it under the AccessKey secret. Plain Java: no CDI.
 */
public final class V3Signer {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";
    /** {@code hex(sha256(""))}: the payload hash of a request without a body. */
    public static final String EMPTY_PAYLOAD = sha256Hex("");

    private V3Signer() {
    }

    /** Whether a header takes part in the signature: {@code host}, {@code content-type}, {@code x-acs-*}. */
    public static boolean signed(String lowerName) {
        return lowerName.startsWith("x-acs-") || lowerName.equals("host") || lowerName.equals("content-type");
    }

    /** The signed headers of {@code headers}: names lowercased, values trimmed, sorted by name. */
    public static TreeMap<String, String> canonicalHeaders(Map<String, String> headers) {
        TreeMap<String, String> out = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (signed(lower)) {
                out.put(lower, value == null ? "" : value.trim());
            }
        });
        return out;
    }

    public static String canonicalRequest(String method, String path, Map<String, String> query,
            Map<String, String> headers, String payloadHash) {
        TreeMap<String, String> sortedQuery = new TreeMap<>();
        query.forEach((k, v) -> sortedQuery.put(RequestSigner.percentEncode(k), RequestSigner.percentEncode(v == null ? "" : v)));
        StringBuilder q = new StringBuilder();
        sortedQuery.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(v));
        TreeMap<String, String> canonical = canonicalHeaders(headers);
        StringBuilder h = new StringBuilder();
        canonical.forEach((k, v) -> h.append(k).append(':').append(v).append('\n'));
        return method + "\n" + path + "\n" + q + "\n" + h + "\n" + String.join(";", canonical.keySet()) + "\n"
                + payloadHash;
    }

    public static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + sha256Hex(canonicalRequest);
    }

    /** The {@code Authorization} header value for this request. */
    public static String authorization(String method, String path, Map<String, String> query,
            Map<String, String> headers, String payloadHash, String accessKeyId, String secret) {
        String canonical = canonicalRequest(method, path, query, headers, payloadHash);
        return ALGORITHM + " Credential=" + accessKeyId + ",SignedHeaders="
                + String.join(";", canonicalHeaders(headers).keySet()) + ",Signature="
                + hmacSha256Hex(secret, stringToSign(canonical));
    }

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String hmacSha256Hex(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
