package io.alicloudauth.audit;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.AuditProfile;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(AuditProfile.class)
public class AuditLogTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeRole("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"dev\"}");
    }

    static List<JsonNode> lines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(AuditProfile.FILE)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void theAuditFileIsReadableByItsOwnerOnly() throws Exception {
        io.alicloudauth.testing.Api.admin().get("/v1/sys/auth").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions
                .toString(Files.getPosixFilePermissions(AuditProfile.FILE)));
    }

    @Test
    void loginsAndProtectedRequestsAreAuditedWithoutSecrets() throws Exception {
        SignedLogin signed = SignedLogin.as(Callers.DEV);
        String body = signed.body();
        String signature = signed.query().get("Signature");
        var answer = anyone().body(body).post("/v1/auth/alicloud/login").then().statusCode(200).extract();
        String token = answer.path("auth.client_token");
        String accessor = answer.path("auth.accessor");
        Api.withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        anyone().body(body).post("/v1/auth/alicloud/login").then().statusCode(403); // replay
        anyone().body(SignedLogin.as(Callers.OPS).body()).post("/v1/auth/alicloud/login").then().statusCode(403);
        admin().get("/v1/auth/alicloud/role/dev-role").then().statusCode(200);

        List<JsonNode> lines = lines();
        JsonNode success = lines.stream().filter(l -> l.path("type").asText().equals("login")
                && l.path("outcome").asText().equals("success")).reduce((a, b) -> b).orElseThrow();
        assertEquals("dev-role", success.path("role").asText());
        assertEquals(Callers.DEV.arn(), success.path("caller_arn").asText());
        assertEquals("127.0.0.1", success.path("client_address").asText());
        assertTrue(success.path("client_token").asText().startsWith("hmac-sha256:"));
        assertTrue(success.path("accessor").asText().startsWith("hmac-sha256:"));
        assertTrue(success.path("signature").asText().startsWith("hmac-sha256:"));

        JsonNode lookup = lines.stream().filter(l -> l.path("path").asText().equals("/v1/auth/token/lookup-self"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("request", lookup.path("type").asText());
        assertEquals(200, lookup.path("status").asInt());
        assertEquals(success.path("client_token").asText(), lookup.path("token").asText(),
                "the same token hashes the same way: lines can be matched to a token the reader holds");

        List<String> reasons = lines.stream().filter(l -> l.path("outcome").asText().equals("failure"))
                .map(l -> l.path("reason").asText()).toList();
        assertTrue(reasons.contains("STS refused the request: SignatureNonceUsed"), reasons.toString());
        assertTrue(reasons.contains("the caller's arn does not match the role's arn"), reasons.toString());
        JsonNode roleRead = lines.stream().filter(l -> l.path("path").asText().equals("/v1/auth/alicloud/role/dev-role")
                && l.path("method").asText().equals("GET")).reduce((a, b) -> b).orElseThrow();
        assertNotNull(roleRead.get("token"));

        String raw = Files.readString(AuditProfile.FILE);
        for (String secret : List.of(token, accessor, signature, Api.ROOT, Callers.DEV.securityToken(),
                Callers.DEV.secret())) {
            assertFalse(raw.contains(secret), "the audit log carries a secret in clear");
        }
    }

    @Test
    void anAclRefusalIsAuditedWithTheOperationThePathAndThePolicies() throws Exception {
        String token = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
        Api.withToken(token).get("/v1/auth/alicloud/config").then().statusCode(403);
        JsonNode refused = lines().stream().filter(l -> l.path("path").asText().equals("/v1/auth/alicloud/config"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(403, refused.path("status").asInt());
        assertEquals("permission denied", refused.path("error").asText());
        assertEquals("read", refused.path("operation").asText());
        assertEquals("auth/alicloud/config", refused.path("acl_path").asText());
        assertEquals(List.of("default", "dev"), JSON.convertValue(refused.path("policies"), List.class));
        assertFalse(refused.toString().contains(token));
    }

    @Test
    void malformedBodiesAreAuditedInOurWords() throws Exception {
        anyone().body("{").post("/v1/auth/alicloud/login").then().statusCode(400);
        admin().body("{\"arn\":\"x\",\"arn\":\"y\"}").post("/v1/auth/alicloud/role/dev-role").then().statusCode(400);
        List<JsonNode> lines = lines();
        JsonNode login = lines.stream().filter(l -> l.path("type").asText().equals("login")).reduce((a, b) -> b)
                .orElseThrow();
        assertEquals(400, login.path("status").asInt());
        assertTrue(login.path("reason").asText().startsWith("failed to parse JSON input: not valid JSON"),
                login.toString());
        JsonNode write = lines.stream().filter(l -> l.path("method").asText().equals("POST")
                && l.path("path").asText().equals("/v1/auth/alicloud/role/dev-role")).reduce((a, b) -> b).orElseThrow();
        assertEquals("failed to parse JSON input: duplicate field \"arn\"", write.path("error").asText());
        String raw = Files.readString(AuditProfile.FILE);
        assertFalse(raw.contains("jackson") || raw.contains("Source:") || raw.contains("Feature"), raw);
    }
}
