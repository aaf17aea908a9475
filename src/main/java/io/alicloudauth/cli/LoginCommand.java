package io.alicloudauth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code login}: signs an STS GetCallerIdentity request from Alibaba Cloud credentials, as
 * {@code vault login -method=alicloud} does, and logs in. Stdout carries only the requested output; every error is
 * one line on stderr with a non-zero exit (1 failure, 2 usage). Uses nothing of the server: no CDI, no HTTP port.
 */
public final class LoginCommand {

    static final String USAGE = """
            Usage: alicloud-auth login --role ROLE --region REGION [options]

            Signs an STS GetCallerIdentity request with Alibaba Cloud credentials and logs in to the
            alicloud auth method at ADDRESS; prints the client token.

              --role ROLE               the alicloud-auth role to log in as (required)
              --region REGION           the STS region to sign for (default $ALIBABA_CLOUD_REGION_ID)
              --address URL             the server (default $VAULT_ADDR, then http://127.0.0.1:8080)
              --mount PATH              the auth mount (default alicloud)
              --format token|json|login-data
                                        token: the client token alone (default); json: the server's login
                                        response, with credential_source naming where the credentials came
                                        from; login-data: the login body, without contacting the server
              --access-key ID           credentials given directly (first of the sources below)
              --secret-key SECRET
              --security-token TOKEN
              --role-arn ARN            assume this RAM role with the credentials found (AssumeRole), and
                                        log in as it
              --role-session-name NAME  its session name (default $ALIBABA_CLOUD_ROLE_SESSION_NAME, else
                                        alicloud-auth-<time>)
              --external-id ID          the external id the role's trust policy asks for
              --ecs-role NAME           the instance's RAM role (default $ALIBABA_CLOUD_ECS_METADATA, else discovered)
              --metadata-endpoint URL   default $ALICLOUD_AUTH_METADATA_ENDPOINT, then http://100.100.100.200
              --help                    this text

            Credentials, first found wins:
            """ + CredentialChain.SOURCES + """
            AssumeRole and AssumeRoleWithOIDC go to $ALIBABA_CLOUD_STS_ENDPOINT when set, else
            sts[-vpc].$ALIBABA_CLOUD_STS_REGION.aliyuncs.com ($ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true for
            sts-vpc), else sts.aliyuncs.com.
            """;


    static final Set<String> OPTIONS = Set.of("role", "region", "address", "mount", "format", "access-key",
            "secret-key", "security-token", "ecs-role", "metadata-endpoint", "role-arn", "role-session-name",
            "external-id");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SERVER_TIMEOUT = Duration.ofSeconds(30);

    private LoginCommand() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(USAGE);
                return 0;
            }
            if (!arg.startsWith("--")) {
                return usage(err, "unexpected argument " + arg);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return usage(err, "--" + name + " needs a value");
            }
            if (!OPTIONS.contains(name)) {
                return usage(err, "unknown option --" + name);
            }
            options.put(name, value);
        }

        String role = options.getOrDefault("role", "").trim();
        String region = options.getOrDefault("region", env.getOrDefault("ALIBABA_CLOUD_REGION_ID", "")).trim();
        String format = options.getOrDefault("format", "token");
        String mount = options.getOrDefault("mount", "alicloud").replaceAll("^/+|/+$", "");
        String address = firstPresent(options.get("address"), env.get("VAULT_ADDR"), "http://127.0.0.1:8080");
        if (role.isEmpty()) {
            return usage(err, "--role is required");
        }
        if (!region.matches("[a-z0-9-]{1,64}")) {
            return usage(err, region.isEmpty() ? "--region is required (or ALIBABA_CLOUD_REGION_ID)"
                    : "--region must look like cn-hangzhou");
        }
        if (!Set.of("token", "json", "login-data").contains(format)) {
            return usage(err, "--format must be token, json or login-data");
        }
        if (!mount.matches("[\\w./-]{1,128}")) {
            return usage(err, "--mount must be a mount path such as alicloud");
        }

        if (options.containsKey("access-key") != options.containsKey("secret-key")) {
            return usage(err, "--access-key and --secret-key go together");
        }
        CredentialChain chain = new CredentialChain(env);
        Credentials credentials;
        try {
            credentials = chain.resolve(chainOptions(options));
        } catch (CredentialChain.NotFound e) {
            chain.warnings().forEach(w -> err.println("alicloud-auth login: warning: " + w));
            err.println("alicloud-auth login: " + e.getMessage());
            return 1;
        }
        chain.warnings().forEach(w -> err.println("alicloud-auth login: warning: " + w));

        String body = loginBody(role, region, credentials, Instant.now());
        if (format.equals("login-data")) {
            out.println(body);
            return 0;
        }
        return send(address, mount, body, format, credentials.source(), out, err);
    }

    static CredentialChain.Options chainOptions(Map<String, String> options) {
        return new CredentialChain.Options(options.get("access-key"), options.get("secret-key"),
                options.get("security-token"), options.get("ecs-role"), options.get("metadata-endpoint"),
                options.get("role-arn"), options.get("role-session-name"), options.get("external-id"));
    }

    /** The JSON login body Vault's CLI sends: role, base64 signed URL, base64 headers. */
    static String loginBody(String role, String region, Credentials credentials, Instant now) {
        Map<String, String> query = LoginData.signedQuery(credentials.accessKeyId(), credentials.accessKeySecret(),
                credentials.securityToken(), region, now, null);
        String url = LoginData.url("sts." + region + ".aliyuncs.com", query);
        Map<String, List<String>> headers = LoginData.headers("alicloud-auth-login/1.0 (Java "
                + Runtime.version().feature() + ")");
        try {
            return JSON.writeValueAsString(LoginData.body(role, url, JSON.writeValueAsString(headers)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int send(String address, String mount, String body, String format, String source,
            PrintStream out, PrintStream err) {
        URI uri;
        try {
            uri = URI.create(CredentialChain.stripSlash(address) + "/v1/auth/" + mount + "/login");
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                return usage(err, "--address must be an http or https URL");
            }
        } catch (IllegalArgumentException e) {
            return usage(err, "--address must be an http or https URL");
        }
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            response = client.send(HttpRequest.newBuilder(uri).timeout(SERVER_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("alicloud-auth login: cannot reach " + CredentialChain.stripSlash(address) + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("alicloud-auth login: interrupted");
            return 1;
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            err.println("alicloud-auth login: login refused (HTTP " + response.statusCode() + "): " + errors(answer));
            return 1;
        }
        JsonNode token = answer == null ? null : answer.path("auth").get("client_token");
        if (token == null || !token.isTextual()) {
            err.println("alicloud-auth login: the server's answer has no auth.client_token");
            return 1;
        }
        if (format.equals("json")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) answer).put("credential_source", source);
            out.println(answer);
        } else {
            out.println(token.asText());
        }
        return 0;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String errors(JsonNode answer) {
        List<String> messages = new ArrayList<>();
        if (answer != null && answer.get("errors") != null) {
            answer.get("errors").forEach(e -> messages.add(e.asText()));
        }
        return messages.isEmpty() ? "no error message" : String.join("; ", messages);
    }

    private static int usage(PrintStream err, String message) {
        err.println("alicloud-auth login: " + message + " (see --help)");
        return 2;
    }

    private static String firstPresent(String a, String b, String fallback) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : fallback;
    }
}
