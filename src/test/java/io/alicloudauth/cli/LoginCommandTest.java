package io.alicloudauth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeMetadata;
import io.alicloudauth.testing.FakeSts;

/** The client mode without a server: options, the credential chain, the signed login body. */
class LoginCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LoginCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The signed query of a login-data output, as STS would read it. */
    static Map<String, String> signedQuery(String loginData) throws Exception {
        JsonNode body = JSON.readTree(loginData);
        String url = new String(Base64.getDecoder().decode(body.get("identity_request_url").asText()),
                StandardCharsets.UTF_8);
        URI uri = URI.create(url);
        assertEquals("https", uri.getScheme());
        Map<String, String> query = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        query.put("_host", uri.getHost());
        return query;
    }

    static void assertSignedBy(FakeSts.Identity identity, Map<String, String> query) {
        Map<String, String> params = new HashMap<>(query);
        params.remove("_host");
        assertEquals(RequestSigner.sign("POST", params, identity.secret()), params.get("Signature"));
        assertEquals(identity.accessKeyId(), params.get("AccessKeyId"));
    }

    @Test
    void loginDataFromFlagsIsWhatVaultsCliSends() throws Exception {
        Run run = run(Map.of(), "--role", "dev-role", "--region", "cn-hangzhou", "--format", "login-data",
                "--access-key", Callers.DEV.accessKeyId(), "--secret-key", Callers.DEV.secret(),
                "--security-token", Callers.DEV.securityToken());
        assertEquals(0, run.code(), run.err());
        // Only the warnings that secrets on the command line are visible to other local users; never a secret.
        assertEquals(2, run.err().lines().filter(l -> l.contains("on the command line can be read by other local"
                + " users")).count(), run.err());
        assertFalse(run.err().contains(Callers.DEV.secret()) || run.err().contains(Callers.DEV.securityToken()));
        JsonNode body = JSON.readTree(run.out());
        assertEquals("dev-role", body.get("role").asText());
        Map<String, String> query = signedQuery(run.out());
        assertEquals("sts.cn-hangzhou.aliyuncs.com", query.get("_host"));
        assertEquals("GetCallerIdentity", query.get("Action"));
        assertEquals("JSON", query.get("Format"));
        assertEquals("cn-hangzhou", query.get("RegionId"));
        assertEquals("2015-04-01", query.get("Version"));
        assertEquals("", query.get("SignatureType"));
        assertEquals(Callers.DEV.securityToken(), query.get("SecurityToken"));
        assertSignedBy(Callers.DEV, query);
        JsonNode headers = JSON.readTree(Base64.getDecoder().decode(body.get("identity_request_headers").asText()));
        assertEquals("GetCallerIdentity", headers.get("x-acs-action").get(0).asText());
        assertFalse(run.out().contains(Callers.DEV.secret()), "the secret key is never printed");
    }

    @Test
    void eachLoginIsSignedWithAFreshNonce() throws Exception {
        Map<String, String> env = Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", "k", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s",
                "ALIBABA_CLOUD_REGION_ID", "cn-beijing");
        String a = signedQuery(run(env, "--role", "r", "--format", "login-data").out()).get("SignatureNonce");
        String b = signedQuery(run(env, "--role", "r", "--format", "login-data").out()).get("SignatureNonce");
        assertFalse(a.equals(b));
    }

    @Test
    void alibabaEnvironmentComesBeforeVaultsAndFlagsBeforeBoth() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.OPS.accessKeyId());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.OPS.secret());
        env.put("ALIBABA_CLOUD_SECURITY_TOKEN", Callers.OPS.securityToken());
        env.put("ALICLOUD_ACCESS_KEY", Callers.USER.accessKeyId());
        env.put("ALICLOUD_SECRET_KEY", Callers.USER.secret());
        Map<String, String> q = signedQuery(run(env, "--role", "r", "--region", "cn-hangzhou",
                "--format", "login-data").out());
        assertSignedBy(Callers.OPS, q);
        assertEquals(Callers.OPS.securityToken(), q.get("SecurityToken"));

        q = signedQuery(run(env, "--role", "r", "--region", "cn-hangzhou", "--format=login-data",
                "--access-key=" + Callers.DEV.accessKeyId(), "--secret-key=" + Callers.DEV.secret()).out());
        assertSignedBy(Callers.DEV, q);
        assertFalse(q.containsKey("SecurityToken"));
    }

    @Test
    void vaultsEnvironmentNamesWork() throws Exception {
        Map<String, String> env = Map.of("ALICLOUD_ACCESS_KEY", Callers.DEV.accessKeyId(),
                "ALICLOUD_SECRET_KEY", Callers.DEV.secret(), "ALICLOUD_ACCESS_KEY_STS_TOKEN", Callers.DEV.securityToken());
        Map<String, String> q = signedQuery(run(env, "--role", "r", "--region", "cn-hangzhou",
                "--format", "login-data").out());
        assertSignedBy(Callers.DEV, q);
        assertEquals(Callers.DEV.securityToken(), q.get("SecurityToken"));
    }

    @Test
    void ecsMetadataInHardenedMode() throws Exception {
        try (FakeMetadata metadata = new FakeMetadata(Callers.DEV, "dev-role", true)) {
            Map<String, String> q = signedQuery(run(Map.of("ALICLOUD_AUTH_METADATA_ENDPOINT", metadata.url()),
                    "--role", "r", "--region", "cn-hangzhou", "--format", "login-data").out());
            assertSignedBy(Callers.DEV, q);
            assertEquals(Callers.DEV.securityToken(), q.get("SecurityToken"));
            assertEquals(List.of("PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/ with-token",
                    "GET /latest/meta-data/ram/security-credentials/dev-role with-token"), metadata.seen);
        }
    }

    @Test
    void ecsMetadataFallsBackToPlainModeWhenTheTokenEndpointRefuses() throws Exception {
        try (FakeMetadata metadata = new FakeMetadata(Callers.DEV, "dev-role", false)) {
            Run run = run(Map.of(), "--role", "r", "--region", "cn-hangzhou", "--format", "login-data",
                    "--metadata-endpoint", metadata.url(), "--ecs-role", "dev-role");
            assertEquals(0, run.code(), run.err());
            assertSignedBy(Callers.DEV, signedQuery(run.out()));
            assertEquals(List.of("PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/dev-role"),
                    metadata.seen);
        }
    }

    @Test
    void plainModeIsRefusedWhenImdsV1IsDisabled() throws Exception {
        try (FakeMetadata metadata = new FakeMetadata(Callers.DEV, "dev-role", false)) {
            Run run = run(Map.of("ALIBABA_CLOUD_IMDSV1_DISABLED", "true"), "--role", "r", "--region", "cn-hangzhou",
                    "--metadata-endpoint", metadata.url());
            assertEquals(1, run.code());
            assertEquals("", run.out());
            assertTrue(run.err().contains("IMDSV1_DISABLED"), run.err());
            assertEquals(List.of("PUT /latest/api/token"), metadata.seen);
        }
    }

    @Test
    void ecsRoleFromTheEnvironmentSkipsDiscovery() throws Exception {
        try (FakeMetadata metadata = new FakeMetadata(Callers.DEV, "dev-role", true)) {
            Run run = run(Map.of("ALIBABA_CLOUD_ECS_METADATA", "dev-role", "ALICLOUD_AUTH_METADATA_ENDPOINT",
                    metadata.url()), "--role", "r", "--region", "cn-hangzhou", "--format", "login-data");
            assertEquals(0, run.code(), run.err());
            assertEquals(2, metadata.seen.size());
        }
    }

    @Test
    void noCredentialsSaysWhereItLooked() {
        Run run = run(Map.of("HOME", "/nonexistent-home"), "--role", "r", "--region", "cn-hangzhou",
                "--metadata-endpoint", "http://127.0.0.1:1");
        assertEquals(1, run.code());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("--access-key/--secret-key"));
        assertTrue(run.err().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"));
        assertTrue(run.err().contains("ALICLOUD_ACCESS_KEY"));
        assertTrue(run.err().contains("ECS instance metadata: at http://127.0.0.1:1: not reachable"), run.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        Map<String, String> creds = Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", "k", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s");
        assertEquals(2, run(creds, "--region", "cn-hangzhou").code());
        assertEquals(2, run(creds, "--role", "r").code());
        assertEquals(2, run(creds, "--role", "r", "--region", "Hangzhou City").code());
        assertEquals(2, run(creds, "--role", "r", "--region", "cn-hangzhou", "--format", "yaml").code());
        assertEquals(2, run(creds, "--role", "r", "--region", "cn-hangzhou", "--bogus", "x").code());
        assertEquals(2, run(creds, "--role").code());
        Run help = run(Map.of(), "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--format token|json|login-data"));
    }

    @Test
    void unreachableServerIsOneLineOnStderr() {
        Run run = run(Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", "k", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret-value"),
                "--role", "r", "--region", "cn-hangzhou", "--address", "http://127.0.0.1:1");
        assertEquals(1, run.code());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("alicloud-auth login: cannot reach http://127.0.0.1:1"), run.err());
        assertFalse(run.err().contains("secret-value"));
    }
}
