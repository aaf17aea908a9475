package io.alicloudauth.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The two credential sources reached over HTTP (reference/alibaba-credentials.md §8): ECS instance metadata,
 * hardened mode first, and a credentials URI. Both answer {@code Code=Success} with STS credentials.
 */
final class HttpSources {

    static final String DEFAULT_METADATA = "http://100.100.100.200";
    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(2);
    static final Duration URI_TIMEOUT = Duration.ofSeconds(5);
    private static final String CREDENTIALS_PATH = "/latest/meta-data/ram/security-credentials/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;

    HttpSources(Map<String, String> env) {
        this.env = env;
    }

    /** The instance's RAM role credentials; {@code role} null to ask the metadata service for its name. */
    Credentials metadata(String base, String role, String source) throws IOException {
        HttpClient client = Http.client(METADATA_TIMEOUT);
        String token = metadataToken(client, base);
        if (!StsCalls.present(role)) {
            String listed = get(client, base + CREDENTIALS_PATH, token, METADATA_TIMEOUT, "the RAM role name").trim();
            role = listed.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
            if (role.isEmpty()) {
                throw new IOException("the instance has no RAM role attached");
            }
        }
        if (!role.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IOException("invalid RAM role name \"" + Printable.of(role) + "\"");
        }
        return credentials(get(client, base + CREDENTIALS_PATH + role, token, METADATA_TIMEOUT, "role credentials"),
                "the role credentials", source);
    }

    /** Hardened mode: a session token first; without one, plain mode unless IMDSv1 is disabled. */
    private String metadataToken(HttpClient client, String base) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/latest/api/token"))
                .timeout(METADATA_TIMEOUT).header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
                .PUT(HttpRequest.BodyPublishers.noBody()).build();
        String failure;
        try {
            Http.Answer answer = Http.call(client, request, METADATA_TIMEOUT, "the metadata token");
            String token = answer.text().trim();
            if (answer.status() == 200 && StsCalls.present(token)) {
                if (!token.matches("[\\x21-\\x7e]{1,1024}")) {
                    throw new IOException("the metadata token endpoint answered something that is not a token");
                }
                return token;
            }
            failure = "the metadata token endpoint answered HTTP " + answer.status();
        } catch (java.net.http.HttpConnectTimeoutException | java.net.ConnectException e) {
            throw new IOException("not reachable");
        } catch (java.io.InterruptedIOException | Http.TooLarge | java.net.http.HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            failure = "the metadata token endpoint failed";
        }
        if ("true".equalsIgnoreCase(env.get("ALIBABA_CLOUD_IMDSV1_DISABLED"))) {
            throw new IOException(failure + " and ALIBABA_CLOUD_IMDSV1_DISABLED=true forbids plain mode");
        }
        return null;
    }

    /** {@code GET uri}: HTTP 200 with {@code Code=Success} and STS credentials. */
    Credentials uri(String uri, String source) throws IOException {
        URI parsed;
        try {
            parsed = URI.create(uri.trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL");
        }
        if (parsed.getHost() == null || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new IOException("not an http or https URL");
        }
        String shown = Printable.uri(parsed);
        try {
            return credentials(get(Http.client(URI_TIMEOUT), parsed.toString(), null, URI_TIMEOUT, "credentials"),
                    "the answer of " + shown, source);
        } catch (IOException e) {
            throw new IOException(shown + ": " + e.getMessage());
        }
    }

    private static Credentials credentials(String text, String what, String source) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(what + " is not JSON");
        }
        String key = StsCalls.text(body, "AccessKeyId");
        String secret = StsCalls.text(body, "AccessKeySecret");
        String token = StsCalls.text(body, "SecurityToken");
        if (!"Success".equals(StsCalls.text(body, "Code")) || !StsCalls.present(key) || !StsCalls.present(secret)
                || !StsCalls.present(token)) {
            throw new IOException(what + " lacks Code=Success or a key, secret or token");
        }
        return new Credentials(key, secret, token, StsCalls.expiration(StsCalls.text(body, "Expiration")), source);
    }

    private static String get(HttpClient client, String url, String token, Duration timeout, String what)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        if (token != null) {
            request.header("X-aliyun-ecs-metadata-token", token);
        }
        Http.Answer answer;
        try {
            answer = Http.call(client, request.build(), timeout, what);
        } catch (java.net.http.HttpConnectTimeoutException | java.net.ConnectException e) {
            throw new IOException("not reachable");
        }
        if (answer.status() != 200) {
            throw new IOException("HTTP " + answer.status() + " getting " + what);
        }
        return answer.text();
    }
}
