package io.alicloudauth.login;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Text;
import io.alicloudauth.sts.StsRequest;

/**
 * SPEC §4 rules 1–3 and the rebuild of rule 5: decodes {@code identity_request_url} and
 * {@code identity_request_headers}, checks them without any network call, and rebuilds the outbound request from
 * the validated parts only. Messages name the field and never echo a signature or security token.
 */
final class IdentityRequest {

    static final String URL_FIELD = "identity_request_url";
    static final String HEADERS_FIELD = "identity_request_headers";
    static final int MAX_URL_BASE64 = 16 * 1024;
    static final int MAX_HEADERS = 16 * 1024;
    static final int MAX_HEADER_COUNT = 64;
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private static final Pattern HOST = Pattern.compile(
            "sts\\.aliyuncs\\.com|sts\\.[a-z0-9-]+\\.aliyuncs\\.com|sts-vpc\\.[a-z0-9-]+\\.aliyuncs\\.com");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final Set<String> FORWARDED_HEADERS = Set.of("user-agent", "content-type", "accept",
            "accept-encoding");
    private static final Set<String> QUERY_NAMES = Set.of("AccessKeyId", "Action", "Format", "RegionId",
            "SecurityToken", "Signature", "SignatureMethod", "SignatureNonce", "SignatureType", "SignatureVersion",
            "Timestamp", "Version");
    /** Headers that name the API call: when sent, they must agree with the signed query's Action and Version. */
    private static final Map<String, String> PINNED_HEADERS = Map.of("x-acs-action", "GetCallerIdentity",
            "x-acs-version", "2015-04-01");
    /** Parameters whose values are secret or single-use: never quoted in an error. */
    private static final Set<String> SECRET_PARAMS = Set.of("Signature", "SecurityToken", "SignatureNonce",
            "AccessKeyId");
    private static final ObjectMapper JSON = new ObjectMapper();

    private IdentityRequest() {
    }

    static StsRequest parse(Body body, Instant now) {
        URI url = decodeUrl(body);
        String host = checkEndpoint(url);
        Map<String, List<String>> sent = headers(body);
        if (V3IdentityRequest.isV3(sent)) {
            return V3IdentityRequest.parse(host, url, sent, now);
        }
        Map<String, String> query = checkQuery(url.getRawQuery(), now);
        return StsRequest.v1(host, query, forwardedHeaders(sent));
    }

    private static URI decodeUrl(Body body) {
        String encoded = body.string(URL_FIELD).orElse("").trim();
        if (encoded.isEmpty()) {
            throw ApiException.badRequest("missing " + URL_FIELD);
        }
        if (encoded.length() > MAX_URL_BASE64) {
            throw Body.invalid(URL_FIELD, "too long");
        }
        String text;
        try {
            text = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Body.invalid(URL_FIELD, "not valid base64");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw Body.invalid(URL_FIELD, "the URL contains spaces, control or non-ASCII characters");
            }
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw Body.invalid(URL_FIELD, "not a parsable URL");
        }
    }

    /** Rule 2: https, no userinfo, port 443 at most, path {@code /}, a pinned STS host. Answers the host. */
    private static String checkEndpoint(URI url) {
        if (url.getScheme() == null || !url.getScheme().equalsIgnoreCase("https")) {
            throw Body.invalid(URL_FIELD, "expected an https URL");
        }
        String authority = url.getRawAuthority();
        if (authority == null || url.getHost() == null || authority.contains("%")) {
            throw Body.invalid(URL_FIELD, "the URL has no valid host");
        }
        if (url.getRawUserInfo() != null || authority.contains("@")) {
            throw Body.invalid(URL_FIELD, "the URL must not carry user info");
        }
        if (url.getPort() != -1 && url.getPort() != 443) {
            throw Body.invalid(URL_FIELD, "the URL must not name a port other than 443");
        }
        String path = url.getRawPath();
        if (!(path == null || path.isEmpty() || path.equals("/"))) {
            throw Body.invalid(URL_FIELD, "the URL path must be /");
        }
        if (url.getRawFragment() != null) {
            throw Body.invalid(URL_FIELD, "the URL must not carry a fragment");
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (!HOST.matcher(host).matches()) {
            throw Body.invalid(URL_FIELD, "host " + Text.shorten(host) + " is not an Alibaba Cloud STS endpoint"
                    + " (sts.aliyuncs.com, sts.<region>.aliyuncs.com or sts-vpc.<region>.aliyuncs.com)");
        }
        return host;
    }

    /** Rule 3: exactly the GetCallerIdentity RPC v1 parameters, no duplicates, a fresh timestamp. */
    private static Map<String, String> checkQuery(String rawQuery, Instant now) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            throw Body.invalid(URL_FIELD, "the URL has no query: expected a signed GetCallerIdentity request");
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw Body.invalid(URL_FIELD, "malformed query");
            }
            String name;
            String value;
            try {
                name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw Body.invalid(URL_FIELD, "malformed percent-encoding in the query");
            }
            if (!QUERY_NAMES.contains(name)) {
                throw Body.invalid(URL_FIELD, "unexpected query parameter " + Text.shorten(name));
            }
            if (query.put(name, value) != null) {
                throw Body.invalid(URL_FIELD, "duplicate query parameter " + name);
            }
        }
        expect(query, "Action", "GetCallerIdentity", false);
        expect(query, "Format", "JSON", true);
        expect(query, "Version", "2015-04-01", false);
        expect(query, "SignatureMethod", "HMAC-SHA1", false);
        expect(query, "SignatureVersion", "1.0", false);
        for (String required : List.of("AccessKeyId", "Signature", "SignatureNonce", "Timestamp")) {
            if (query.getOrDefault(required, "").isEmpty()) {
                throw Body.invalid(URL_FIELD, "query " + required + " must not be empty");
            }
        }
        String type = query.get("SignatureType");
        if (type != null && !type.isEmpty()) {
            throw Body.invalid(URL_FIELD, "query SignatureType must be empty");
        }
        checkTimestamp(query.get("Timestamp"), now);
        return query;
    }

    private static void expect(Map<String, String> query, String name, String expected, boolean ignoreCase) {
        String actual = query.get(name);
        boolean ok = actual != null && (ignoreCase ? actual.equalsIgnoreCase(expected) : actual.equals(expected));
        if (!ok) {
            String shown = actual == null ? "nothing" : SECRET_PARAMS.contains(name) ? "another value" : Text.shorten(actual);
            throw Body.invalid(URL_FIELD, "query " + name + " must be " + expected + " but received " + shown);
        }
    }

    private static void checkTimestamp(String text, Instant now) {
        Instant timestamp;
        try {
            if (!text.endsWith("Z")) {
                throw new DateTimeParseException("not UTC", text, 0);
            }
            timestamp = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Body.invalid(URL_FIELD, "query Timestamp must be UTC, as yyyy-MM-ddTHH:mm:ssZ");
        }
        if (Duration.between(timestamp, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw Body.invalid(URL_FIELD, "query Timestamp " + Text.shorten(text)
                    + " is more than 15 minutes away from the server's time: sign a fresh request");
        }
    }

    /**
     * The headers as sent: a JSON object, or a string holding base64 of one or the JSON text itself, or an array of
     * {@code "Name: value"} strings. Names are valid tokens, values free of control characters, and there are not too
     * many.
     */
    private static Map<String, List<String>> headers(Body body) {
        JsonNode raw = body.raw(HEADERS_FIELD);
        if (raw == null) {
            throw ApiException.badRequest("missing " + HEADERS_FIELD);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (raw.isTextual()) {
            raw = decodeHeaderText(raw.asText());
        }
        if (raw.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(values(e.getKey(), e.getValue()));
            }
        } else if (raw.isArray()) {
            for (JsonNode line : raw) {
                int colon = line.isTextual() ? line.asText().indexOf(':') : -1;
                if (colon <= 0) {
                    throw Body.invalid(HEADERS_FIELD, "expected \"Name: value\" strings in the array");
                }
                headers.computeIfAbsent(line.asText().substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(line.asText().substring(colon + 1).trim());
            }
        } else {
            throw Body.invalid(HEADERS_FIELD, "expected a JSON object of header names to values");
        }
        if (headers.isEmpty()) {
            throw ApiException.badRequest("missing " + HEADERS_FIELD);
        }
        if (headers.size() > MAX_HEADER_COUNT) {
            throw Body.invalid(HEADERS_FIELD, "too many headers");
        }
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String name = e.getKey();
            if (!HEADER_NAME.matcher(name).matches()) {
                throw Body.invalid(HEADERS_FIELD, "invalid header name " + Text.shorten(name));
            }
            for (String value : e.getValue()) {
                if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                    throw Body.invalid(HEADERS_FIELD, "header " + name + " has control characters in its value");
                }
            }
        }
        return headers;
    }

    /** V1 signs no header: only those STS needs are kept (SPEC §4 rule 5). */
    private static Map<String, String> forwardedHeaders(Map<String, List<String>> headers) {
        Map<String, String> forwarded = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            String pinned = PINNED_HEADERS.get(lower);
            if (pinned != null && !e.getValue().stream().allMatch(pinned::equals)) {
                // Not signed, so never let them say something other than the signed query does.
                throw Body.invalid(HEADERS_FIELD, "header " + lower + " must be " + pinned + " (as the signed query"
                        + " says) or absent");
            }
            if (lower.startsWith("x-acs-") || FORWARDED_HEADERS.contains(lower)) {
                forwarded.merge(lower, String.join(", ", e.getValue()), (a, b) -> a + ", " + b);
            }
        }
        return forwarded;
    }

    private static JsonNode decodeHeaderText(String text) {
        if (text.length() > MAX_HEADERS) {
            throw Body.invalid(HEADERS_FIELD, "too long");
        }
        String json = text.trim();
        try {
            json = new String(Base64.getDecoder().decode(json), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            // raw JSON text, as Vault also accepts
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (Exception e) {
            // fall through to the error below
        }
        throw Body.invalid(HEADERS_FIELD, "expected base64 of a JSON object, or a JSON object");
    }

    private static List<String> values(String name, JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value.isTextual() || value.isNumber()) {
            out.add(value.asText());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw Body.invalid(HEADERS_FIELD, "received non-string value for header " + Text.shorten(name));
                }
                out.add(item.asText());
            }
        } else {
            throw Body.invalid(HEADERS_FIELD, "unrecognized value type for header " + Text.shorten(name));
        }
        return out;
    }
}
