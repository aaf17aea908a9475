package io.alicloudauth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the client finds Alibaba Cloud credentials, first found wins, in the order Alibaba's SDKs use
 * (reference/alibaba-credentials.md §1) after our flags and Vault's own environment names:
 * <ol>
 * <li>{@code --access-key}/{@code --secret-key}[/{@code --security-token}]</li>
 * <li>{@code ALIBABA_CLOUD_ACCESS_KEY_ID}/{@code _SECRET}[/{@code ALIBABA_CLOUD_SECURITY_TOKEN}]</li>
 * <li>Vault's {@code ALICLOUD_ACCESS_KEY}/{@code ALICLOUD_SECRET_KEY}[/{@code ALICLOUD_ACCESS_KEY_STS_TOKEN}], with
 * {@code ALICLOUD_ROLE_ARN} assumed first as Vault's CLI does</li>
 * <li>RRSA: {@code ALIBABA_CLOUD_ROLE_ARN} + {@code ALIBABA_CLOUD_OIDC_PROVIDER_ARN} +
 * {@code ALIBABA_CLOUD_OIDC_TOKEN_FILE}, through AssumeRoleWithOIDC</li>
 * <li>the {@code aliyun} CLI's profile ({@code ALIBABA_CLOUD_CONFIG_FILE}, else {@code ~/.aliyun/config.json})</li>
 * <li>the INI profile ({@code ALIBABA_CLOUD_CREDENTIALS_FILE}, else {@code ~/.alibabacloud/credentials.ini}, then
 * {@code ~/.alibabacloud/credentials})</li>
 * <li>ECS instance metadata, hardened mode first</li>
 * <li>{@code ALIBABA_CLOUD_CREDENTIALS_URI}</li>
 * </ol>
 * A source that is not set up, or is set up and fails, is noted with the reason and the next one is tried (as the
 * SDKs do); the final error lists them all. With {@code --role-arn} the credentials found assume that role.
 */
public final class CredentialChain {

    /** The sources in order, for {@code --help}. */
    public static final String SOURCES = """
              1. --access-key, --secret-key [--security-token]
              2. ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET [ALIBABA_CLOUD_SECURITY_TOKEN]
              3. ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY [ALICLOUD_ACCESS_KEY_STS_TOKEN] (Vault's names;
                 ALICLOUD_ROLE_ARN [ALICLOUD_ROLE_SESSION_NAME] assumes that role first)
              4. RRSA: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE
              5. the aliyun CLI profile: ALIBABA_CLOUD_CONFIG_FILE, else ~/.aliyun/config.json; profile
                 ALIBABA_CLOUD_PROFILE, else the file's current one (off: ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)
              6. the INI file: ALIBABA_CLOUD_CREDENTIALS_FILE, else ~/.alibabacloud/credentials.ini, then
                 ~/.alibabacloud/credentials; section ALIBABA_CLOUD_PROFILE, else default
              7. ECS instance metadata (off: ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)
              8. ALIBABA_CLOUD_CREDENTIALS_URI
            """;

    private static final int MAX_CHAIN = 5;

    /** What the command line says about credentials; any of it may be null. */
    public record Options(String accessKey, String secretKey, String securityToken, String ecsRole,
            String metadataEndpoint, String roleArn, String roleSessionName, String externalId) {
    }

    /** No source had credentials: the message lists every source in order and what it lacked. */
    public static final class NotFound extends Exception {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    /** A source that is not set up here; the reason is what it lacked. */
    private static final class Absent extends IOException {
        Absent(String reason) {
            super(reason, null);
        }
    }

    private final Map<String, String> env;
    private final Path home;
    private final StsCalls sts;
    private final HttpSources http;
    private final List<String> looked = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public CredentialChain(Map<String, String> env) {
        this.env = env;
        this.home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home", ".")));
        this.sts = new StsCalls(env);
        this.http = new HttpSources(env);
    }

    /** Notes for the user (a credentials file others can read), never secrets. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public Credentials resolve(Options options) throws NotFound {
        Credentials found = find(options);
        if (!StsCalls.present(options.roleArn())) {
            return found;
        }
        try {
            StsCalls.RoleRequest role = new StsCalls.RoleRequest(options.roleArn(),
                    sts.sessionName(options.roleSessionName()), options.externalId(), null, StsCalls.DEFAULT_DURATION);
            return sts.assumeRole(found, role, sts.endpoint(null, null), wrap(found.source(), "ram_role_arn"));
        } catch (IOException e) {
            throw new NotFound("--role-arn: could not assume the role with the credentials from " + found.source()
                    + ": " + e.getMessage());
        }
    }

    private Credentials find(Options options) throws NotFound {
        List<Source> sources = List.of(
                new Source("--access-key/--secret-key", () -> flags(options)),
                new Source("ALIBABA_CLOUD_ACCESS_KEY_ID", () -> environment("ALIBABA_CLOUD_ACCESS_KEY_ID",
                        "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "default/env")),
                new Source("ALICLOUD_ACCESS_KEY", () -> vaultEnvironment(options)),
                new Source("RRSA", this::rrsa),
                new Source("aliyun CLI profile", this::cliProfile),
                new Source("INI profile", this::iniProfile),
                new Source("ECS instance metadata", () -> metadata(options)),
                new Source("ALIBABA_CLOUD_CREDENTIALS_URI", this::credentialsUri));
        for (Source source : sources) {
            try {
                return source.get();
            } catch (IOException e) {
                looked.add((looked.size() + 1) + ". " + source.name() + ": " + e.getMessage());
            }
        }
        throw new NotFound("no Alibaba Cloud credentials found; looked at, in order: " + String.join("; ", looked));
    }

    private record Source(String name, Lookup lookup) {
        Credentials get() throws IOException {
            return lookup.get();
        }
    }

    @FunctionalInterface
    private interface Lookup {
        Credentials get() throws IOException;
    }

    private Credentials flags(Options o) throws IOException {
        if (!StsCalls.present(o.accessKey()) || !StsCalls.present(o.secretKey())) {
            throw new Absent("not given");
        }
        return new Credentials(o.accessKey(), o.secretKey(), blankToNull(o.securityToken()), null,
                StsCalls.present(o.securityToken()) ? "flags/static_sts" : "flags/static_ak");
    }

    private Credentials environment(String keyVar, String secretVar, String tokenVar, String source)
            throws IOException {
        String key = env.get(keyVar);
        String secret = env.get(secretVar);
        if (!StsCalls.present(key) || !StsCalls.present(secret)) {
            throw new Absent(StsCalls.present(key) || StsCalls.present(secret)
                    ? "only one of " + keyVar + " and " + secretVar + " is set" : "not set");
        }
        return new Credentials(key, secret, blankToNull(env.get(tokenVar)), null, source);
    }

    private Credentials vaultEnvironment(Options options) throws IOException {
        Credentials found = environment("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_ACCESS_KEY_STS_TOKEN",
                "default/vault_env");
        String roleArn = env.get("ALICLOUD_ROLE_ARN");
        if (!StsCalls.present(roleArn) || StsCalls.present(options.roleArn())) {
            return found;
        }
        StsCalls.RoleRequest role = new StsCalls.RoleRequest(roleArn.trim(),
                sts.sessionName(env.get("ALICLOUD_ROLE_SESSION_NAME")), null, null, StsCalls.DEFAULT_DURATION);
        return sts.assumeRole(found, role, sts.endpoint(null, null), "default/ram_role_arn/vault_env");
    }

    private Credentials rrsa() throws IOException {
        List<String> names = List.of("ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE");
        List<String> missing = names.stream().filter(n -> !StsCalls.present(env.get(n))).toList();
        if (missing.size() == names.size()) {
            throw new Absent("not set (" + String.join(", ", names) + ")");
        }
        if (!missing.isEmpty()) {
            throw new Absent("incomplete: " + String.join(", ", missing) + " not set");
        }
        StsCalls.RoleRequest role = new StsCalls.RoleRequest(env.get("ALIBABA_CLOUD_ROLE_ARN").trim(),
                sts.sessionName(null), null, null, StsCalls.DEFAULT_DURATION);
        return sts.assumeRoleWithOidc(role, env.get("ALIBABA_CLOUD_OIDC_PROVIDER_ARN").trim(),
                Path.of(env.get("ALIBABA_CLOUD_OIDC_TOKEN_FILE").trim()), sts.endpoint(null, null),
                "default/oidc_role_arn");
    }

    private Credentials cliProfile() throws IOException {
        if ("true".equalsIgnoreCase(env.get("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"))) {
            throw new Absent("off (ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)");
        }
        Path file = cliFile();
        if (!Files.exists(file)) {
            throw new Absent("no file at " + file);
        }
        ProfileFiles.CliFile cli = ProfileFiles.readCli(file, warnings);
        String name = firstPresent(env.get("ALIBABA_CLOUD_PROFILE"), env.get("ALIBABACLOUD_PROFILE"),
                env.get("ALICLOUD_PROFILE"), cli.current(), "default");
        return cliMode(cli, name, 0);
    }

    private Path cliFile() {
        String configured = env.get("ALIBABA_CLOUD_CONFIG_FILE");
        if (StsCalls.present(configured)) {
            return Path.of(configured.trim());
        }
        Path dotAliyun = home.resolve(".aliyun");
        if (Files.isDirectory(dotAliyun)) {
            return dotAliyun.resolve("config.json");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return (StsCalls.present(xdg) ? Path.of(xdg.trim()) : home.resolve(".config")).resolve("aliyun/config.json");
    }

    /** One CLI profile's mode, in the SDKs' terms. */
    private Credentials cliMode(ProfileFiles.CliFile cli, String name, int depth) throws IOException {
        ProfileFiles.Profile p = cli.profiles().get(name);
        if (p == null) {
            throw new IOException("no profile \"" + Printable.of(name) + "\" in " + cliFileName(cli));
        }
        String mode = Optional.ofNullable(p.get("mode")).orElse("AK");
        String at = "profile \"" + Printable.of(name) + "\" (mode " + Printable.of(mode) + ")";
        String origin = "default/cli_profile/";
        switch (mode) {
            case "AK":
                return staticKey(p, "access_key_id", "access_key_secret", null, at, origin + "static_ak");
            case "StsToken":
                return staticKey(p, "access_key_id", "access_key_secret", "sts_token", at, origin + "static_sts");
            case "RamRoleArn":
                return assumeFromProfile(p, staticKey(p, "access_key_id", "access_key_secret", null, at,
                        origin + "static_ak"), at);
            case "ChainableRamRoleArn": {
                String source = p.get("source_profile");
                if (source == null) {
                    throw new IOException(at + " has no source_profile");
                }
                if (depth >= MAX_CHAIN) {
                    throw new IOException(at + ": more than " + MAX_CHAIN + " chained profiles (a loop?)");
                }
                return assumeFromProfile(p, cliMode(cli, source, depth + 1), at);
            }
            case "EcsRamRole":
                return http.metadata(metadataBase(null), required(p, "ram_role_name", at), origin + "ecs_ram_role");
            case "OIDC":
                return sts.assumeRoleWithOidc(roleRequest(p, "ram_role_arn", "ram_session_name", at),
                        required(p, "oidc_provider_arn", at), Path.of(required(p, "oidc_token_file", at)),
                        sts.endpoint(p.get("sts_region"), bool(p.get("enable_vpc"))), origin + "oidc_role_arn");
            case "CredentialsURI":
                return http.uri(required(p, "credentials_uri", at), origin + "credentials_uri");
            case "External":
                return ExternalProcess.run(required(p, "process_command", at), at, origin + "external");
            case "CloudSSO", "OAuth", "BearerToken":
                throw new IOException(at + ": mode " + mode + " is not supported by alicloud-auth; use AK, StsToken,"
                        + " RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CredentialsURI or External");
            default:
                throw new IOException(at + ": unknown mode");
        }
    }

    private static String cliFileName(ProfileFiles.CliFile cli) {
        return cli.profiles().values().stream().findFirst().map(p -> p.file().toString()).orElse("the CLI file");
    }

    private Credentials assumeFromProfile(ProfileFiles.Profile p, Credentials base, String at) throws IOException {
        StsCalls.RoleRequest role = roleRequest(p, "ram_role_arn", "ram_session_name", at);
        return sts.assumeRole(base, new StsCalls.RoleRequest(role.roleArn(), role.sessionName(), p.get("external_id"),
                p.get("policy"), role.durationSeconds()), sts.endpoint(p.get("sts_region"), bool(p.get("enable_vpc"))),
                wrap(base.source(), "ram_role_arn"));
    }

    private StsCalls.RoleRequest roleRequest(ProfileFiles.Profile p, String arnField, String sessionField, String at)
            throws IOException {
        int duration = StsCalls.DEFAULT_DURATION;
        String seconds = p.get("expired_seconds");
        if (seconds != null && !seconds.equals("0")) {
            try {
                duration = Integer.parseInt(seconds);
            } catch (NumberFormatException e) {
                throw new IOException(at + ": expired_seconds is not a number");
            }
        }
        return new StsCalls.RoleRequest(required(p, arnField, at), sts.sessionName(p.get(sessionField)), null,
                p.get("policy"), duration);
    }

    private Credentials iniProfile() throws IOException {
        Path file = iniFile();
        String section = firstPresent(env.get("ALIBABA_CLOUD_PROFILE"), "default");
        ProfileFiles.Profile p = ProfileFiles.readIni(file, warnings).get(section);
        String at = file + " [" + Printable.of(section) + "]";
        if (p == null) {
            throw new Absent("no section [" + Printable.of(section) + "] in " + file);
        }
        if ("false".equalsIgnoreCase(p.get("enable"))) {
            throw new Absent(at + " has enable = false");
        }
        String type = Optional.ofNullable(p.get("type")).orElse("access_key");
        String origin = "default/profile/";
        switch (type) {
            case "access_key":
                return staticKey(p, "access_key_id", "access_key_secret", null, at, origin + "static_ak");
            case "ram_role_arn": {
                Credentials base = staticKey(p, "access_key_id", "access_key_secret", null, at, origin + "static_ak");
                StsCalls.RoleRequest role = roleRequest(p, "role_arn", "role_session_name", at);
                return sts.assumeRole(base, role, sts.endpoint(null, null), wrap(base.source(), "ram_role_arn"));
            }
            case "oidc_role_arn":
                return sts.assumeRoleWithOidc(roleRequest(p, "role_arn", "role_session_name", at),
                        required(p, "oidc_provider_arn", at), Path.of(required(p, "oidc_token_file_path", at)),
                        sts.endpoint(null, null), origin + "oidc_role_arn");
            case "ecs_ram_role":
                return http.metadata(metadataBase(null), required(p, "role_name", at), origin + "ecs_ram_role");
            default:
                throw new IOException(at + ": unknown type \"" + Printable.of(type)
                        + "\" (access_key, ram_role_arn, oidc_role_arn or ecs_ram_role)");
        }
    }

    private Path iniFile() throws IOException {
        String configured = env.get("ALIBABA_CLOUD_CREDENTIALS_FILE");
        if (StsCalls.present(configured)) {
            Path file = Path.of(configured.trim());
            if (!Files.exists(file)) {
                throw new IOException("ALIBABA_CLOUD_CREDENTIALS_FILE names " + file + ", which does not exist");
            }
            return file;
        }
        Path ini = home.resolve(".alibabacloud/credentials.ini");
        Path plain = home.resolve(".alibabacloud/credentials");
        if (Files.exists(ini)) {
            return ini;
        }
        if (Files.exists(plain)) {
            return plain;
        }
        throw new Absent("no file at " + ini + " or " + plain);
    }

    private Credentials metadata(Options options) throws IOException {
        if ("true".equalsIgnoreCase(env.get("ALIBABA_CLOUD_ECS_METADATA_DISABLED"))) {
            throw new Absent("off (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)");
        }
        String base = metadataBase(options.metadataEndpoint());
        try {
            return http.metadata(base, firstPresent(options.ecsRole(), env.get("ALIBABA_CLOUD_ECS_METADATA"), null),
                    "default/ecs_ram_role");
        } catch (IOException e) {
            throw new IOException("at " + Printable.uri(base) + ": " + e.getMessage());
        }
    }

    private String metadataBase(String given) {
        return stripSlash(firstPresent(given, env.get("ALICLOUD_AUTH_METADATA_ENDPOINT"), HttpSources.DEFAULT_METADATA));
    }

    private Credentials credentialsUri() throws IOException {
        String uri = env.get("ALIBABA_CLOUD_CREDENTIALS_URI");
        if (!StsCalls.present(uri)) {
            throw new Absent("not set");
        }
        return http.uri(uri, "default/credentials_uri");
    }

    private static Credentials staticKey(ProfileFiles.Profile p, String keyField, String secretField,
            String tokenField, String at, String source) throws IOException {
        return new Credentials(required(p, keyField, at), required(p, secretField, at),
                tokenField == null ? null : required(p, tokenField, at), null, source);
    }

    private static String required(ProfileFiles.Profile p, String field, String at) throws IOException {
        String value = p.get(field);
        if (value == null) {
            throw new IOException(at + " has no " + field);
        }
        return value;
    }

    /** The name the SDKs give a role assumed on top of a source: the wrapper before the inner provider. */
    static String wrap(String source, String wrapper) {
        String[] parts = source.split("/");
        int origin = source.startsWith("default/cli_profile/") || source.startsWith("default/profile/") ? 2 : 1;
        if (parts.length <= origin) {
            return source + "/" + wrapper;
        }
        return String.join("/", List.of(parts).subList(0, origin)) + "/" + wrapper + "/"
                + String.join("/", List.of(parts).subList(origin, parts.length));
    }

    private static Boolean bool(String value) {
        return value == null ? null : Boolean.valueOf("true".equalsIgnoreCase(value));
    }

    private static String blankToNull(String s) {
        return StsCalls.present(s) ? s : null;
    }

    private static String firstPresent(String... values) {
        for (String v : values) {
            if (StsCalls.present(v)) {
                return v.trim();
            }
        }
        return null;
    }

    static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
