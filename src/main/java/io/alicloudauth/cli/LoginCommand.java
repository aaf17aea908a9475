package io.alicloudauth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
              --signature-version 1|3   sign GetCallerIdentity with RPC signature V1 (default, what the
                                        Vault CLI sends) or V3 (ACS3-HMAC-SHA256, which signs headers)
              --server-id VALUE         sign x-acs-vault-server-id: VALUE (default $ALICLOUD_AUTH_SERVER_ID), so
                                        that only the server whose server_id is VALUE accepts the login; implies V3
              --identity-token ROLE     print an identity token (identity/oidc/token/ROLE, a JWT for AWS, GCP,
                                        Azure, Alibaba RAM or Kubernetes) instead of the client token; json:
                                        the server's answer ({data:{client_id, token, ttl}}). The client
                                        token is revoked once the identity token is out
              --access-key ID           credentials given directly (first of the sources below)
              --secret-key-file PATH    the secret key from a file, or - for standard input
              --security-token-file PATH  likewise the security token of STS credentials
              --secret-key SECRET       (visible to other local users in the process list: prefer the files)
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
            "external-id", "secret-key-file", "security-token-file", "identity-token", "signature-version", "server-id");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SERVER_TIMEOUT = Duration.ofSeconds(30);

    private LoginCommand() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, System.in, out, err);
    }

    public static int run(String[] args, Map<String, String> env, java.io.InputStream in, PrintStream out,
            PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        Map<String, String> options;
        Target target;
        String format;
        try {
            options = secrets(parse(args, OPTIONS), in, "login", err);
            target = target(options, env);
            format = options.getOrDefault("format", "token");
            if (!Set.of("token", "json", "login-data").contains(format)) {
                throw new Usage("--format must be token, json or login-data");
            }
        } catch (Usage e) {
            return usage(err, e.getMessage());
        }
        try {
            if (format.equals("login-data")) {
                out.println(loginBody(target, credentials(options, env, "login", err), Instant.now()));
                return 0;
            }
            Login login = login(target, options, env, "login", err);
            String identityRole = options.getOrDefault("identity-token", "").trim();
            if (!identityRole.isEmpty()) {
                IdentityTokenFiles.Minted minted = IdentityTokenFiles.mint(target.address(), login.token(), identityRole,
                        SERVER_TIMEOUT);
                out.println(format.equals("json") ? minted.answer().toString() : minted.jwt());
                try {
                    post(target.address(), "/v1/auth/token/revoke-self", login.token(), "{}", "revoke-self");
                } catch (Failure e) {
                    // a batch token cannot be revoked: it expires by itself
                }
                return 0;
            }
            if (format.equals("json")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) login.answer()).put("credential_source", login.source());
                out.println(login.answer());
            } else {
                out.println(login.token());
            }
            return 0;
        } catch (Failure e) {
            err.println("alicloud-auth login: " + e.getMessage());
            return 1;
        }
    }

    /** A command-line mistake: exit 2. */
    static final class Usage extends Exception {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    /** A login that did not happen (no credentials, server unreachable, refused): exit 1. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Where and as what to log in, and how to sign (SPEC §10: V1, or V3 with an optional server id). */
    record Target(String role, String region, String address, String mount, int signatureVersion, String serverId) {
    }

    /** A login's token, its lease and renewability, the credentials' source and the server's whole answer. */
    record Login(String token, long leaseSeconds, boolean renewable, String source, JsonNode answer) {
    }

    /** {@code --name value} or {@code --name=value} pairs, each name one of {@code known}. */
    static Map<String, String> parse(String[] args, Set<String> known) throws Usage {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new Usage("unexpected argument " + arg);
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
                throw new Usage("--" + name + " needs a value");
            }
            if (!known.contains(name)) {
                throw new Usage("unknown option --" + name);
            }
            options.put(name, value);
        }
        if (options.containsKey("secret-key") && options.containsKey("secret-key-file")
                || options.containsKey("security-token") && options.containsKey("security-token-file")) {
            throw new Usage("give a secret either on the command line or in a file, not both");
        }
        if (options.containsKey("access-key")
                != (options.containsKey("secret-key") || options.containsKey("secret-key-file"))) {
            throw new Usage("--access-key and --secret-key (or --secret-key-file) go together");
        }
        return options;
    }

    /**
     * The secrets given in files ({@code --secret-key-file}, {@code --security-token-file}; {@code -} reads standard
     * input, once) put in place of the flags, and a warning for a secret given on the command line, where every local
     * user can read it ({@code /proc/PID/cmdline}).
     */
    static Map<String, String> secrets(Map<String, String> options, java.io.InputStream in, String command,
            PrintStream err) throws Usage {
        Map<String, String> out = new HashMap<>(options);
        for (String flag : List.of("secret-key", "security-token")) {
            if (options.containsKey(flag)) {
                err.println("alicloud-auth " + command + ": warning: --" + flag + " on the command line can be read by"
                        + " other local users in the process list: use --" + flag + "-file PATH (or - for standard input)");
            }
            String file = out.remove(flag + "-file");
            if (file == null) {
                continue;
            }
            String value;
            try {
                value = file.equals("-") ? new String(in.readNBytes(8193), java.nio.charset.StandardCharsets.UTF_8)
                        : LocalFiles.read(java.nio.file.Path.of(file), 8192, "--" + flag + "-file");
            } catch (IOException e) {
                throw new Usage("--" + flag + "-file: " + e.getMessage());
            }
            value = value.strip();
            if (value.isEmpty() || value.length() > 8192) {
                throw new Usage("--" + flag + "-file: " + (value.isEmpty() ? "empty" : "longer than 8 KiB"));
            }
            out.put(flag, value);
        }
        return out;
    }

    static Target target(Map<String, String> options, Map<String, String> env) throws Usage {
        String role = options.getOrDefault("role", "").trim();
        String region = options.getOrDefault("region", env.getOrDefault("ALIBABA_CLOUD_REGION_ID", "")).trim();
        String mount = options.getOrDefault("mount", "alicloud").replaceAll("^/+|/+$", "");
        String address = CredentialChain.stripSlash(
                firstPresent(options.get("address"), env.get("VAULT_ADDR"), "http://127.0.0.1:8080"));
        if (role.isEmpty()) {
            throw new Usage("--role is required");
        }
        if (!region.matches("[a-z0-9-]{1,64}")) {
            throw new Usage(region.isEmpty() ? "--region is required (or ALIBABA_CLOUD_REGION_ID)"
                    : "--region must look like cn-hangzhou");
        }
        if (!mount.matches("[\\w./-]{1,128}")) {
            throw new Usage("--mount must be a mount path such as alicloud");
        }
        try {
            URI uri = URI.create(address + "/v1/auth/" + mount + "/login");
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new Usage("--address must be an http or https URL");
            }
        } catch (IllegalArgumentException e) {
            throw new Usage("--address must be an http or https URL");
        }
        String serverId = firstPresent(options.get("server-id"), env.get("ALICLOUD_AUTH_SERVER_ID"), "").trim();
        if (serverId.length() > 255 || serverId.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new Usage("--server-id must be at most 255 printable ASCII characters, no spaces");
        }
        String version = options.getOrDefault("signature-version", serverId.isEmpty() ? "1" : "3").trim();
        if (!version.equals("1") && !version.equals("3")) {
            throw new Usage("--signature-version must be 1 or 3");
        }
        if (version.equals("1") && !serverId.isEmpty()) {
            throw new Usage("--server-id needs --signature-version 3: signature V1 signs no header");
        }
        return new Target(role, region, address, mount, Integer.parseInt(version), serverId);
    }

    /** Credentials from the chain, found afresh; warnings go to {@code err} as they are found. */
    static Credentials credentials(Map<String, String> options, Map<String, String> env, String command,
            PrintStream err) throws Failure {
        CredentialChain chain = new CredentialChain(env);
        try {
            return chain.resolve(chainOptions(options));
        } catch (CredentialChain.NotFound e) {
            throw new Failure(e.getMessage());
        } finally {
            chain.warnings().forEach(w -> err.println("alicloud-auth " + command + ": warning: " + w));
        }
    }

    /** Finds credentials, signs, and logs in. */
    static Login login(Target target, Map<String, String> options, Map<String, String> env, String command,
            PrintStream err) throws Failure {
        Credentials credentials = credentials(options, env, command, err);
        JsonNode answer = post(target.address(), "/v1/auth/" + target.mount() + "/login", null,
                loginBody(target, credentials, Instant.now()), "login");
        JsonNode auth = answer.path("auth");
        JsonNode token = auth.get("client_token");
        if (token == null || !token.isTextual()) {
            throw new Failure("the server's answer has no auth.client_token");
        }
        return new Login(token.asText(), auth.path("lease_duration").asLong(), auth.path("renewable").asBoolean(),
                credentials.source(), answer);
    }

    /**
     * POSTs {@code body} to the server; the answer when it is 200 (an empty object for 204). {@code token} goes in {@code X-Vault-Token}
     * when given; {@code what} names the call in errors.
     */
    static JsonNode post(String address, String path, String token, String body, String what) throws Failure {
        return post(address, path, token, body, what, SERVER_TIMEOUT);
    }

    /** The same within {@code deadline}, the answer's body included, read to at most 64 KiB. */
    static JsonNode post(String address, String path, String token, String body, String what, Duration deadline)
            throws Failure {
        return call(address, path, token, body, what, deadline);
    }

    /** A GET to the server, as {@link #post} otherwise. */
    static JsonNode get(String address, String path, String token, String what, Duration deadline) throws Failure {
        return call(address, path, token, null, what, deadline);
    }

    private static JsonNode call(String address, String path, String token, String body, String what,
            Duration deadline) throws Failure {
        Http.Answer response;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + path)).timeout(deadline);
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            }
            if (token != null) {
                request.header("X-Vault-Token", token);
            }
            response = Http.call(client, request.build(), deadline, "the server's answer to " + what);
        } catch (java.io.InterruptedIOException e) {
            throw new Failure(what + " interrupted");
        } catch (IOException e) {
            throw new Failure("cannot reach " + Printable.uri(address) + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : Printable.of(e.getMessage())));
        }
        if (response.status() == 204) {
            return JSON.createObjectNode();
        }
        JsonNode answer = parse(response.text());
        if (response.status() != 200) {
            throw new Failure(what + " refused (HTTP " + response.status() + "): " + errors(answer));
        }
        if (answer == null || !answer.isObject()) {
            throw new Failure("the server's answer to " + what + " is not a JSON object");
        }
        return answer;
    }

    static CredentialChain.Options chainOptions(Map<String, String> options) {
        return new CredentialChain.Options(options.get("access-key"), options.get("secret-key"),
                options.get("security-token"), options.get("ecs-role"), options.get("metadata-endpoint"),
                options.get("role-arn"), options.get("role-session-name"), options.get("external-id"));
    }

    /** The JSON login body Vault's CLI sends: role, base64 signed URL, base64 headers. */
    static String loginBody(Target target, Credentials credentials, Instant now) {
        if (target.signatureVersion() == 3) {
            String host = "sts." + target.region() + ".aliyuncs.com";
            Map<String, String> headers = LoginData.v3Headers(credentials.accessKeyId(), credentials.accessKeySecret(),
                    credentials.securityToken(), host, target.serverId(), now, null, userAgent());
            Map<String, List<String>> asLists = new java.util.TreeMap<>();
            headers.forEach((name, value) -> asLists.put(name, List.of(value)));
            try {
                return JSON.writeValueAsString(LoginData.body(target.role(), "https://" + host + "/",
                        JSON.writeValueAsString(asLists)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return loginBody(target.role(), target.region(), credentials, now);
    }

    private static String userAgent() {
        return "alicloud-auth-login/1.0 (Java " + Runtime.version().feature() + ")";
    }

    static String loginBody(String role, String region, Credentials credentials, Instant now) {
        Map<String, String> query = LoginData.signedQuery(credentials.accessKeyId(), credentials.accessKeySecret(),
                credentials.securityToken(), region, now, null);
        String url = LoginData.url("sts." + region + ".aliyuncs.com", query);
        Map<String, List<String>> headers = LoginData.headers(userAgent());
        try {
            return JSON.writeValueAsString(LoginData.body(role, url, JSON.writeValueAsString(headers)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
