package io.alicloudauth.token;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static io.alicloudauth.testing.Api.withToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.RawHttp;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Batch tokens ({@code token_type=batch}): sealed, never stored, as Vault's. */
@QuarkusTest
public class BatchTokenTest {

    static final String ROLE = "/v1/auth/alicloud/role/";

    @Inject
    BatchTokens batch;

    @BeforeEach
    void batchRole() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
        admin().body("{\"token_type\":\"batch\"}").post(ROLE + "dev-role").then().statusCode(204);
    }

    static String login() {
        return anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
    }

    static long storedTokens() {
        return QuarkusTransaction.requiringNew().call(() -> Token.count() + WriteThroughToken.count());
    }

    @Test
    void aBatchLoginWritesNothingAndLooksUpLikeVaults() {
        long before = storedTokens();
        var auth = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200)
                .body("auth.token_type", equalTo("batch"))
                .body("auth.renewable", equalTo(false))
                .body("auth.accessor", equalTo(""))
                .body("auth.lease_duration", equalTo(3600))
                .body("auth.policies", contains("default", "dev"))
                .body("auth.metadata.arn", equalTo(Callers.DEV.arn()))
                .extract();
        String token = auth.path("auth.client_token");
        assertTrue(token.startsWith("hvb."));
        assertEquals(before, storedTokens(), "a batch login stores no token");
        for (String secret : List.of(Callers.DEV.arn(), "dev-role", Callers.DEV.principalId())) {
            assertFalse(token.contains(secret), "the token's terms are encrypted, not only signed");
        }

        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.id", equalTo(token))
                .body("data.type", equalTo("batch"))
                .body("data.accessor", equalTo(""))
                .body("data.renewable", equalTo(false))
                .body("data.orphan", equalTo(true))
                .body("data.creation_ttl", equalTo(3600))
                .body("data.ttl", lessThanOrEqualTo(3600))
                .body("data.ttl", greaterThan(3590))
                .body("data.policies", contains("default", "dev"))
                .body("data.meta.role_name", equalTo("dev-role"))
                .body("data.display_name", equalTo("alicloud-" + Callers.DEV.principalId()))
                .body("data.path", equalTo("auth/alicloud/login"));
        admin().body(Map.of("token", token)).post("/v1/auth/token/lookup").then().statusCode(200)
                .body("data.type", equalTo("batch")).body("data.meta.arn", equalTo(Callers.DEV.arn()));
        assertEquals(before, storedTokens(), "using a batch token stores nothing either");
    }

    @Test
    void batchTokensCannotBeRenewedOrRevokedOneByOne() {
        String token = login();
        withToken(token).post("/v1/auth/token/renew-self").then().statusCode(400)
                .body("errors[0]", equalTo("batch tokens cannot be renewed"));
        withToken(token).post("/v1/auth/token/revoke-self").then().statusCode(400)
                .body("errors[0]", equalTo("batch tokens cannot be revoked"));
        admin().body(Map.of("token", token)).post("/v1/auth/token/revoke").then().statusCode(400)
                .body("errors[0]", equalTo("batch tokens cannot be revoked"));
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = login();
        int at = token.length() / 2;
        char flipped = token.charAt(at) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, at) + flipped + token.substring(at + 1);
        withToken(tampered).get("/v1/auth/token/lookup-self").then().statusCode(403)
                .body("errors[0]", equalTo("permission denied"));
        withToken(token.substring(0, token.length() - 4)).get("/v1/auth/token/lookup-self").then().statusCode(403);
        withToken("hvb.").get("/v1/auth/token/lookup-self").then().statusCode(403);
        withToken("hvb.!!!").get("/v1/auth/token/lookup-self").then().statusCode(403);
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
    }

    @Test
    void anExpiredTokenIsRefused() {
        long now = Instant.now().getEpochSecond();
        String expired = batch.seal(new BatchTokens.Claims("dev-role", List.of("default"), Map.of(), "alicloud-x",
                "e", now - 120, 60, now - 60, 0, List.of()));
        withToken(expired).get("/v1/auth/token/lookup-self").then().statusCode(403);
        String live = batch.seal(new BatchTokens.Claims("dev-role", List.of("default"), Map.of(), "alicloud-x",
                "e", now, 60, now + 60, 0, List.of()));
        withToken(live).get("/v1/auth/token/lookup-self").then().statusCode(200);
    }

    @Test
    void aNewKeyInvalidatesEveryBatchToken() {
        String token = login();
        admin().post("/v1/sys/rotate").then().statusCode(204);
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
        String fresh = login();
        withToken(fresh).get("/v1/auth/token/lookup-self").then().statusCode(200);
        anyone().post("/v1/sys/rotate").then().statusCode(403);
    }

    @Test
    void boundCidrsHoldForEveryUse() throws Exception {
        admin().body("{\"token_bound_cidrs\":\"127.0.0.2/32\"}").post(ROLE + "dev-role").then().statusCode(204);
        String answer = RawHttp.send("127.0.0.2", RestAssured.port, "POST", "/v1/auth/alicloud/login", null,
                SignedLogin.as(Callers.DEV).body());
        assertTrue(answer.startsWith("200"), answer);
        String token = answer.replaceAll("(?s).*\"client_token\":\"([^\"]+)\".*", "$1");
        assertTrue(RawHttp.send("127.0.0.2", RestAssured.port, "GET", "/v1/auth/token/lookup-self", token, null)
                .startsWith("200"));
        assertTrue(RawHttp.send("127.0.0.3", RestAssured.port, "GET", "/v1/auth/token/lookup-self", token, null)
                .startsWith("403"));
        admin().body("{\"token_bound_cidrs\":\"\"}").post(ROLE + "dev-role").then().statusCode(204);
    }
}
