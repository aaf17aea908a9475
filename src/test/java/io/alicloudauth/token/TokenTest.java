package io.alicloudauth.token;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static io.alicloudauth.testing.Api.withToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.RawHttp;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
public class TokenTest {

    static final String ROLE = "/v1/auth/alicloud/role/";

    @BeforeEach
    void stsAndRole() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
    }

    static String login() {
        return anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
    }

    @Test
    void lookupSelfDescribesTheToken() {
        String token = login();
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.id", equalTo(token))
                .body("data.accessor", matchesPattern("[0-9a-f]{11}[A-Za-z0-9]{24}"))
                .body("data.creation_ttl", equalTo(3600))
                .body("data.ttl", lessThanOrEqualTo(3600))
                .body("data.ttl", greaterThan(3590))
                .body("data.explicit_max_ttl", equalTo(0))
                .body("data.display_name", equalTo("alicloud-" + Callers.DEV.principalId()))
                .body("data.expire_time", startsWith("20"))
                .body("data.issue_time", startsWith("20"))
                .body("data.meta.arn", equalTo(Callers.DEV.arn()))
                .body("data.num_uses", equalTo(0))
                .body("data.orphan", equalTo(true))
                .body("data.path", equalTo("auth/alicloud/login"))
                .body("data.policies", contains("default", "dev"))
                .body("data.renewable", equalTo(true))
                .body("data.type", equalTo("service"));
        RestAssured.given().header("Authorization", "Bearer " + token).get("/v1/auth/token/lookup-self")
                .then().statusCode(200).body("data.id", equalTo(token));
    }

    @Test
    void missingOrUnknownTokensAreDenied() {
        anyone().get("/v1/auth/token/lookup-self").then().statusCode(403).body("errors[0]", equalTo("permission denied"));
        withToken("hvs.not-a-token").get("/v1/auth/token/lookup-self").then().statusCode(403);
        withToken("hvs.not-a-token").post("/v1/auth/token/renew-self").then().statusCode(403);
        withToken("hvs.not-a-token").post("/v1/auth/token/revoke-self").then().statusCode(403);
    }

    @Test
    void renewSelfExtendsUpToTheMaxTtl() {
        String token = login();
        withToken(token).body("{\"increment\":\"10m\"}").post("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.client_token", equalTo(token))
                .body("auth.lease_duration", equalTo(600))
                .body("auth.policies", contains("default", "dev"));
        withToken(token).get("/v1/auth/token/lookup-self").then().body("data.ttl", lessThanOrEqualTo(600));
        // Far more than max TTL: capped at creation + 2h.
        withToken(token).body("{\"increment\":\"100h\"}").put("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.lease_duration", lessThanOrEqualTo(7200))
                .body("auth.lease_duration", greaterThan(7190));
        // node-vault sends renew-self with no body and no content type.
        RestAssured.given().header("X-Vault-Token", token).post("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.lease_duration", equalTo(3600));
        withToken(token).body("{\"increment\":\"soon\"}").post("/v1/auth/token/renew-self").then().statusCode(400)
                .body("errors[0]", containsString("increment"));
    }

    @Test
    void deletingTheRoleMakesItsTokensUnrenewable() {
        String token = login();
        admin().delete(ROLE + "dev-role").then().statusCode(204);
        withToken(token).post("/v1/auth/token/renew-self").then().statusCode(403)
                .body("errors[0]", containsString("role entry not found"));
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
    }

    @Test
    void pointingTheRoleElsewhereMakesItsTokensUnrenewable() {
        String token = login();
        admin().body("{\"arn\":\"acs:ram::" + Callers.ACCOUNT + ":role/other-role\"}").post(ROLE + "dev-role")
                .then().statusCode(204);
        withToken(token).post("/v1/auth/token/renew-self").then().statusCode(403)
                .body("errors[0]", equalTo("the caller's arn does not match the role's arn"));
    }

    @Test
    void renewalAppliesTheRolesCurrentTtl() {
        String token = login();
        admin().body("{\"token_ttl\":\"5m\"}").post(ROLE + "dev-role").then().statusCode(204);
        withToken(token).post("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.lease_duration", equalTo(300));
    }

    @Test
    void revokeSelfEndsTheToken() {
        String token = login();
        withToken(token).post("/v1/auth/token/revoke-self").then().statusCode(204);
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
    }

    @Test
    void limitedUseTokenDiesAfterItsLastUse() {
        admin().body("{\"token_num_uses\":2}").post(ROLE + "dev-role").then().statusCode(204);
        String token = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).body("auth.num_uses", equalTo(2)).extract().path("auth.client_token");
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200).body("data.num_uses", equalTo(1));
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200).body("data.num_uses", equalTo(0));
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
    }

    @Test
    void periodicTokenRenewsToItsPeriod() {
        admin().body("{\"token_period\":\"90s\"}").post(ROLE + "dev-role").then().statusCode(204);
        String token = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).body("auth.lease_duration", equalTo(90)).extract().path("auth.client_token");
        withToken(token).get("/v1/auth/token/lookup-self").then().body("data.period", equalTo(90));
        withToken(token).post("/v1/auth/token/renew-self").then().statusCode(200).body("auth.lease_duration", equalTo(90));
    }

    @Test
    void explicitMaxTtlCapsTheLease() {
        admin().body("{\"token_explicit_max_ttl\":30}").post(ROLE + "dev-role").then().statusCode(204);
        String token = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).body("auth.lease_duration", equalTo(30)).extract().path("auth.client_token");
        withToken(token).body("{\"increment\":\"1h\"}").post("/v1/auth/token/renew-self").then().statusCode(200)
                .body("auth.lease_duration", lessThanOrEqualTo(30));
    }

    @Test
    void defaultTtlIs32DaysWhenTheRoleSetsNone() {
        admin().body("{\"token_ttl\":0,\"token_max_ttl\":0}").post(ROLE + "dev-role").then().statusCode(204);
        anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).body("auth.lease_duration", equalTo(32 * 24 * 3600));
    }

    @Test
    void noDefaultPolicyLeavesItOut() {
        admin().body("{\"token_no_default_policy\":true}").post(ROLE + "dev-role").then().statusCode(204);
        anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).body("auth.policies", contains("dev"));
    }

    @Test
    void batchTokensAreNotRenewable() {
        admin().body("{\"token_type\":\"batch\"}").post(ROLE + "dev-role").then().statusCode(204);
        String token = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).body("auth.token_type", equalTo("batch")).body("auth.renewable", equalTo(false))
                .extract().path("auth.client_token");
        assertTrue(token.startsWith("hvb."));
        withToken(token).post("/v1/auth/token/renew-self").then().statusCode(400)
                .body("errors[0]", equalTo("batch tokens cannot be renewed"));
        admin().body("{\"token_type\":\"default\"}").post(ROLE + "dev-role").then().statusCode(204);
    }

    @Test
    void expiredTokenIsDenied() throws InterruptedException {
        admin().body("{\"token_ttl\":1}").post(ROLE + "dev-role").then().statusCode(204);
        String token = login();
        Thread.sleep(2100);
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
    }

    @Test
    void adminLooksUpAndRevokesByTokenOrAccessor() {
        String token = login();
        String accessor = withToken(token).get("/v1/auth/token/lookup-self").then().extract().path("data.accessor");
        admin().body("{\"token\":\"" + token + "\"}").post("/v1/auth/token/lookup").then().statusCode(200)
                .body("data.accessor", equalTo(accessor)).body("data", not(hasKey("id")));
        admin().body("{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/lookup-accessor").then()
                .statusCode(200).body("data.policies", contains("default", "dev")).body("data", not(hasKey("id")));
        admin().body("{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/revoke-accessor").then()
                .statusCode(204);
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
        admin().body("{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/lookup-accessor").then()
                .statusCode(400).body("errors[0]", equalTo("invalid accessor"));
        admin().body("{\"token\":\"" + token + "\"}").post("/v1/auth/token/lookup").then().statusCode(403);

        String second = login();
        admin().body("{\"token\":\"" + second + "\"}").post("/v1/auth/token/revoke").then().statusCode(204);
        withToken(second).get("/v1/auth/token/lookup-self").then().statusCode(403);
        admin().body("{}").post("/v1/auth/token/lookup").then().statusCode(400).body("errors[0]", containsString("token"));
    }

    @Test
    void onlyTheRootTokenMayLookUpOthers() {
        String token = login();
        withToken(token).body("{\"token\":\"" + token + "\"}").post("/v1/auth/token/lookup").then().statusCode(403);
        withToken(token).body("{\"token\":\"" + token + "\"}").post("/v1/auth/token/revoke").then().statusCode(403);
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
    }

    @Test
    void rootTokenLooksItselfUpButCannotBeRevoked() {
        withToken(Api.ROOT).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.policies", contains("root")).body("data.id", equalTo(Api.ROOT));
        withToken(Api.ROOT).post("/v1/auth/token/revoke-self").then().statusCode(400);
        withToken(Api.ROOT).get("/v1/auth/token/lookup-self").then().statusCode(200);
    }

    @Test
    void boundCidrsApplyToLoginAndToEveryUseOfTheToken() throws Exception {
        admin().body("{\"token_bound_cidrs\":\"127.0.0.1/32\"}").post(ROLE + "dev-role").then().statusCode(204);
        String elsewhere = RawHttp.send("127.0.0.2", RestAssured.port, "POST", "/v1/auth/alicloud/login", null,
                SignedLogin.as(Callers.DEV).body());
        assertTrue(elsewhere.startsWith("403"), elsewhere);
        String token = login();
        assertTrue(RawHttp.send("127.0.0.1", RestAssured.port, "GET", "/v1/auth/token/lookup-self", token, null).startsWith("200"));
        String denied = RawHttp.send("127.0.0.2", RestAssured.port, "GET", "/v1/auth/token/lookup-self", token, null);
        assertTrue(denied.startsWith("403"), denied);
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200).body("data.bound_cidrs",
                contains("127.0.0.1/32"));
    }
}
