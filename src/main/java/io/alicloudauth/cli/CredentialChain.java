package io.alicloudauth.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where the client finds Alibaba Cloud credentials, first found wins (SPEC §7): command-line flags; the
 * {@code ALIBABA_CLOUD_*} environment; Vault's {@code ALICLOUD_*} environment; ECS instance metadata, hardened mode
 * first. Each miss is remembered so that the final error says where it looked.
 */
public final class CredentialChain {

    public static final String DEFAULT_METADATA = "http://100.100.100.200";
    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(2);
    private static final String CREDENTIALS_PATH = "/latest/meta-data/ram/security-credentials/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final List<String> looked = new ArrayList<>();

    public CredentialChain(Map<String, String> env) {
        this.env = env;
    }

    /** Thrown when no source had credentials; the message lists every place looked at. */
    public static final class NotFound extends Exception {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    public Credentials resolve(String flagKey, String flagSecret, String flagToken, String ecsRole,
            String metadataEndpoint) throws NotFound {
        if (present(flagKey) && present(flagSecret)) {
            return new Credentials(flagKey, flagSecret, blankToNull(flagToken), "flags");
        }
        looked.add("--access-key/--secret-key");
        Optional<Credentials> fromEnv = fromEnv("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                "ALIBABA_CLOUD_SECURITY_TOKEN");
        if (fromEnv.isEmpty()) {
            fromEnv = fromEnv("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_ACCESS_KEY_STS_TOKEN");
        }
        if (fromEnv.isPresent()) {
            return fromEnv.get();
        }
        String base = firstPresent(metadataEndpoint, env.get("ALICLOUD_AUTH_METADATA_ENDPOINT"), DEFAULT_METADATA);
        try {
            return fromMetadata(stripSlash(base), firstPresent(ecsRole, env.get("ALIBABA_CLOUD_ECS_METADATA"), null));
        } catch (IOException e) {
            looked.add("ECS instance metadata at " + base + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            looked.add("ECS instance metadata at " + base + " (interrupted)");
        }
        throw new NotFound("no Alibaba Cloud credentials found; looked at " + String.join(", ", looked));
    }

    private Optional<Credentials> fromEnv(String keyVar, String secretVar, String tokenVar) {
        String key = env.get(keyVar);
        String secret = env.get(secretVar);
        if (present(key) && present(secret)) {
            return Optional.of(new Credentials(key, secret, blankToNull(env.get(tokenVar)), "environment " + keyVar));
        }
        looked.add(keyVar + "/" + secretVar);
        return Optional.empty();
    }

    private Credentials fromMetadata(String base, String role) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(METADATA_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();
        String token = metadataToken(client, base);
        if (!present(role)) {
            String listed = get(client, base + CREDENTIALS_PATH, token, "the RAM role name").trim();
            role = listed.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
            if (role.isEmpty()) {
                throw new IOException("the instance has no RAM role attached");
            }
        }
        if (!role.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IOException("invalid RAM role name from metadata");
        }
        JsonNode body;
        try {
            body = JSON.readTree(get(client, base + CREDENTIALS_PATH + role, token, "role credentials"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("role credentials are not JSON");
        }
        if (body == null || !"Success".equals(text(body, "Code")) || !present(text(body, "AccessKeyId"))
                || !present(text(body, "AccessKeySecret")) || !present(text(body, "SecurityToken"))) {
            throw new IOException("role credentials answer lacks Code=Success or a key, secret or token");
        }
        return new Credentials(text(body, "AccessKeyId"), text(body, "AccessKeySecret"), text(body, "SecurityToken"),
                "ECS instance metadata (role " + role + ")");
    }

    /** Hardened mode: a session token first; without one, plain mode unless IMDSv1 is disabled. */
    private String metadataToken(HttpClient client, String base) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/latest/api/token"))
                .timeout(METADATA_TIMEOUT).header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
                .PUT(HttpRequest.BodyPublishers.noBody()).build();
        String failure;
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && present(response.body().trim())) {
                return response.body().trim();
            }
            failure = "the metadata token endpoint answered HTTP " + response.statusCode();
        } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
            throw new IOException("not reachable");
        } catch (IOException e) {
            failure = "the metadata token endpoint failed";
        }
        if ("true".equalsIgnoreCase(env.get("ALIBABA_CLOUD_IMDSV1_DISABLED"))) {
            throw new IOException(failure + " and ALIBABA_CLOUD_IMDSV1_DISABLED=true forbids plain mode");
        }
        return null;
    }

    private static String get(HttpClient client, String url, String token, String what)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(METADATA_TIMEOUT).GET();
        if (token != null) {
            request.header("X-aliyun-ecs-metadata-token", token);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
            throw new IOException("not reachable");
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " getting " + what);
        }
        return response.body();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String blankToNull(String s) {
        return present(s) ? s : null;
    }

    private static String firstPresent(String a, String b, String fallback) {
        return present(a) ? a : present(b) ? b : fallback;
    }

    static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
