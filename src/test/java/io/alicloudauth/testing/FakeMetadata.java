package io.alicloudauth.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An ECS instance metadata service on loopback: the role name and its STS credentials under
 * {@code /latest/meta-data/ram/security-credentials/}, with hardened mode (a session token from
 * {@code PUT /latest/api/token}, then required on every read) or plain mode (the token endpoint refuses).
 */
public final class FakeMetadata implements AutoCloseable {

    private final HttpServer server;
    private final FakeSts.Identity identity;
    private final String roleName;
    private final boolean hardened;
    public final List<String> seen = new CopyOnWriteArrayList<>();
    static final String SESSION = "metadata-session-token";

    public FakeMetadata(FakeSts.Identity identity, String roleName, boolean hardened) throws IOException {
        this.identity = identity;
        this.roleName = roleName;
        this.hardened = hardened;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String token = exchange.getRequestHeaders().getFirst("X-aliyun-ecs-metadata-token");
            seen.add(exchange.getRequestMethod() + " " + path + (token == null ? "" : " with-token"));
            if (path.equals("/latest/api/token")) {
                boolean ttl = exchange.getRequestHeaders().getFirst("X-aliyun-ecs-metadata-token-ttl-seconds") != null;
                if (hardened && exchange.getRequestMethod().equals("PUT") && ttl) {
                    respond(exchange, 200, SESSION);
                } else {
                    respond(exchange, 403, "forbidden");
                }
                return;
            }
            if (hardened && !SESSION.equals(token)) {
                respond(exchange, 401, "token required");
                return;
            }
            String base = "/latest/meta-data/ram/security-credentials/";
            if (path.equals(base)) {
                respond(exchange, 200, roleName);
            } else if (path.equals(base + roleName)) {
                respond(exchange, 200, "{\"AccessKeyId\":\"" + identity.accessKeyId() + "\",\"AccessKeySecret\":\""
                        + identity.secret() + "\",\"SecurityToken\":\"" + identity.securityToken()
                        + "\",\"Expiration\":\"2099-01-01T00:00:00Z\",\"LastUpdated\":\"2026-01-01T00:00:00Z\","
                        + "\"Code\":\"Success\"}");
            } else {
                respond(exchange, 404, "not found");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
