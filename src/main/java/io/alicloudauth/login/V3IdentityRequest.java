package io.alicloudauth.login;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Text;
import io.alicloudauth.sts.StsRequest;

/**
 * SPEC §10: a GetCallerIdentity signed with Alibaba's signature V3 ({@code ACS3-HMAC-SHA256}), checked without any
 * network call and rebuilt from exactly the signed items. STS checks the signature itself; what is checked here is
 * that the signature covers everything that is sent and everything this service relies on (the action, the date,
 * a nonce, the empty body, and the server id), so that what STS verifies is what we mean.
 */
final class V3IdentityRequest {

    /** The header that binds a login to one server (SPEC §10). */
    static final String SERVER_ID_HEADER = "x-acs-vault-server-id";
    /** {@code hex(sha256(""))}: a GetCallerIdentity has no body. */
    static final String EMPTY_PAYLOAD = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final int MAX_VALUE = 8192;
    private static final List<String> REQUIRED = List.of("host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
            "x-acs-signature-nonce", "x-acs-version");
    private static final Pattern AUTHORIZATION = Pattern.compile("ACS3-HMAC-SHA256 Credential=([A-Za-z0-9._-]{1,128}),"
            + "SignedHeaders=([^,\\s]{1,2048}),Signature=([0-9a-f]{64})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    /** Headers STS does not sign that the rebuilt request may carry. */
    private static final Set<String> UNSIGNED_KEPT = Set.of("accept", "user-agent");
    /** Values that are secret or single-use: never quoted in an error. */
    private static final Set<String> SECRET = Set.of("authorization", "x-acs-security-token", "x-acs-signature-nonce",
            "x-acs-accesskey-id");
    private static final String HEADERS = IdentityRequest.HEADERS_FIELD;

    private V3IdentityRequest() {
    }

    /** Whether the headers carry a V3 {@code Authorization} (else the request is read as V1). */
    static boolean isV3(Map<String, List<String>> sent) {
        for (Map.Entry<String, List<String>> e : sent.entrySet()) {
            if (e.getKey().equalsIgnoreCase("authorization")
                    && e.getValue().stream().anyMatch(v -> v.trim().startsWith("ACS3-"))) {
                return true;
            }
        }
        return false;
    }

    static StsRequest parse(String host, URI url, Map<String, List<String>> sent, Instant now) {
        if (url.getRawQuery() != null) {
            throw Body.invalid(IdentityRequest.URL_FIELD, "a V3-signed request has no query: expected https://" + host
                    + "/");
        }
        Map<String, String> headers = single(sent);
        Matcher auth = AUTHORIZATION.matcher(headers.remove("authorization"));
        if (!auth.matches()) {
            throw Body.invalid(HEADERS, "header authorization must be ACS3-HMAC-SHA256 Credential=<AccessKeyId>,"
                    + "SignedHeaders=<names>,Signature=<64 lowercase hex>");
        }
        List<String> signed = List.of(auth.group(2).split(";", -1));
        checkSignedHeaders(signed);
        String sentHost = headers.get("host");
        if (sentHost != null && !sentHost.equals(host)) {
            throw Body.invalid(HEADERS, "header host " + Text.shorten(sentHost) + " is not the URL's host " + host);
        }
        headers.put("host", host);
        for (String name : signed) {
            if (!headers.containsKey(name)) {
                throw Body.invalid(HEADERS, "SignedHeaders names " + name + ", which is not sent");
            }
        }
        boolean serverIdSent = headers.containsKey(SERVER_ID_HEADER);
        boolean serverIdSigned = signed.contains(SERVER_ID_HEADER);
        for (String name : headers.keySet()) {
            boolean mustBeSigned = name.startsWith("x-acs-") || name.equals("content-type");
            if (mustBeSigned && !signed.contains(name) && !name.equals(SERVER_ID_HEADER)) {
                throw Body.invalid(HEADERS, "header " + name + " is sent but not signed: V3 signs every x-acs-*"
                        + " header and content-type");
            }
        }
        expect(headers, "x-acs-action", "GetCallerIdentity");
        expect(headers, "x-acs-version", "2015-04-01");
        expect(headers, "x-acs-content-sha256", EMPTY_PAYLOAD);
        checkDate(headers.get("x-acs-date"), now);
        String nonce = headers.get("x-acs-signature-nonce");
        if (nonce.isEmpty() || nonce.length() > 128) {
            throw Body.invalid(HEADERS, "header x-acs-signature-nonce must be 1 to 128 characters: STS refuses a"
                    + " nonce it has seen, which makes the request single-use");
        }
        // Rebuilt from the signed items only, plus what STS does not sign.
        Map<String, String> outbound = new LinkedHashMap<>();
        for (String name : signed) {
            outbound.put(name, headers.get(name));
        }
        outbound.put("authorization", auth.group(0));
        for (String name : UNSIGNED_KEPT) {
            if (headers.containsKey(name)) {
                outbound.put(name, headers.get(name));
            }
        }
        return new StsRequest(host, Map.of(), outbound, 3, new StsRequest.ServerId(serverIdSent, serverIdSigned,
                serverIdSent ? headers.get(SERVER_ID_HEADER) : ""));
    }

    /**
     * SPEC §10: with {@code server_id} set, the login must be V3 and sign {@code x-acs-vault-server-id} with exactly
     * that value (STS's own check of the signature then proves the client meant this server): a 403 naming what is
     * missing otherwise. Without it, a server id header sent unsigned is refused like any unsigned x-acs-* header.
     */
    static void checkServerId(String serverId, StsRequest request) {
        StsRequest.ServerId sent = request.serverId();
        String header = SERVER_ID_HEADER;
        if (serverId == null || serverId.isEmpty()) {
            if (sent.sent() && !sent.signed()) {
                throw Body.invalid(IdentityRequest.HEADERS_FIELD, "header " + header + " is sent but not signed");
            }
            return;
        }
        String refused = "login is not bound to this server: ";
        if (request.signatureVersion() != 3) {
            throw ApiException.forbidden(refused + "this server requires signature V3 with a signed " + header
                    + " header, and signature V1 signs no header (alicloud-auth login --server-id VALUE signs one)");
        }
        if (!sent.sent()) {
            throw ApiException.forbidden(refused + "no " + header + " header");
        }
        if (!sent.signed()) {
            throw ApiException.forbidden(refused + "the " + header + " header is not in SignedHeaders");
        }
        if (!sent.value().equals(serverId)) {
            throw ApiException.forbidden(refused + "the signed " + header + " names another server ("
                    + Text.shorten(sent.value()) + ")");
        }
    }

    /** One value per lowercased name, printable ASCII and bounded; a name sent twice (in any case) is refused. */
    private static Map<String, String> single(Map<String, List<String>> sent) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : sent.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (e.getValue().size() != 1 || out.containsKey(name)) {
                throw Body.invalid(HEADERS, "header " + Text.shorten(name) + " is sent more than once");
            }
            String value = e.getValue().get(0).trim();
            if (value.length() > MAX_VALUE || value.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw Body.invalid(HEADERS, "header " + Text.shorten(name) + " must be printable ASCII of at most "
                        + MAX_VALUE + " characters");
            }
            out.put(name, value);
        }
        return out;
    }

    /** Lowercase, sorted, no duplicates; only what V3 signs; the headers we rely on among them. */
    private static void checkSignedHeaders(List<String> signed) {
        List<String> sorted = new ArrayList<>(signed);
        sorted.sort(null);
        if (!sorted.equals(signed) || Set.copyOf(signed).size() != signed.size()
                || signed.stream().anyMatch(n -> !n.equals(n.toLowerCase(Locale.ROOT)) || n.isEmpty())) {
            throw Body.invalid(HEADERS, "SignedHeaders must be lowercase names, sorted, each once, separated by ;");
        }
        for (String name : signed) {
            if (!(name.equals("host") || name.equals("content-type") || name.startsWith("x-acs-"))) {
                throw Body.invalid(HEADERS, "SignedHeaders names " + Text.shorten(name) + ", which V3 does not sign"
                        + " (host, content-type and x-acs-* only)");
            }
        }
        for (String name : REQUIRED) {
            if (!signed.contains(name)) {
                throw Body.invalid(HEADERS, "SignedHeaders must include " + name);
            }
        }
    }

    private static void expect(Map<String, String> headers, String name, String expected) {
        String actual = headers.get(name);
        if (!expected.equals(actual)) {
            String shown = actual == null ? "nothing" : SECRET.contains(name) ? "another value" : Text.shorten(actual);
            throw Body.invalid(HEADERS, "header " + name + " must be " + expected + " but received " + shown);
        }
    }

    private static void checkDate(String text, Instant now) {
        Instant date;
        try {
            if (!DATE.matcher(text).matches()) {
                throw new DateTimeParseException("not yyyy-MM-ddTHH:mm:ssZ", text, 0);
            }
            date = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Body.invalid(HEADERS, "header x-acs-date must be UTC, as yyyy-MM-ddTHH:mm:ssZ");
        }
        if (Duration.between(date, now).abs().compareTo(IdentityRequest.MAX_CLOCK_SKEW) > 0) {
            throw Body.invalid(HEADERS, "header x-acs-date " + text + " is more than 15 minutes away from the server's"
                    + " time: sign a fresh request");
        }
    }
}
