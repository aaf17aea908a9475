package io.alicloudauth.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.alicloudauth.cli.RequestSigner;

/**
 * A stand-in for Alibaba Cloud STS that behaves like the real one where it matters: it verifies RPC v1 signatures
 * against the secrets it knows, refuses reused nonces and timestamps more than 15 minutes off, checks the
 * security token of STS credentials, and answers GetCallerIdentity for the identity behind the key. It can also be
 * told to fail: 5xx, hang, garbage, a reset connection, a redirect, an oversized body.
 */
public final class FakeSts {

    public enum Mode { NORMAL, FAIL_503, HANG, GARBAGE, RESET, REDIRECT, HUGE, ERROR_WITHOUT_CODE, MISSING_FIELDS,
        /** 200 without Content-Length: a chunked body of up to 300 MB, for as long as the client reads it. */
        CHUNKED_HUGE,
        /** A well-formed identity whose Arn is 5,000 characters long. */
        LONG_ARN }

    /** Bytes of the last CHUNKED_HUGE body that the client took before it stopped reading. */
    public final java.util.concurrent.atomic.AtomicLong streamed = new java.util.concurrent.atomic.AtomicLong();

    /** A credential STS knows, and who it belongs to. */
    public record Identity(String accessKeyId, String secret, String securityToken, String arn, String accountId,
            String identityType, String principalId, String roleId) {
    }

    /**
     * A RAM role that AssumeRole and AssumeRoleWithOIDC hand sessions of; {@code externalId} non-null when its
     * trust policy asks for one.
     */
    public record AssumableRole(String arn, String roleId, String externalId) {
    }

    /** What reached the fake: the decoded query and the headers (lowercased names). */
    public record Seen(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
            int bodyLength) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-sts");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    private final Map<String, AssumableRole> roles = new ConcurrentHashMap<>();
    private final Map<String, String> oidcProviders = new ConcurrentHashMap<>();
    /** Sessions handed out by AssumeRole and AssumeRoleWithOIDC. */
    public final java.util.concurrent.atomic.AtomicInteger assumed = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NORMAL);
    private volatile Duration hang = Duration.ofSeconds(5);
    /** How long every answer waits before it is sent, as real STS takes milliseconds (the benchmark's stand-in). */
    private volatile Duration delay = Duration.ZERO;
    /** Whether requests are kept for {@link #seen()}: the benchmark's stand-in, sent so many, keeps none. */
    private volatile boolean recording = true;

    static {
        // Answer without Nagle's delay: otherwise headers and body leave in two segments and a client's delayed
        // ACK adds some 40 ms to every call, an artificial delay that the real STS does not have.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public FakeSts() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    public FakeSts add(Identity identity) {
        identities.put(identity.accessKeyId(), identity);
        return this;
    }

    public FakeSts role(AssumableRole role) {
        roles.put(role.arn(), role);
        return this;
    }

    /** An OIDC provider (RRSA) whose tokens AssumeRoleWithOIDC accepts: exactly {@code token}. */
    public FakeSts oidcProvider(String providerArn, String token) {
        oidcProviders.put(providerArn, token);
        return this;
    }

    public void mode(Mode next) {
        mode.set(next);
    }

    public void hangFor(Duration duration) {
        hang = duration;
    }

    /** Keeps no record of what it is sent (the benchmark's stand-in): {@link #seen()} stays empty. */
    public void recordNothing() {
        recording = false;
    }

    /** Every answer waits this long first (0: none). */
    public void delay(Duration duration) {
        delay = duration;
    }

    /** Back to normal behaviour with nothing recorded; known identities and used nonces are kept. */
    public void reset() {
        mode.set(Mode.NORMAL);
        hang = Duration.ofSeconds(5);
        seen.clear();
    }

    public int requestCount() {
        return seen.size();
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> query = decode(exchange.getRequestURI().getRawQuery());
            if (recording) {
                Map<String, List<String>> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), query, headers,
                        body.length));
            }
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            switch (mode.get()) {
                case FAIL_503 -> respond(exchange, 503, "{\"Code\":\"ServiceUnavailable\"}");
                case HANG -> {
                    try {
                        Thread.sleep(hang.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    respond(exchange, 503, "{}");
                }
                case GARBAGE -> respond(exchange, 200, "<html>this is not STS</html>");
                case RESET -> {
                    // close the connection without answering
                }
                case REDIRECT -> {
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
                    respond(exchange, 302, "");
                }
                case HUGE -> respond(exchange, 200, "{\"Arn\":\"" + "a".repeat(200_000) + "\"}");
                case ERROR_WITHOUT_CODE -> respond(exchange, 400, "bad request");
                case CHUNKED_HUGE -> EndlessAnswer.send(exchange, "{\"Arn\":\"", 300L * 1024 * 1024, streamed);
                case LONG_ARN -> respond(exchange, 200, "{\"RequestId\":\"r\",\"IdentityType\":\"AssumedRoleUser\","
                        + "\"AccountId\":\"5138828231865461\",\"PrincipalId\":\"300800:s\",\"Arn\":\"acs:ram::"
                        + "5138828231865461:assumed-role/dev-role/" + "s".repeat(5000) + "\"}");
                case MISSING_FIELDS -> respond(exchange, 200, "{\"RequestId\":\"r\",\"AccountId\":\"1\"}");
                case NORMAL -> {
                    String action = query == null ? null : query.get("Action");
                    if ("AssumeRole".equals(action)) {
                        assumeRole(exchange, query, body.length);
                    } else if ("AssumeRoleWithOIDC".equals(action)) {
                        assumeRoleWithOidc(exchange, query, new String(body, StandardCharsets.UTF_8));
                    } else {
                        answer(exchange, query, body);
                    }
                }
            }
        }
    }

    /** AssumeRole: GET, RPC v1 signed (method GET) with the caller's secret, its SecurityToken when it has one. */
    private void assumeRole(HttpExchange exchange, Map<String, String> query, int bodyLength) throws IOException {
        if (!exchange.getRequestMethod().equals("GET") || bodyLength != 0) {
            respond(exchange, 400, error("InvalidParameter", "expected a GET"));
            return;
        }
        Identity caller = verified(exchange, query, "GET");
        if (caller == null) {
            return;
        }
        AssumableRole role = roles.get(query.getOrDefault("RoleArn", ""));
        if (role == null || !role.arn().contains(":" + caller.accountId() + ":")) {
            respond(exchange, 404, error("EntityNotExist.Role", "The role not exists or is not assumable."));
            return;
        }
        if (role.externalId() != null && !role.externalId().equals(query.get("ExternalId"))) {
            respond(exchange, 403, error("NoPermission", "You are not authorized to do this action."));
            return;
        }
        session(exchange, role, query.get("RoleSessionName"), query.get("DurationSeconds"));
    }

    /** AssumeRoleWithOIDC: anonymous POST, the parameters in a form body, the token checked against its provider. */
    private void assumeRoleWithOidc(HttpExchange exchange, Map<String, String> query, String body) throws IOException {
        Map<String, String> form = decode(body);
        if (!exchange.getRequestMethod().equals("POST") || form == null || query.containsKey("AccessKeyId")
                || query.containsKey("Signature")) {
            respond(exchange, 400, error("InvalidParameter", "expected an anonymous POST with a form body"));
            return;
        }
        String expected = oidcProviders.get(form.getOrDefault("OIDCProviderArn", ""));
        if (expected == null || !expected.equals(form.get("OIDCToken"))) {
            respond(exchange, 400, error("AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid."));
            return;
        }
        AssumableRole role = roles.get(form.getOrDefault("RoleArn", ""));
        if (role == null) {
            respond(exchange, 404, error("EntityNotExist.Role", "The role not exists or is not assumable."));
            return;
        }
        session(exchange, role, form.get("RoleSessionName"), form.get("DurationSeconds"));
    }

    private void session(HttpExchange exchange, AssumableRole role, String sessionName, String duration)
            throws IOException {
        if (sessionName == null || !sessionName.matches("[\\w.@-]{2,64}")) {
            respond(exchange, 400, error("InvalidParameter.RoleSessionName", "bad RoleSessionName"));
            return;
        }
        long seconds = duration == null ? 3600 : Long.parseLong(duration);
        String account = role.arn().split(":")[3];
        String name = role.arn().substring(role.arn().indexOf(":role/") + 6);
        Identity session = new Identity("STS.fake" + java.util.UUID.randomUUID().toString().replace("-", ""),
                "secret-" + java.util.UUID.randomUUID(), "token-" + java.util.UUID.randomUUID(),
                "acs:ram::" + account + ":assumed-role/" + name + "/" + sessionName, account, "AssumedRoleUser",
                role.roleId() + ":" + sessionName, role.roleId());
        add(session);
        assumed.incrementAndGet();
        respond(exchange, 200, "{\"RequestId\":\"" + java.util.UUID.randomUUID() + "\",\"AssumedRoleUser\":{\"Arn\":\""
                + session.arn() + "\",\"AssumedRoleId\":\"" + session.principalId() + "\"},\"Credentials\":{"
                + "\"AccessKeyId\":\"" + session.accessKeyId() + "\",\"AccessKeySecret\":\"" + session.secret()
                + "\",\"SecurityToken\":\"" + session.securityToken() + "\",\"Expiration\":\""
                + Instant.now().plusSeconds(seconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}}");
    }

    /** The caller of a signed request after every check GetCallerIdentity makes, or null when refused. */
    private Identity verified(HttpExchange exchange, Map<String, String> query, String method) throws IOException {
        if (!"HMAC-SHA1".equals(query.get("SignatureMethod")) || !"1.0".equals(query.get("SignatureVersion"))) {
            respond(exchange, 400, error("InvalidParameter", "unexpected signature parameters"));
            return null;
        }
        Identity identity = identities.get(query.getOrDefault("AccessKeyId", ""));
        if (identity == null) {
            respond(exchange, 404, error("InvalidAccessKeyId.NotFound", "Specified access key is not found."));
            return null;
        }
        String signature = query.get("Signature");
        String expected = RequestSigner.sign(method, query, identity.secret());
        if (signature == null || !java.security.MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
            respond(exchange, 400, error("SignatureDoesNotMatch", "Specified signature is not matched."));
            return null;
        }
        Instant timestamp;
        try {
            timestamp = Instant.parse(query.getOrDefault("Timestamp", ""));
        } catch (RuntimeException e) {
            respond(exchange, 400, error("InvalidTimeStamp.Format", "bad timestamp"));
            return null;
        }
        if (Duration.between(timestamp, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
            respond(exchange, 400, error("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."));
            return null;
        }
        if (identity.securityToken() != null && !identity.securityToken().equals(query.get("SecurityToken"))) {
            respond(exchange, 400, error("InvalidSecurityToken.MismatchWithAccessKey", "token mismatch"));
            return null;
        }
        if (!nonces.add(query.getOrDefault("SignatureNonce", ""))) {
            respond(exchange, 400, error("SignatureNonceUsed", "Specified signature nonce was used already."));
            return null;
        }
        return identity;
    }

    private void answer(HttpExchange exchange, Map<String, String> query, byte[] body) throws IOException {
        int bodyLength = body.length;
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("ACS3-")) {
            answerV3(exchange, query, authorization, body);
            return;
        }
        if (query == null) {
            respond(exchange, 400, error("MissingParameter", "duplicate or malformed query"));
            return;
        }
        if (!exchange.getRequestMethod().equals("POST") || bodyLength != 0) {
            respond(exchange, 400, error("InvalidParameter", "expected an empty POST"));
            return;
        }
        if (!"GetCallerIdentity".equals(query.get("Action")) || !"2015-04-01".equals(query.get("Version"))) {
            respond(exchange, 400, error("InvalidParameter", "unexpected action or signature parameters"));
            return;
        }
        Identity identity = verified(exchange, query, "POST");
        if (identity == null) {
            return;
        }
        respond(exchange, 200, "{\"RequestId\":\"" + java.util.UUID.randomUUID() + "\",\"IdentityType\":\""
                + identity.identityType() + "\",\"AccountId\":\"" + identity.accountId() + "\",\"PrincipalId\":\""
                + identity.principalId() + "\",\"UserId\":\"" + identity.principalId() + "\",\"Arn\":\""
                + identity.arn() + "\",\"RoleId\":\"" + identity.roleId() + "\"}");
    }

    private static final java.util.regex.Pattern V3_AUTHORIZATION = java.util.regex.Pattern.compile(
            "ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})");

    /**
     * Signature V3 as Alibaba's gateway checks it: the canonical request rebuilt from what arrived (the method, path,
     * query, the headers SignedHeaders lists with the values received, {@code Host} included, and the body's hash),
     * its HMAC-SHA256 under the caller's secret compared with the signature; then date, token and nonce.
     */
    private void answerV3(HttpExchange exchange, Map<String, String> query, String authorization, byte[] body)
            throws IOException {
        java.util.regex.Matcher auth = V3_AUTHORIZATION.matcher(authorization);
        if (!auth.matches() || query == null) {
            respond(exchange, 400, error("InvalidAuthorization", "malformed Authorization"));
            return;
        }
        Identity identity = identities.get(auth.group(1));
        if (identity == null) {
            respond(exchange, 404, error("InvalidAccessKeyId.NotFound", "Specified access key is not found."));
            return;
        }
        StringBuilder canonical = new StringBuilder(exchange.getRequestMethod()).append('\n')
                .append(exchange.getRequestURI().getRawPath()).append('\n');
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        query.forEach((k, v) -> sorted.put(RequestSigner.percentEncode(k), RequestSigner.percentEncode(v)));
        canonical.append(String.join("&", sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList())).append('\n');
        for (String name : auth.group(2).split(";")) {
            List<String> values = exchange.getRequestHeaders().get(name);
            String value = values == null ? "" : String.join(",", values).trim();
            canonical.append(name).append(':').append(value).append('\n');
        }
        canonical.append('\n').append(auth.group(2)).append('\n').append(hex(sha256(body)));
        String expected;
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(identity.secret().getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            expected = hex(mac.doFinal(("ACS3-HMAC-SHA256\n" + hex(sha256(canonical.toString()
                    .getBytes(StandardCharsets.UTF_8)))).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        if (!java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                auth.group(3).getBytes(StandardCharsets.UTF_8))) {
            respond(exchange, 400, error("SignatureDoesNotMatch", "Specified signature is not matched."));
            return;
        }
        var headers = exchange.getRequestHeaders();
        if (!"GetCallerIdentity".equals(headers.getFirst("x-acs-action"))
                || !"2015-04-01".equals(headers.getFirst("x-acs-version"))) {
            respond(exchange, 400, error("InvalidParameter", "unexpected action or version"));
            return;
        }
        Instant date;
        try {
            date = Instant.parse(String.valueOf(headers.getFirst("x-acs-date")));
        } catch (RuntimeException e) {
            respond(exchange, 400, error("InvalidTimeStamp.Format", "bad x-acs-date"));
            return;
        }
        if (Duration.between(date, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
            respond(exchange, 400, error("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."));
            return;
        }
        if (identity.securityToken() != null && !identity.securityToken().equals(headers.getFirst("x-acs-security-token"))) {
            respond(exchange, 400, error("InvalidSecurityToken.MismatchWithAccessKey", "token mismatch"));
            return;
        }
        String nonce = headers.getFirst("x-acs-signature-nonce");
        if (nonce != null && !nonces.add(nonce)) {
            respond(exchange, 400, error("SignatureNonceUsed", "Specified signature nonce was used already."));
            return;
        }
        respond(exchange, 200, "{\"RequestId\":\"" + java.util.UUID.randomUUID() + "\",\"IdentityType\":\""
                + identity.identityType() + "\",\"AccountId\":\"" + identity.accountId() + "\",\"PrincipalId\":\""
                + identity.principalId() + "\",\"UserId\":\"" + identity.principalId() + "\",\"Arn\":\""
                + identity.arn() + "\",\"RoleId\":\"" + identity.roleId() + "\"}");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] data) {
        return java.util.HexFormat.of().formatHex(data);
    }

    private static String error(String code, String message) {
        return "{\"RequestId\":\"" + java.util.UUID.randomUUID() + "\",\"HostId\":\"sts.aliyuncs.com\",\"Code\":\""
                + code + "\",\"Message\":\"" + message + "\"}";
    }

    /** The query as STS reads it; null when a name repeats. */
    private static Map<String, String> decode(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.put(name, value) != null) {
                return null;
            }
        }
        return out;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
