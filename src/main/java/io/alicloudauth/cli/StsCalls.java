package io.alicloudauth.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The two STS calls that turn one credential into a role's session (reference/alibaba-credentials.md §4–7):
 * {@code AssumeRole}, signed RPC v1 with the base credential, and {@code AssumeRoleWithOIDC} (RRSA), anonymous.
 * Every parameter is checked before anything is sent; an STS refusal becomes its {@code Code: Message}.
 */
final class StsCalls {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_DURATION = 3600;
    private static final Pattern ROLE_ARN = Pattern.compile("acs:ram::\\d{1,32}:role/[\\w.@/+=,-]{1,255}");
    private static final Pattern OIDC_PROVIDER_ARN = Pattern.compile("acs:ram::\\d{1,32}:oidc-provider/[\\w.@/+=,-]{1,255}");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w.@-]{2,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;

    StsCalls(Map<String, String> env) {
        this.env = env;
    }

    /** What a role is assumed with: the role, a session name and the optional extras. */
    record RoleRequest(String roleArn, String sessionName, String externalId, String policy, int durationSeconds) {
    }

    /**
     * Where AssumeRole and AssumeRoleWithOIDC go: {@code ALIBABA_CLOUD_STS_ENDPOINT} when set (https, or http on
     * loopback only); else {@code sts[-vpc].<region>.aliyuncs.com} with the profile's region or
     * {@code ALIBABA_CLOUD_STS_REGION}; else the global {@code sts.aliyuncs.com}.
     */
    URI endpoint(String profileRegion, Boolean profileVpc) throws IOException {
        String explicit = env.get("ALIBABA_CLOUD_STS_ENDPOINT");
        if (explicit != null && !explicit.isBlank()) {
            return explicitEndpoint(explicit.trim());
        }
        String region = present(profileRegion) ? profileRegion : env.get("ALIBABA_CLOUD_STS_REGION");
        boolean vpc = profileVpc != null ? profileVpc : "true".equalsIgnoreCase(env.get("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"));
        if (!present(region)) {
            return URI.create("https://sts.aliyuncs.com");
        }
        if (!region.matches("[a-z0-9-]{1,64}")) {
            throw new IOException("STS region \"" + Printable.of(region) + "\" is not a region such as cn-hangzhou");
        }
        return URI.create("https://" + (vpc ? "sts-vpc." : "sts.") + region + ".aliyuncs.com");
    }

    private static URI explicitEndpoint(String value) throws IOException {
        String withScheme = value.contains("://") ? value : "https://" + value;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new IOException("ALIBABA_CLOUD_STS_ENDPOINT is not a host or URL");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || !HOST.matcher(authority).matches()
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IOException("ALIBABA_CLOUD_STS_ENDPOINT must be a host name, or a URL without path or query");
        }
        if ("http".equals(uri.getScheme())) {
            if (!isLoopback(uri.getHost())) {
                throw new IOException("ALIBABA_CLOUD_STS_ENDPOINT: http:// is accepted on loopback only; use https");
            }
        } else if (!"https".equals(uri.getScheme())) {
            throw new IOException("ALIBABA_CLOUD_STS_ENDPOINT must be https");
        }
        return URI.create(uri.getScheme() + "://" + authority);
    }

    private static boolean isLoopback(String host) {
        if (host == null || !(host.equals("localhost") || host.matches("[0-9.]+") || host.startsWith("["))) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** AssumeRole, signed with {@code base}; the new session's credentials. */
    Credentials assumeRole(Credentials base, RoleRequest role, URI endpoint, String source) throws IOException {
        check(role);
        Map<String, String> params = new TreeMap<>();
        params.put("Action", "AssumeRole");
        params.put("Format", "JSON");
        params.put("Version", "2015-04-01");
        params.put("DurationSeconds", Integer.toString(role.durationSeconds()));
        params.put("RoleArn", role.roleArn());
        params.put("RoleSessionName", role.sessionName());
        if (present(role.policy())) {
            params.put("Policy", role.policy());
        }
        if (present(role.externalId())) {
            params.put("ExternalId", role.externalId());
        }
        params.put("AccessKeyId", base.accessKeyId());
        if (present(base.securityToken())) {
            params.put("SecurityToken", base.securityToken());
        }
        params.put("Timestamp", LoginData.TIMESTAMP.format(Instant.now()));
        params.put("SignatureNonce", UUID.randomUUID().toString());
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureVersion", "1.0");
        params.put("Signature", RequestSigner.sign("GET", params, base.accessKeySecret()));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/?" + form(params))).timeout(TIMEOUT)
                .GET().build();
        return answer(send(request, "AssumeRole", endpoint), "AssumeRole", source);
    }

    /** AssumeRoleWithOIDC (RRSA): anonymous, with the token file read now (ACK rotates it). */
    Credentials assumeRoleWithOidc(RoleRequest role, String providerArn, Path tokenFile, URI endpoint, String source)
            throws IOException {
        check(role);
        if (providerArn == null || !OIDC_PROVIDER_ARN.matcher(providerArn).matches()) {
            throw new IOException("the OIDC provider ARN is not of the form acs:ram::<account>:oidc-provider/<name>");
        }
        String token = LocalFiles.read(tokenFile, 20_001, "the OIDC token file").strip();
        if (token.length() < 4 || token.length() > 20_000) {
            throw new IOException("the OIDC token in " + tokenFile + " is not 4 to 20,000 characters long");
        }
        Map<String, String> query = new TreeMap<>();
        query.put("Action", "AssumeRoleWithOIDC");
        query.put("Format", "JSON");
        query.put("Version", "2015-04-01");
        query.put("Timestamp", LoginData.TIMESTAMP.format(Instant.now()));
        Map<String, String> body = new TreeMap<>();
        body.put("RoleArn", role.roleArn());
        body.put("OIDCProviderArn", providerArn);
        body.put("OIDCToken", token);
        body.put("RoleSessionName", role.sessionName());
        body.put("DurationSeconds", Integer.toString(role.durationSeconds()));
        if (present(role.policy())) {
            body.put("Policy", role.policy());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/?" + form(query))).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(body))).build();
        return answer(send(request, "AssumeRoleWithOIDC", endpoint), "AssumeRoleWithOIDC", source);
    }

    /** The session name: given, else {@code ALIBABA_CLOUD_ROLE_SESSION_NAME}, else a generated one. */
    String sessionName(String given) {
        if (present(given)) {
            return given;
        }
        String fromEnv = env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME");
        return present(fromEnv) ? fromEnv : "alicloud-auth-" + System.currentTimeMillis();
    }

    private static void check(RoleRequest role) throws IOException {
        if (role.roleArn() == null || !ROLE_ARN.matcher(role.roleArn()).matches()) {
            throw new IOException("the role ARN \"" + Printable.of(role.roleArn())
                    + "\" is not of the form acs:ram::<account>:role/<name>");
        }
        if (!SESSION_NAME.matcher(role.sessionName()).matches()) {
            throw new IOException("the role session name must be 2 to 64 letters, digits or . @ - _");
        }
        if (present(role.externalId()) && !EXTERNAL_ID.matcher(role.externalId()).matches()) {
            throw new IOException("the external id must be 2 to 1,224 characters of letters, digits or +=,.@:/-_");
        }
        if (present(role.policy()) && role.policy().length() > 2048) {
            throw new IOException("the session policy is longer than 2,048 characters");
        }
        if (role.durationSeconds() < 900 || role.durationSeconds() > 43_200) {
            throw new IOException("the session duration must be 900 to 43,200 seconds");
        }
    }

    private static Http.Answer send(HttpRequest request, String action, URI endpoint) throws IOException {
        try {
            return Http.call(Http.client(Duration.ofSeconds(5)), request, TIMEOUT, action);
        } catch (java.io.InterruptedIOException e) {
            throw new IOException(action + " interrupted");
        } catch (IOException e) {
            throw new IOException(action + " at " + endpoint.getHost() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : Printable.of(e.getMessage())));
        }
    }

    private static Credentials answer(Http.Answer response, String action, String source) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.status() != 200) {
            String code = text(body, "Code");
            throw new IOException("STS refused " + action + " (HTTP " + response.status() + ")"
                    + (code == null ? "" : ": " + Printable.of(code) + ": " + Printable.of(text(body, "Message"))));
        }
        JsonNode credentials = body == null ? null : body.get("Credentials");
        String key = text(credentials, "AccessKeyId");
        String secret = text(credentials, "AccessKeySecret");
        String token = text(credentials, "SecurityToken");
        if (!present(key) || !present(secret) || !present(token)) {
            throw new IOException(action + ": the answer has no Credentials with a key, secret and token");
        }
        return new Credentials(key, secret, token, expiration(text(credentials, "Expiration")), source);
    }

    static Instant expiration(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String form(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((name, value) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
