package io.alicloudauth.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for Vault's HTTP API, just the part write-through uses: token creation (orphan or with a token
 * role), reading a token role, revocation by accessor, and {@code sys/health}. It refuses any request without the expected
 * {@code X-Vault-Token}, records what it is sent, and can be sealed, forbidding, slow or gone.
 *
 * <p>The test talks to it over HTTP ({@code /__calls}, {@code /__mode/<MODE>}, {@code /__reset}): it is started by a
 * {@code QuarkusTestResourceLifecycleManager}, in a class loader the test classes cannot share objects with.
 */
public final class FakeVault {

    public enum Mode { NORMAL, SEALED, FORBIDDEN, SLOW, RESET, REPEAT_ACCESSOR,
        /** Token creation answered with a chunked body of up to 200 MB, sent for as long as the client reads. */
        HUGE }

    public static final String TOKEN = "fake-vault-service-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<ObjectNode> calls = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile Mode mode = Mode.NORMAL;
    /** Token roles as {@code auth/token/roles/<name>} answers them ({@code data}), set with {@code /__role/<name>}. */
    private final java.util.Map<String, JsonNode> tokenRoles = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong streamed = new java.util.concurrent.atomic.AtomicLong();
    /** Entities by alias name, as Vault creates them on first use of an alias (on the token mount). */
    private final java.util.Map<String, String> entities = new ConcurrentHashMap<>();

    public FakeVault() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-vault");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.startsWith("/__")) {
                control(exchange, path, body);
                return;
            }
            ObjectNode call = JSON.createObjectNode().put("method", method).put("path", path)
                    .put("token", String.valueOf(exchange.getRequestHeaders().getFirst("X-Vault-Token")));
            call.set("body", body.length == 0 ? null : JSON.readTree(body));
            calls.add(call);
            switch (mode) {
                case SEALED -> {
                    respond(exchange, 503, "{\"errors\":[\"Vault is sealed\"]}");
                    return;
                }
                case FORBIDDEN -> {
                    respond(exchange, 403, "{\"errors\":[\"permission denied\"]}");
                    return;
                }
                case SLOW -> {
                    try {
                        Thread.sleep(6000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case RESET -> {
                    return;
                }
                case NORMAL, REPEAT_ACCESSOR -> { }
            }
            if (path.equals("/v1/sys/health")) {
                respond(exchange, 200, "{\"initialized\":true,\"sealed\":false,\"standby\":false}");
                return;
            }
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
                respond(exchange, 403, "{\"errors\":[\"permission denied\"]}");
                return;
            }
            if (mode == Mode.HUGE && path.startsWith("/v1/auth/token/create")) {
                EndlessAnswer.send(exchange, "{\"auth\":{\"client_token\":\"", 200L * 1024 * 1024, streamed);
                return;
            }
            if (method.equals("GET") && path.startsWith("/v1/auth/token/roles/")) {
                JsonNode role = tokenRoles.get(path.substring("/v1/auth/token/roles/".length()));
                if (role == null) {
                    respond(exchange, 404, "{\"errors\":[]}");
                } else {
                    ObjectNode answer = JSON.createObjectNode().put("request_id", "r-role");
                    answer.set("data", role);
                    respond(exchange, 200, answer.toString());
                }
            } else if (method.equals("POST") && (path.equals("/v1/auth/token/create-orphan")
                    || path.startsWith("/v1/auth/token/create/"))) {
                JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
                String tokenRole = path.startsWith("/v1/auth/token/create/")
                        ? path.substring("/v1/auth/token/create/".length()) : null;
                String refused = entityAliasRefusal(tokenRole, request.path("entity_alias").asText(""));
                if (refused != null) {
                    respond(exchange, 400, JSON.createObjectNode().set("errors", JSON.createArrayNode().add(refused))
                            .toString());
                    return;
                }
                created(exchange, request);
            } else if (method.equals("POST") && path.equals("/v1/auth/token/revoke-accessor")) {
                String accessor = JSON.readTree(body).path("accessor").asText();
                if (live.remove(accessor)) {
                    respond(exchange, 204, "");
                } else {
                    respond(exchange, 400, "{\"errors\":[\"invalid accessor\"]}");
                }
            } else if (path.equals("/v1/auth/token/lookup-self")) {
                respond(exchange, 200, "{\"data\":{\"id\":\"" + TOKEN + "\",\"policies\":[\"root\"],\"ttl\":0,"
                        + "\"renewable\":false}}");
            } else {
                respond(exchange, 404, "{\"errors\":[]}");
            }
        }
    }

    private void created(HttpExchange exchange, JsonNode request) throws IOException {
        int n = mode == Mode.REPEAT_ACCESSOR ? counter.get() : counter.incrementAndGet();
        String accessor = "vault-accessor-" + n;
        live.add(accessor);
        ArrayNode policies = JSON.createArrayNode();
        List<String> names = new ArrayList<>();
        request.path("policies").forEach(p -> names.add(p.asText()));
        if (!request.path("no_default_policy").asBoolean(false)) {
            names.add("default");
        }
        names.stream().sorted().forEach(policies::add);
        ObjectNode auth = JSON.createObjectNode().put("client_token", "hvs.vault-minted-" + n).put("accessor", accessor);
        auth.set("policies", policies);
        auth.set("token_policies", policies);
        auth.set("metadata", request.path("meta"));
        auth.put("lease_duration", leaseSeconds(request)).put("renewable", request.path("renewable").asBoolean(true))
                .put("entity_id", request.path("entity_alias").asText("").isEmpty() ? ""
                        : entities.computeIfAbsent(request.path("entity_alias").asText(),
                                a -> java.util.UUID.randomUUID().toString()))
                .put("token_type", request.path("type").asText("service")).put("orphan", true)
                .put("num_uses", request.path("num_uses").asInt(0));
        ObjectNode answer = JSON.createObjectNode().put("request_id", "r-" + n).put("lease_id", "")
                .put("renewable", false).put("lease_duration", 0);
        answer.set("data", null);
        answer.set("auth", auth);
        respond(exchange, 200, answer.toString());
    }

    /**
     * Vault's rules for {@code entity_alias}: only with a token role, which must exist and list the alias in
     * {@code allowed_entity_aliases} (globs, case-insensitive). Null when accepted.
     */
    private String entityAliasRefusal(String tokenRole, String alias) {
        if (alias.isEmpty()) {
            return null;
        }
        if (tokenRole == null) {
            return "'entity_alias' is only allowed in combination with token role";
        }
        JsonNode role = tokenRoles.get(tokenRole);
        if (role == null) {
            return "unknown role";
        }
        JsonNode allowed = role.path("allowed_entity_aliases");
        List<String> patterns = new ArrayList<>();
        if (allowed.isArray()) {
            allowed.forEach(a -> patterns.add(a.asText()));
        } else if (allowed.isTextual()) {
            patterns.addAll(List.of(allowed.asText().split(",")));
        }
        for (String pattern : patterns) {
            String regex = ("\\Q" + pattern.trim().toLowerCase(java.util.Locale.ROOT) + "\\E").replace("*", "\\E.*\\Q");
            if (alias.toLowerCase(java.util.Locale.ROOT).matches(regex)) {
                return null;
            }
        }
        return "invalid 'entity_alias' value";
    }

    /** The entity Vault made for an alias, or null. */
    public String entityOf(String alias) {
        return entities.get(alias);
    }

    private static long leaseSeconds(JsonNode request) {
        JsonNode period = request.get("period");
        JsonNode ttl = request.get("ttl");
        JsonNode chosen = period != null && !period.isNull() ? period : ttl;
        if (chosen == null || chosen.isNull()) {
            return 2764800;
        }
        return chosen.isNumber() ? chosen.asLong() : io.alicloudauth.api.Durations.parseSeconds(chosen.asText());
    }

    private void control(HttpExchange exchange, String path, byte[] body) throws IOException {
        if (path.startsWith("/__role/")) {
            tokenRoles.put(path.substring("/__role/".length()), JSON.readTree(body));
            respond(exchange, 204, "");
        } else if (path.equals("/__streamed")) {
            respond(exchange, 200, Long.toString(streamed.get()));
        } else if (path.equals("/__calls")) {
            synchronized (calls) {
                respond(exchange, 200, JSON.valueToTree(calls).toString());
            }
        } else if (path.startsWith("/__mode/")) {
            mode = Mode.valueOf(path.substring("/__mode/".length()));
            respond(exchange, 204, "");
        } else if (path.equals("/__reset")) {
            mode = Mode.NORMAL;
            calls.clear();
            tokenRoles.clear();
            entities.clear();
            respond(exchange, 204, "");
        } else if (path.equals("/__entities")) {
            respond(exchange, 200, JSON.valueToTree(entities).toString());
        } else if (path.equals("/__live")) {
            respond(exchange, 200, JSON.valueToTree(new ArrayList<>(live)).toString());
        } else {
            respond(exchange, 404, "");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
