package io.alicloudauth.cli;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeMetadata;
import io.alicloudauth.testing.FakeStsResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The login command against the running service, with the fake STS behind it. */
@QuarkusTest
public class LoginCommandEndToEndTest {

    String address;

    @BeforeEach
    void serviceWithRole() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeRole("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"dev\","
                + "\"token_bound_cidrs\":\"\",\"token_num_uses\":0,\"token_type\":\"default\",\"token_period\":0}");
        address = "http://127.0.0.1:" + RestAssured.port;
    }

    @Test
    void printedTokenPassesLookupSelf() {
        LoginCommandTest.Run run = LoginCommandTest.run(Map.of("VAULT_ADDR", address,
                "ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.DEV.accessKeyId(),
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.DEV.secret(),
                "ALIBABA_CLOUD_SECURITY_TOKEN", Callers.DEV.securityToken()),
                "--role", "dev-role", "--region", "cn-hangzhou");
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.err());
        String token = run.out().trim();
        assertTrue(token.startsWith("hvs."));
        assertEquals(token + System.lineSeparator(), run.out());
        Api.withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.meta.arn", equalTo(Callers.DEV.arn()));
    }

    @Test
    void instanceMetadataCredentialsLogIn() throws Exception {
        try (FakeMetadata metadata = new FakeMetadata(Callers.DEV, "dev-role", true)) {
            LoginCommandTest.Run run = LoginCommandTest.run(Map.of("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou"),
                    "--role", "dev-role", "--address", address, "--metadata-endpoint", metadata.url(),
                    "--format", "json");
            assertEquals(0, run.code(), run.err());
            JsonNode answer = LoginCommandTest.JSON.readTree(run.out());
            assertEquals("dev-role", answer.path("auth").path("metadata").path("role_name").asText());
            assertFalse(run.out().contains(Callers.DEV.secret()));
        }
    }

    @Test
    void signatureV3AndAServerIdLogIn() {
        Map<String, String> env = Map.of("VAULT_ADDR", address,
                "ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.DEV.accessKeyId(),
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.DEV.secret(),
                "ALIBABA_CLOUD_SECURITY_TOKEN", Callers.DEV.securityToken());
        LoginCommandTest.Run v3 = LoginCommandTest.run(env, "--role", "dev-role", "--region", "cn-hangzhou",
                "--signature-version", "3");
        assertEquals(0, v3.code(), v3.err());
        var seen = FakeStsResource.sts().seen();
        assertTrue(seen.get(seen.size() - 1).headers().get("authorization").get(0).startsWith("ACS3-HMAC-SHA256 "));

        Api.admin().body(Map.of("server_id", "https://this.example.com")).post("/v1/auth/alicloud/config").then()
                .statusCode(204);
        try {
            LoginCommandTest.Run other = LoginCommandTest.run(env, "--role", "dev-role", "--region", "cn-hangzhou",
                    "--server-id", "https://other.example.com");
            assertEquals(1, other.code());
            assertTrue(other.err().contains("login is not bound to this server"), other.err());
            LoginCommandTest.Run v1 = LoginCommandTest.run(env, "--role", "dev-role", "--region", "cn-hangzhou");
            assertEquals(1, v1.code());
            java.util.Map<String, String> withId = new java.util.HashMap<>(env);
            withId.put("ALICLOUD_AUTH_SERVER_ID", "https://this.example.com");
            LoginCommandTest.Run bound = LoginCommandTest.run(withId, "--role", "dev-role", "--region", "cn-hangzhou");
            assertEquals(0, bound.code(), bound.err());
            Api.withToken(bound.out().trim()).get("/v1/auth/token/lookup-self").then().statusCode(200);
            // login-data prints the V3 body, which the server accepts.
            LoginCommandTest.Run data = LoginCommandTest.run(withId, "--role", "dev-role", "--region", "cn-hangzhou",
                    "--format", "login-data");
            assertEquals(0, data.code(), data.err());
            Api.anyone().body(data.out()).put("/v1/auth/alicloud/login").then().statusCode(200);
        } finally {
            Api.admin().body(Map.of("server_id", "")).post("/v1/auth/alicloud/config").then().statusCode(204);
        }
        LoginCommandTest.Run bad = LoginCommandTest.run(env, "--role", "dev-role", "--region", "cn-hangzhou",
                "--signature-version", "1", "--server-id", "x");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--server-id needs --signature-version 3"), bad.err());
    }

    @Test
    void loginDataIsAcceptedByTheServer() {
        LoginCommandTest.Run run = LoginCommandTest.run(Map.of(), "--role", "dev-role", "--region", "cn-shanghai",
                "--access-key", Callers.DEV.accessKeyId(), "--secret-key", Callers.DEV.secret(),
                "--security-token", Callers.DEV.securityToken(), "--format", "login-data");
        assertEquals(0, run.code(), run.err());
        Api.anyone().body(run.out()).put("/v1/auth/alicloud/login").then().statusCode(200)
                .body("auth.metadata.role_name", equalTo("dev-role"));
    }

    @Test
    void refusedLoginPrintsTheServersMessage() {
        LoginCommandTest.Run run = LoginCommandTest.run(Map.of(), "--role", "dev-role", "--region", "cn-hangzhou",
                "--address", address, "--access-key", Callers.OPS.accessKeyId(), "--secret-key", Callers.OPS.secret(),
                "--security-token", Callers.OPS.securityToken());
        assertEquals(1, run.code());
        assertEquals("", run.out());
        List<String> lines = run.err().lines().toList();
        assertEquals("alicloud-auth login: login refused (HTTP 403): the caller's arn does not match the role's arn",
                lines.get(lines.size() - 1), "after the warnings for secrets on the command line");
        LoginCommandTest.Run unknown = LoginCommandTest.run(Map.of(), "--role", "nobody", "--region", "cn-hangzhou",
                "--address", address, "--access-key", "k", "--secret-key", "s", "--mount", "/alicloud/");
        assertTrue(unknown.err().contains("HTTP 403"), unknown.err());
    }
}
