package io.alicloudauth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    private static final int MAX_ANSWER = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;

    HttpSources(Map<String, String> env) {
        this.env = env;
    }

    /** The instance's RAM role credentials; {@code role} null to ask the metadata service for its name. */
    Credentials metadata(String base, String role, String source) throws IOException {
        HttpClient client = client(METADATA_TIMEOUT);
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
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && StsCalls.present(response.body().trim())) {
                return response.body().trim();
            }
            failure = "the metadata token endpoint answered HTTP " + response.statusCode();
        } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
            throw new IOException("not reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
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
        String shown = parsed.getScheme() + "://" + parsed.getRawAuthority() + "/...";
        try {
            return credentials(get(client(URI_TIMEOUT), parsed.toString(), null, URI_TIMEOUT, "credentials"),
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

    private static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();
    }

    private static String get(HttpClient client, String url, String token, Duration timeout, String what)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        if (token != null) {
            request.header("X-aliyun-ecs-metadata-token", token);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
            throw new IOException("not reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        byte[] bytes = capped(response.body(), what);
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " getting " + what);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** An answer's body, at most 64 KiB (an IOException beyond: the rest is never read); the stream is closed. */
    static byte[] capped(InputStream body, String what) throws IOException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(MAX_ANSWER + 1);
            if (bytes.length > MAX_ANSWER) {
                throw new IOException(what + ": the answer is larger than 64 KiB");
            }
            return bytes;
        }
    }
}
