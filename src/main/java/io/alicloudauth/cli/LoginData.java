package io.alicloudauth.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The login body Vault's CLI produces (SPEC §4): a signed {@code POST https://sts.<region>.aliyuncs.com/?...}
 * GetCallerIdentity request, its URL and headers base64-encoded.
 */
public final class LoginData {

    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private LoginData() {
    }

    /** The signed query parameters, {@code Signature} included. {@code securityToken} may be null. */
    public static Map<String, String> signedQuery(String accessKeyId, String secret, String securityToken,
            String region, Instant timestamp, String nonce) {
        Map<String, String> params = new TreeMap<>();
        params.put("AccessKeyId", accessKeyId);
        params.put("Action", "GetCallerIdentity");
        params.put("Format", "JSON");
        params.put("RegionId", region);
        if (securityToken != null && !securityToken.isEmpty()) {
            params.put("SecurityToken", securityToken);
        }
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureNonce", nonce == null ? UUID.randomUUID().toString() : nonce);
        params.put("SignatureType", "");
        params.put("SignatureVersion", "1.0");
        params.put("Timestamp", TIMESTAMP.format(timestamp));
        params.put("Version", "2015-04-01");
        params.put("Signature", RequestSigner.sign("POST", params, secret));
        return params;
    }

    /** The URL as Go's {@code url.Values.Encode} writes it: sorted, form-encoded. */
    public static String url(String host, Map<String, String> query) {
        StringBuilder out = new StringBuilder("https://").append(host).append("/?");
        new TreeMap<>(query).forEach((name, value) -> {
            if (out.charAt(out.length() - 1) != '?') {
                out.append('&');
            }
            out.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    /** The headers the Go SDK puts on the request, as a JSON-ready map of name to list of values. */
    public static Map<String, List<String>> headers(String userAgent) {
        Map<String, List<String>> headers = new TreeMap<>();
        headers.put("Accept-Encoding", List.of("identity"));
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded"));
        headers.put("User-Agent", List.of(userAgent));
        headers.put("x-acs-action", List.of("GetCallerIdentity"));
        headers.put("x-acs-version", List.of("2015-04-01"));
        return headers;
    }

    /**
     * The headers of a V3-signed ({@code ACS3-HMAC-SHA256}) {@code POST https://<host>/} GetCallerIdentity, as Alibaba's
     * SDK signs it (SPEC §10): the action, version, date, a fresh nonce, the empty body's hash, the security token
     * when there is one, and {@code x-acs-vault-server-id} when {@code serverId} is given, all signed with
     * {@code host}; then {@code Authorization}, and the unsigned {@code accept} and {@code user-agent}.
     */
    public static Map<String, String> v3Headers(String accessKeyId, String secret, String securityToken, String host,
            String serverId, Instant date, String nonce, String userAgent) {
        Map<String, String> signed = new TreeMap<>();
        signed.put("host", host);
        signed.put("x-acs-action", "GetCallerIdentity");
        signed.put("x-acs-version", "2015-04-01");
        signed.put("x-acs-date", TIMESTAMP.format(date));
        signed.put("x-acs-signature-nonce", nonce == null ? UUID.randomUUID().toString().replace("-", "") : nonce);
        signed.put("x-acs-content-sha256", V3Signer.EMPTY_PAYLOAD);
        if (securityToken != null && !securityToken.isEmpty()) {
            signed.put("x-acs-security-token", securityToken);
        }
        if (serverId != null && !serverId.isEmpty()) {
            signed.put("x-acs-vault-server-id", serverId);
        }
        Map<String, String> headers = new TreeMap<>(signed);
        headers.put("authorization", V3Signer.authorization("POST", "/", Map.of(), signed, V3Signer.EMPTY_PAYLOAD,
                accessKeyId, secret));
        headers.put("accept", "application/json");
        headers.put("user-agent", userAgent);
        return headers;
    }

    /** {@code {role, identity_request_url, identity_request_headers}} with both values base64 (standard, padded). */
    public static Map<String, String> body(String role, String url, String headersJson) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("role", role);
        body.put("identity_request_url", base64(url));
        body.put("identity_request_headers", base64(headersJson));
        return body;
    }

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
