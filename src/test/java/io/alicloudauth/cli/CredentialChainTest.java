package io.alicloudauth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeMetadata;
import io.alicloudauth.testing.FakeSts;

/**
 * The credential chain against a fake STS that verifies AssumeRole's signature and AssumeRoleWithOIDC's token, a
 * fake metadata service and a fake credentials URI, with profile and INI files in a temporary HOME. Every
 * credential found is then proven by signing a GetCallerIdentity request the fake STS verifies.
 */
class CredentialChainTest {

    static final String PROVIDER = "acs:ram::" + Callers.ACCOUNT + ":oidc-provider/ack-rrsa-c1";
    static final String GUARDED_ROLE = "acs:ram::" + Callers.ACCOUNT + ":role/guarded";
    static final CredentialChain.Options NONE = new CredentialChain.Options(null, null, null, null, null, null, null,
            null);

    @TempDir
    Path home;
    FakeSts sts;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        sts = new FakeSts().add(Callers.USER).add(Callers.DEV)
                .role(new FakeSts.AssumableRole(Callers.ROLE_ARN, "300800165472234567", null))
                .role(new FakeSts.AssumableRole(GUARDED_ROLE, "300800165472299999", "ext-42"))
                .oidcProvider(PROVIDER, "rrsa-token-1");
        env = new HashMap<>(Map.of("HOME", home.toString(), "ALIBABA_CLOUD_STS_ENDPOINT", sts.url(),
                "ALICLOUD_AUTH_METADATA_ENDPOINT", "http://127.0.0.1:1"));
    }

    @AfterEach
    void tearDown() {
        sts.stop();
    }

    @Test
    void nothingFoundListsEverySourceInOrderWithWhatItLacked() {
        env.put("ALIBABA_CLOUD_ROLE_ARN", Callers.ROLE_ARN);
        CredentialChain.NotFound e = assertThrows(CredentialChain.NotFound.class,
                () -> new CredentialChain(env).resolve(NONE));
        String message = e.getMessage();
        List<String> expected = List.of("1. --access-key/--secret-key: not given",
                "2. ALIBABA_CLOUD_ACCESS_KEY_ID: not set",
                "3. ALICLOUD_ACCESS_KEY: not set",
                "4. RRSA: incomplete: ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE not set",
                "5. aliyun CLI profile: no file at " + home.resolve(".config/aliyun/config.json"),
                "6. INI profile: no file at " + home.resolve(".alibabacloud/credentials.ini") + " or "
                        + home.resolve(".alibabacloud/credentials"),
                "7. ECS instance metadata: at http://127.0.0.1:1: not reachable",
                "8. ALIBABA_CLOUD_CREDENTIALS_URI: not set");
        int at = 0;
        for (String part : expected) {
            int found = message.indexOf(part, at);
            assertTrue(found >= 0, "missing or out of order: " + part + " in " + message);
            at = found;
        }
        assertEquals(0, sts.requestCount());
    }

    @Test
    void environmentComesFirstAndVaultNamesAfter() throws Exception {
        env.put("ALICLOUD_ACCESS_KEY", Callers.USER.accessKeyId());
        env.put("ALICLOUD_SECRET_KEY", Callers.USER.secret());
        assertEquals("default/vault_env", proven(new CredentialChain(env).resolve(NONE)).source());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.DEV.accessKeyId());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.DEV.secret());
        env.put("ALIBABA_CLOUD_SECURITY_TOKEN", Callers.DEV.securityToken());
        Credentials found = proven(new CredentialChain(env).resolve(NONE));
        assertEquals("default/env", found.source());
        assertEquals(Callers.DEV.accessKeyId(), found.accessKeyId());
    }

    @Test
    void vaultRoleArnIsAssumedWithTheVaultKeyFirst() throws Exception {
        env.put("ALICLOUD_ACCESS_KEY", Callers.USER.accessKeyId());
        env.put("ALICLOUD_SECRET_KEY", Callers.USER.secret());
        env.put("ALICLOUD_ROLE_ARN", Callers.ROLE_ARN);
        env.put("ALICLOUD_ROLE_SESSION_NAME", "vault-session");
        Credentials found = proven(new CredentialChain(env).resolve(NONE));
        assertEquals("default/ram_role_arn/vault_env", found.source());
        FakeSts.Seen call = sts.seen().get(0);
        assertEquals("GET", call.method());
        assertEquals("AssumeRole", call.query().get("Action"));
        assertEquals("vault-session", call.query().get("RoleSessionName"));
        assertEquals(Callers.USER.accessKeyId(), call.query().get("AccessKeyId"));
        assertTrue(found.expiration().isAfter(Instant.now().plusSeconds(3000)));
    }

    @Test
    void rrsaReadsTheTokenFileAgainForEveryCall() throws Exception {
        Path token = home.resolve("rrsa-token");
        Files.writeString(token, "rrsa-token-1\n");
        env.put("ALIBABA_CLOUD_ROLE_ARN", Callers.ROLE_ARN);
        env.put("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER);
        env.put("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.toString());
        env.put("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-1");
        Credentials first = proven(new CredentialChain(env).resolve(NONE));
        assertEquals("default/oidc_role_arn", first.source());
        FakeSts.Seen call = sts.seen().get(0);
        assertEquals("POST", call.method());
        assertEquals("AssumeRoleWithOIDC", call.query().get("Action"));
        assertFalse(call.query().containsKey("AccessKeyId"));
        assertFalse(call.query().containsKey("Signature"));

        // ACK rotated the token: the old one no longer works, the file has the new one.
        sts.oidcProvider(PROVIDER, "rrsa-token-2");
        Files.writeString(token, "rrsa-token-2");
        proven(new CredentialChain(env).resolve(NONE));
        sts.oidcProvider(PROVIDER, "rrsa-token-3");
        CredentialChain.NotFound e = assertThrows(CredentialChain.NotFound.class,
                () -> new CredentialChain(env).resolve(NONE));
        assertTrue(e.getMessage().contains("4. RRSA: STS refused AssumeRoleWithOIDC (HTTP 400): "
                + "AuthenticationFail.OIDCToken.Invalid"), e.getMessage());
    }

    @Test
    void everyCliProfileModeWorks() throws Exception {
        FakeSts.Identity instance = new FakeSts.Identity("STS.instance", "instance-secret", "instance-token",
                "acs:ram::" + Callers.ACCOUNT + ":assumed-role/ecs-role/i-1", Callers.ACCOUNT, "AssumedRoleUser",
                "300800000000000077:i-1", "300800000000000077");
        sts.add(instance);
        Path token = home.resolve("oidc-token");
        Files.writeString(token, "rrsa-token-1");
        Path external = script("ext.sh", "echo '{\"mode\":\"StsToken\",\"access_key_id\":\"" + Callers.DEV.accessKeyId()
                + "\",\"access_key_secret\":\"" + Callers.DEV.secret() + "\",\"sts_token\":\""
                + Callers.DEV.securityToken() + "\",\"expiration\":\"2099-01-01T00:00:00Z\"}'");
        try (FakeMetadata metadata = new FakeMetadata(instance, "ecs-role", true);
                CredentialsUri uri = new CredentialsUri(Callers.DEV)) {
            env.put("ALICLOUD_AUTH_METADATA_ENDPOINT", metadata.url());
            cliFile(0600, """
                    {"current": "ak", "profiles": [
                      {"name": "ak", "mode": "AK", "access_key_id": "%1$s", "access_key_secret": "%2$s"},
                      {"name": "sts", "mode": "StsToken", "access_key_id": "%3$s", "access_key_secret": "%4$s",
                       "sts_token": "%5$s"},
                      {"name": "role", "mode": "RamRoleArn", "access_key_id": "%1$s", "access_key_secret": "%2$s",
                       "ram_role_arn": "%6$s", "ram_session_name": "cli", "expired_seconds": 900},
                      {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "role",
                       "ram_role_arn": "%7$s", "external_id": "ext-42"},
                      {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "ecs-role"},
                      {"name": "oidc", "mode": "OIDC", "ram_role_arn": "%6$s", "oidc_provider_arn": "%8$s",
                       "oidc_token_file": "%9$s"},
                      {"name": "uri", "mode": "CredentialsURI", "credentials_uri": "%10$s"},
                      {"name": "external", "mode": "External", "process_command": "%11$s"},
                      {"name": "sso", "mode": "CloudSSO"},
                      {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "%6$s"}
                    ]}
                    """.formatted(Callers.USER.accessKeyId(), Callers.USER.secret(), Callers.DEV.accessKeyId(),
                    Callers.DEV.secret(), Callers.DEV.securityToken(), Callers.ROLE_ARN, GUARDED_ROLE, PROVIDER, token,
                    uri.url(), external));
            Map<String, String> sources = Map.of("ak", "default/cli_profile/static_ak",
                    "sts", "default/cli_profile/static_sts",
                    "role", "default/cli_profile/ram_role_arn/static_ak",
                    "chained", "default/cli_profile/ram_role_arn/ram_role_arn/static_ak",
                    "ecs", "default/cli_profile/ecs_ram_role",
                    "oidc", "default/cli_profile/oidc_role_arn",
                    "uri", "default/cli_profile/credentials_uri",
                    "external", "default/cli_profile/external");
            for (Map.Entry<String, String> profile : sources.entrySet()) {
                env.put("ALIBABA_CLOUD_PROFILE", profile.getKey());
                CredentialChain chain = new CredentialChain(env);
                assertEquals(profile.getValue(), proven(chain.resolve(NONE)).source(), profile.getKey());
                assertEquals(List.of(), chain.warnings());
            }
            env.remove("ALIBABA_CLOUD_PROFILE");
            assertEquals("default/cli_profile/static_ak", new CredentialChain(env).resolve(NONE).source(),
                    "the file's current profile");
            assertTrue(metadata.seen.contains("PUT /latest/api/token"), metadata.seen.toString());
            assertEquals(1, uri.calls.get());
            FakeSts.Seen chained = sts.seen().stream().filter(s -> GUARDED_ROLE.equals(s.query().get("RoleArn")))
                    .findFirst().orElseThrow();
            assertEquals("ext-42", chained.query().get("ExternalId"));
            assertTrue(chained.query().get("AccessKeyId").startsWith("STS.fake"), "signed with the first session");
            assertTrue(chained.query().containsKey("SecurityToken"));

            env.put("ALICLOUD_AUTH_METADATA_ENDPOINT", "http://127.0.0.1:1"); // so that a refusal is not covered
            env.put("ALIBABA_CLOUD_PROFILE", "sso");
            assertTrue(refusal().contains("profile \"sso\" (mode CloudSSO): mode CloudSSO is not supported"));
            env.put("ALIBABA_CLOUD_PROFILE", "loop");
            assertTrue(refusal().contains("more than 5 chained profiles"));
            env.put("ALIBABA_CLOUD_PROFILE", "missing");
            assertTrue(refusal().contains("no profile \"missing\""));
        }
    }

    @Test
    void aCredentialsFileOthersCanReadIsWarnedAbout() throws Exception {
        Path file = cliFile(0644, "{\"current\":\"ak\",\"profiles\":[{\"name\":\"ak\",\"mode\":\"AK\","
                + "\"access_key_id\":\"" + Callers.USER.accessKeyId() + "\",\"access_key_secret\":\""
                + Callers.USER.secret() + "\"}]}");
        CredentialChain chain = new CredentialChain(env);
        chain.resolve(NONE);
        assertEquals(List.of(file + " holds credentials and can be read by other users: chmod 600 " + file),
                chain.warnings());
    }

    @Test
    void iniSectionsOfEveryTypeAndTheDisabledOne() throws Exception {
        Path token = home.resolve("oidc-token");
        Files.writeString(token, "rrsa-token-1");
        Path dir = Files.createDirectories(home.resolve(".alibabacloud"));
        Files.writeString(dir.resolve("credentials"), """
                # the Go SDK's default file name
                [default]
                enable = true
                type = access_key                 # inline comment
                access_key_id = %1$s
                access_key_secret = %2$s

                [role]
                type = ram_role_arn
                access_key_id = %1$s
                access_key_secret = %2$s
                role_arn = %3$s
                role_session_name = ini-session

                [oidc]
                type = oidc_role_arn
                role_arn = %3$s
                oidc_provider_arn = %4$s
                oidc_token_file_path = %5$s

                [off]
                enable = false
                type = access_key
                access_key_id = x
                access_key_secret = y
                """.formatted(Callers.USER.accessKeyId(), Callers.USER.secret(), Callers.ROLE_ARN, PROVIDER, token));
        Files.setPosixFilePermissions(dir.resolve("credentials"), PosixFilePermissions.fromString("rw-------"));
        assertEquals("default/profile/static_ak", proven(new CredentialChain(env).resolve(NONE)).source());
        env.put("ALIBABA_CLOUD_PROFILE", "role");
        assertEquals("default/profile/ram_role_arn/static_ak", proven(new CredentialChain(env).resolve(NONE)).source());
        env.put("ALIBABA_CLOUD_PROFILE", "oidc");
        assertEquals("default/profile/oidc_role_arn", proven(new CredentialChain(env).resolve(NONE)).source());
        env.put("ALIBABA_CLOUD_PROFILE", "off");
        assertTrue(refusal().contains("6. INI profile: " + dir.resolve("credentials") + " [off] has enable = false"));

        // credentials.ini comes before credentials
        Files.writeString(dir.resolve("credentials.ini"), "[default]\ntype = access_key\naccess_key_id = "
                + Callers.DEV.accessKeyId() + "\naccess_key_secret = " + Callers.DEV.secret() + "\n");
        env.remove("ALIBABA_CLOUD_PROFILE");
        assertEquals(Callers.DEV.accessKeyId(), new CredentialChain(env).resolve(NONE).accessKeyId());
    }

    @Test
    void theCredentialsUriComesLast() throws Exception {
        try (CredentialsUri uri = new CredentialsUri(Callers.DEV)) {
            env.put("ALIBABA_CLOUD_CREDENTIALS_URI", uri.url());
            Credentials found = proven(new CredentialChain(env).resolve(NONE));
            assertEquals("default/credentials_uri", found.source());
            assertEquals(Instant.parse("2099-01-01T00:00:00Z"), found.expiration());
        }
    }

    @Test
    void roleArnAssumesTheRoleWithWhateverWasFound() throws Exception {
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.USER.accessKeyId());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.USER.secret());
        Credentials found = proven(new CredentialChain(env).resolve(new CredentialChain.Options(null, null, null, null,
                null, GUARDED_ROLE, "deploy-7", "ext-42")));
        assertEquals("default/ram_role_arn/env", found.source());
        FakeSts.Seen call = sts.seen().get(0);
        assertEquals("deploy-7", call.query().get("RoleSessionName"));

        CredentialChain.NotFound wrongId = assertThrows(CredentialChain.NotFound.class,
                () -> new CredentialChain(env).resolve(new CredentialChain.Options(null, null, null, null, null,
                        GUARDED_ROLE, null, "ext-41")));
        assertEquals("--role-arn: could not assume the role with the credentials from default/env: STS refused"
                + " AssumeRole (HTTP 403): NoPermission: You are not authorized to do this action.", wrongId.getMessage());
        int calls = sts.requestCount();
        CredentialChain.NotFound badArn = assertThrows(CredentialChain.NotFound.class,
                () -> new CredentialChain(env).resolve(new CredentialChain.Options(null, null, null, null, null,
                        "arn:aws:iam::1:role/x", null, null)));
        assertTrue(badArn.getMessage().contains("is not of the form acs:ram::<account>:role/<name>"));
        assertEquals(calls, sts.requestCount(), "nothing sent for an invalid ARN");
    }

    @Test
    void theStsEndpointIsChosenAsTheSdksChooseIt() throws Exception {
        assertEquals("https://sts.aliyuncs.com", new StsCalls(Map.of()).endpoint(null, null).toString());
        assertEquals("https://sts.cn-shanghai.aliyuncs.com",
                new StsCalls(Map.of("ALIBABA_CLOUD_STS_REGION", "cn-shanghai")).endpoint(null, null).toString());
        assertEquals("https://sts-vpc.cn-shanghai.aliyuncs.com", new StsCalls(Map.of("ALIBABA_CLOUD_STS_REGION",
                "cn-shanghai", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "TRUE")).endpoint(null, null).toString());
        assertEquals("https://sts.cn-beijing.aliyuncs.com", new StsCalls(Map.of("ALIBABA_CLOUD_STS_REGION",
                "cn-shanghai", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true")).endpoint("cn-beijing", false).toString());
        assertEquals("https://sts-vpc.ap-southeast-1.aliyuncs.com", new StsCalls(Map.of("ALIBABA_CLOUD_STS_ENDPOINT",
                "sts-vpc.ap-southeast-1.aliyuncs.com")).endpoint("cn-beijing", false).toString());
        assertEquals("http://127.0.0.1:8443", new StsCalls(Map.of("ALIBABA_CLOUD_STS_ENDPOINT",
                "http://127.0.0.1:8443/")).endpoint(null, null).toString());
        for (String refused : List.of("http://sts.aliyuncs.com", "https://sts.aliyuncs.com/path",
                "https://sts.aliyuncs.com/?x=1", "ftp://sts.aliyuncs.com", "https://user@sts.aliyuncs.com")) {
            assertThrows(IOException.class,
                    () -> new StsCalls(Map.of("ALIBABA_CLOUD_STS_ENDPOINT", refused)).endpoint(null, null), refused);
        }
        assertThrows(IOException.class,
                () -> new StsCalls(Map.of("ALIBABA_CLOUD_STS_REGION", "cn-x.evil.com/")).endpoint(null, null));
    }

    @Test
    void metadataCanBeTurnedOff() {
        env.put("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        assertTrue(refusal().contains("7. ECS instance metadata: off (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)"));
    }

    /** The credentials sign a GetCallerIdentity request that the fake STS accepts. */
    private Credentials proven(Credentials found) throws Exception {
        Map<String, String> query = LoginData.signedQuery(found.accessKeyId(), found.accessKeySecret(),
                found.securityToken(), "cn-hangzhou", Instant.now(), null);
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(sts.url() + "/?" + StsCalls.form(query)))
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return found;
    }

    private String refusal() {
        return assertThrows(CredentialChain.NotFound.class, () -> new CredentialChain(env).resolve(NONE)).getMessage();
    }

    private Path cliFile(int mode, String json) throws IOException {
        Path file = Files.createDirectories(home.resolve(".aliyun")).resolve("config.json");
        Files.writeString(file, json);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode == 0600 ? "rw-------" : "rw-r--r--"));
        return file;
    }

    private Path script(String name, String line) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** A credentials URI on loopback: answers with one identity's STS credentials, counting calls. */
    static final class CredentialsUri implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger calls = new AtomicInteger();

        CredentialsUri(FakeSts.Identity identity) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            server.createContext("/", exchange -> {
                calls.incrementAndGet();
                byte[] body = ("{\"Code\":\"Success\",\"AccessKeyId\":\"" + identity.accessKeyId()
                        + "\",\"AccessKeySecret\":\"" + identity.secret() + "\",\"SecurityToken\":\""
                        + identity.securityToken() + "\",\"Expiration\":\"2099-01-01T00:00:00Z\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/credentials?secret=never-shown";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
