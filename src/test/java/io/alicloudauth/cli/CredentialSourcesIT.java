package io.alicloudauth.cli;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.testing.AppProcess;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;
import io.alicloudauth.testing.FakeStsResource;
import io.restassured.http.ContentType;

/**
 * The packaged {@code login} command as a process, finding its credentials the ways an ACK pod, a developer's
 * laptop and a CI job have them, against the packaged service and a fake STS that verifies AssumeRole signatures
 * and RRSA tokens and then the GetCallerIdentity signed with the session it handed out.
 */
class CredentialSourcesIT {

    static final String PROVIDER = "acs:ram::" + Callers.ACCOUNT + ":oidc-provider/ack-rrsa-it";
    static AppProcess app;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        FakeSts sts = FakeStsResource.sts().role(new FakeSts.AssumableRole(Callers.ROLE_ARN, "300800165472234567", null))
                .oidcProvider(PROVIDER, "it-rrsa-token");
        app = AppProcess.start(LoginCommandIT.JAR, Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:mem:sources",
                "ALICLOUD_AUTH_ROOT_TOKEN", LoginCommandIT.ROOT));
        given().baseUri(app.url()).header("X-Vault-Token", LoginCommandIT.ROOT).contentType(ContentType.JSON)
                .body("{\"sts_endpoint\":\"" + sts.url() + "\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
        given().baseUri(app.url()).header("X-Vault-Token", LoginCommandIT.ROOT).contentType(ContentType.JSON)
                .body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post("/v1/auth/alicloud/role/dev-role")
                .then().statusCode(204);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "VAULT_ADDR", app.url(),
                "ALIBABA_CLOUD_STS_ENDPOINT", FakeStsResource.sts().url(), "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static JsonNode loggedIn(LoginCommandIT.Result result) throws Exception {
        assertEquals(0, result.code(), result.err());
        JsonNode answer = new ObjectMapper().readTree(result.out());
        given().baseUri(app.url()).header("X-Vault-Token", answer.path("auth").path("client_token").asText())
                .get("/v1/auth/token/lookup-self").then().statusCode(200);
        return answer;
    }

    @Test
    void anAckPodLogsInWithRrsa() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "it-rrsa-token");
        JsonNode answer = loggedIn(LoginCommandIT.login(env("ALIBABA_CLOUD_ROLE_ARN", Callers.ROLE_ARN,
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER, "ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.toString(),
                "ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-abc"), "--role", "dev-role", "--region", "cn-hangzhou",
                "--format", "json"));
        assertEquals("default/oidc_role_arn", answer.path("credential_source").asText());
        assertEquals("acs:ram::" + Callers.ACCOUNT + ":assumed-role/dev-role/pod-abc",
                answer.path("auth").path("metadata").path("arn").asText());
    }

    @Test
    void aDeveloperLogsInWithTheAliyunCliProfile() throws Exception {
        Path file = Files.createDirectories(home.resolve(".aliyun")).resolve("config.json");
        Files.writeString(file, "{\"current\":\"dev\",\"profiles\":[{\"name\":\"dev\",\"mode\":\"RamRoleArn\","
                + "\"access_key_id\":\"" + Callers.USER.accessKeyId() + "\",\"access_key_secret\":\""
                + Callers.USER.secret() + "\",\"ram_role_arn\":\"" + Callers.ROLE_ARN + "\",\"ram_session_name\":\"laptop\"}]}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        LoginCommandIT.Result result = LoginCommandIT.login(env(), "--role", "dev-role", "--region", "cn-hangzhou",
                "--format", "json");
        assertEquals("default/cli_profile/ram_role_arn/static_ak", loggedIn(result).path("credential_source").asText());
        assertEquals("alicloud-auth login: warning: " + file + " holds credentials and can be read by other users:"
                + " chmod 600 " + file + "\n", result.err());
        assertTrue(!result.err().contains(Callers.USER.secret()) && !result.out().contains(Callers.USER.secret()));
    }

    @Test
    void aRamUsersOwnKeyIsToldToAssumeTheRole() throws Exception {
        LoginCommandIT.Result refused = LoginCommandIT.login(env("ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.USER.accessKeyId(),
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.USER.secret()), "--role", "dev-role", "--region", "cn-hangzhou");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("the caller is a RAM user") && refused.err().contains("--role-arn"),
                refused.err());

        JsonNode answer = loggedIn(LoginCommandIT.login(env("ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.USER.accessKeyId(),
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.USER.secret()), "--role", "dev-role", "--region",
                "cn-hangzhou", "--role-arn", Callers.ROLE_ARN, "--role-session-name", "ci-42", "--format", "json"));
        assertEquals("default/ram_role_arn/env", answer.path("credential_source").asText());
    }

    @Test
    void noCredentialsListsEverySourceAndHelpToo() throws Exception {
        LoginCommandIT.Result none = LoginCommandIT.login(env(), "--role", "dev-role", "--region", "cn-hangzhou");
        assertEquals(1, none.code());
        assertTrue(none.err().startsWith("alicloud-auth login: no Alibaba Cloud credentials found; looked at, in order:"
                + " 1. --access-key/--secret-key: not given;"), none.err());
        assertTrue(none.err().contains("8. ALIBABA_CLOUD_CREDENTIALS_URI: not set"), none.err());

        LoginCommandIT.Result help = LoginCommandIT.login(env(), "--help");
        assertEquals(0, help.code());
        for (String source : new String[] {"ALIBABA_CLOUD_OIDC_TOKEN_FILE", "~/.aliyun/config.json",
                "~/.alibabacloud/credentials.ini", "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "ALIBABA_CLOUD_CREDENTIALS_URI",
                "--role-arn"}) {
            assertTrue(help.out().contains(source), source);
        }
    }
}
