package io.alicloudauth.policy;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static io.alicloudauth.testing.Api.withToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;

/** ACL policies (SPEC §8): the policy endpoints, and every protected path decided by the caller's policies. */
@QuarkusTest
public class PolicyTest {

    static final String ROLE_ADMIN = """
            # CI manages roles, and nothing else
            path "auth/alicloud/role/*" {
              capabilities = ["create", "read", "update", "delete", "list"]
            }
            path "auth/alicloud/role/prod-*" {
              capabilities = ["deny"]
            }
            """;

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
        writePolicy("role-admin", ROLE_ADMIN);
    }

    static void writePolicy(String name, String text) {
        admin().body(Map.of("policy", text)).put("/v1/sys/policies/acl/" + name).then().statusCode(204);
    }

    /** A token of dev-role carrying these policies (and default unless {@code noDefault}). */
    static String tokenWith(String policies, boolean noDefault) {
        admin().body(Map.of("token_policies", policies, "token_no_default_policy", noDefault, "token_type", "service"))
                .post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
        return anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
    }

    @Test
    void policiesAreStoredAndReadBackAsWritten() {
        admin().get("/v1/sys/policies/acl/role-admin").then().statusCode(200)
                .body("data.name", equalTo("role-admin")).body("data.policy", equalTo(ROLE_ADMIN));
        admin().get("/v1/sys/policy/role-admin").then().statusCode(200)
                .body("name", equalTo("role-admin")).body("rules", equalTo(ROLE_ADMIN))
                .body("data.rules", equalTo(ROLE_ADMIN));
        admin().queryParam("list", "true").get("/v1/sys/policies/acl").then().statusCode(200)
                .body("data.keys", hasItems("default", "role-admin")).body("data.keys", not(hasItem("root")));
        admin().request("LIST", "/v1/sys/policies/acl").then().statusCode(200).body("data.keys", hasItem("default"));
        admin().get("/v1/sys/policy").then().statusCode(200).body("policies", hasItems("default", "role-admin", "root"))
                .body("data.keys", hasItem("root"));
        admin().get("/v1/sys/policies/acl/default").then().statusCode(200)
                .body("data.policy", containsString("auth/token/lookup-self"));

        // Names are lowercased; the older API takes "rules"; base64 is decoded; delete is idempotent.
        admin().body(Map.of("rules", "path \"a/*\" { capabilities = [\"read\"] }")).put("/v1/sys/policy/Mixed-Case")
                .then().statusCode(204);
        admin().get("/v1/sys/policies/acl/mixed-case").then().statusCode(200).body("data.name", equalTo("mixed-case"));
        String encoded = Base64.getEncoder().encodeToString("path \"b/*\" { capabilities = [\"list\"] }".getBytes());
        admin().body(Map.of("policy", encoded)).post("/v1/sys/policies/acl/encoded").then().statusCode(204);
        admin().get("/v1/sys/policies/acl/encoded").then().body("data.policy", equalTo("path \"b/*\" { capabilities = [\"list\"] }"));
        admin().delete("/v1/sys/policy/mixed-case").then().statusCode(204);
        admin().delete("/v1/sys/policies/acl/encoded").then().statusCode(204);
        admin().delete("/v1/sys/policies/acl/encoded").then().statusCode(204);
        admin().get("/v1/sys/policies/acl/encoded").then().statusCode(404);
    }

    @Test
    void badPoliciesAreRefusedSayingWhereAndNothingIsStored() {
        admin().body(Map.of("policy", "path \"a/*\" {\n  capabilities = [\"reed\"]\n}")).put("/v1/sys/policies/acl/bad")
                .then().statusCode(400).body("errors[0]", containsString("line 2")).body("errors[0]", containsString("reed"));
        admin().body(Map.of("policy", "path \"a\" { allowed_parameters = { \"x\" = [] } }")).put("/v1/sys/policies/acl/bad")
                .then().statusCode(400).body("errors[0]", containsString("allowed_parameters is not supported"));
        admin().body(Map.of("policy", "")).put("/v1/sys/policies/acl/bad").then().statusCode(400);
        admin().get("/v1/sys/policies/acl/bad").then().statusCode(404);
        admin().body(Map.of("policy", ROLE_ADMIN)).put("/v1/sys/policies/acl/root").then().statusCode(400)
                .body("errors[0]", equalTo("cannot update root policy"));
        admin().delete("/v1/sys/policies/acl/root").then().statusCode(400).body("errors[0]", equalTo("cannot delete root policy"));
        admin().delete("/v1/sys/policies/acl/default").then().statusCode(400)
                .body("errors[0]", equalTo("cannot delete default policy"));
        admin().body(Map.of("policy", ROLE_ADMIN)).put("/v1/sys/policies/acl/no%20spaces").then().statusCode(400);
    }

    @Test
    void aDelegatedRoleAdminManagesRolesAndNothingElse() {
        String ci = tokenWith("role-admin", false);
        String role = "{\"arn\":\"" + Callers.ROLE_ARN + "\"}";
        withToken(ci).body(role).post("/v1/auth/alicloud/role/app-web").then().statusCode(204);
        withToken(ci).get("/v1/auth/alicloud/role/app-web").then().statusCode(200);
        withToken(ci).request("LIST", "/v1/auth/alicloud/role").then().statusCode(200).body("data.keys", hasItem("app-web"));
        withToken(ci).queryParam("list", "true").get("/v1/auth/alicloud/roles").then().statusCode(403);
        withToken(ci).delete("/v1/auth/alicloud/role/app-web").then().statusCode(204);
        // A deny holds, whatever the case of the name (roles are stored lowercased).
        withToken(ci).body(role).post("/v1/auth/alicloud/role/prod-web").then().statusCode(403)
                .body("errors[0]", equalTo("permission denied"));
        withToken(ci).body(role).post("/v1/auth/alicloud/role/PROD-web").then().statusCode(403);
        for (String trick : java.util.List.of("%70rod-web", "prod-web/", "PROD%2Dweb", "x/../prod-web", "./prod-web",
                "prod-web%2F")) {
            int status = withToken(ci).urlEncodingEnabled(false).body(role).post("/v1/auth/alicloud/role/" + trick)
                    .statusCode();
            org.junit.jupiter.api.Assertions.assertTrue(status == 403 || status == 400 || status == 404 || status == 405,
                    trick + " answered " + status);
        }
        withToken(ci).urlEncodingEnabled(false).get("/v1/auth/alicloud/role/../config").then().statusCode(
                org.hamcrest.Matchers.anyOf(equalTo(403), equalTo(400), equalTo(404)));
        withToken(ci).get("/v1/auth/alicloud/config/").then().statusCode(
                org.hamcrest.Matchers.anyOf(equalTo(403), equalTo(404)));
        admin().get("/v1/auth/alicloud/role/prod-web").then().statusCode(404);
        // Nothing outside roles.
        withToken(ci).get("/v1/auth/alicloud/config").then().statusCode(403);
        withToken(ci).body("{}").post("/v1/auth/alicloud/config").then().statusCode(403);
        withToken(ci).body(Map.of("policy", ROLE_ADMIN)).put("/v1/sys/policies/acl/mine").then().statusCode(403);
        withToken(ci).post("/v1/sys/rotate").then().statusCode(403);
        withToken(ci).get("/v1/sys/auth").then().statusCode(403);
        withToken(ci).body(Map.of("token", ci)).post("/v1/auth/token/lookup").then().statusCode(403);
        // The default policy still lets it look itself up.
        withToken(ci).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.policies", contains("default", "role-admin"));
    }

    @Test
    void writingANewEntryNeedsCreateAndChangingOneNeedsUpdate() {
        writePolicy("updater", "path \"auth/alicloud/role/*\" { capabilities = [\"update\", \"read\"] }");
        String t = tokenWith("updater", false);
        withToken(t).body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post("/v1/auth/alicloud/role/brand-new").then()
                .statusCode(403);
        withToken(t).body("{\"token_ttl\":\"1h\"}").post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
    }

    @Test
    void withoutTheDefaultPolicyATokenCannotLookItselfUp() {
        String bare = tokenWith("role-admin", true);
        withToken(bare).get("/v1/auth/token/lookup-self").then().statusCode(403);
        withToken(bare).post("/v1/auth/token/renew-self").then().statusCode(403);
    }

    @Test
    void aChangedPolicyGovernsTheNextRequest() {
        String ci = tokenWith("role-admin", false);
        withToken(ci).get("/v1/auth/alicloud/role/dev-role").then().statusCode(200);
        writePolicy("role-admin", "path \"auth/alicloud/role/*\" { capabilities = [\"list\"] }");
        withToken(ci).get("/v1/auth/alicloud/role/dev-role").then().statusCode(403);
        admin().delete("/v1/sys/policies/acl/role-admin").then().statusCode(204);
        withToken(ci).request("LIST", "/v1/auth/alicloud/role").then().statusCode(403);
    }

    @Test
    void batchTokensCarryNamesSoAChangedPolicyAppliesToThem() {
        admin().body(Map.of("token_policies", "role-admin", "token_type", "batch")).post("/v1/auth/alicloud/role/dev-role")
                .then().statusCode(204);
        String batch = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
        withToken(batch).get("/v1/auth/alicloud/role/dev-role").then().statusCode(200);
        writePolicy("role-admin", "path \"nothing/*\" { capabilities = [\"read\"] }");
        withToken(batch).get("/v1/auth/alicloud/role/dev-role").then().statusCode(403);
    }

    @Test
    void capabilitiesSelfAndForAnotherToken() {
        String ci = tokenWith("role-admin", false);
        withToken(ci).body(Map.of("paths", java.util.List.of("auth/alicloud/role/x", "auth/alicloud/role/prod-x",
                "auth/alicloud/config", "auth/token/lookup-self"))).post("/v1/sys/capabilities-self").then()
                .statusCode(200)
                .body("'auth/alicloud/role/x'", contains("create", "delete", "list", "read", "update"))
                .body("data.'auth/alicloud/role/prod-x'", contains("deny"))
                .body("'auth/alicloud/config'", contains("deny"))
                .body("'auth/token/lookup-self'", contains("read"));
        withToken(ci).body(Map.of("path", "auth/alicloud/role/x")).post("/v1/sys/capabilities-self").then()
                .statusCode(200).body("capabilities", contains("create", "delete", "list", "read", "update"));
        admin().body(Map.of("paths", java.util.List.of("sys/rotate"))).post("/v1/sys/capabilities-self").then()
                .statusCode(200).body("capabilities", contains("root"));
        admin().body(Map.of("token", ci, "paths", java.util.List.of("auth/alicloud/config"))).post("/v1/sys/capabilities")
                .then().statusCode(200).body("capabilities", contains("deny"));
        withToken(ci).body(Map.of("token", ci, "paths", java.util.List.of("a"))).post("/v1/sys/capabilities").then()
                .statusCode(403);
        admin().body(Map.of("token", "hvs.nope", "paths", java.util.List.of("a"))).post("/v1/sys/capabilities").then()
                .statusCode(400).body("errors[0]", equalTo("invalid token"));
    }

    @Test
    void oneTemplatedPolicyGivesEachWorkloadItsOwnPath() {
        writePolicy("own-role", "path \"auth/alicloud/role/{{identity.entity.aliases.auth_alicloud_0001.metadata.role_name}}-child\" {\n"
                + "  capabilities = [\"create\", \"read\", \"update\"]\n}\n");
        String t = tokenWith("own-role", false);
        String role = "{\"arn\":\"" + Callers.ROLE_ARN + "\"}";
        withToken(t).body(role).post("/v1/auth/alicloud/role/dev-role-child").then().statusCode(204);
        withToken(t).body(role).post("/v1/auth/alicloud/role/other-child").then().statusCode(403);
        admin().delete("/v1/auth/alicloud/role/dev-role-child").then().statusCode(204);
        admin().get("/v1/sys/auth").then().statusCode(200).body("'alicloud/'.accessor", equalTo("auth_alicloud_0001"));
    }

    @Test
    void sudoIsNeededToEnableTheMountAndRotate() {
        writePolicy("almost", "path \"sys/*\" { capabilities = [\"create\", \"update\", \"read\"] }");
        String t = tokenWith("almost", false);
        withToken(t).body(Map.of("type", "alicloud")).post("/v1/sys/auth/alicloud").then().statusCode(403);
        withToken(t).post("/v1/sys/rotate").then().statusCode(403);
        withToken(t).get("/v1/sys/auth").then().statusCode(200);
        writePolicy("almost", "path \"sys/*\" { capabilities = [\"create\", \"update\", \"read\", \"sudo\"] }");
        withToken(t).body(Map.of("type", "alicloud")).post("/v1/sys/auth/alicloud").then().statusCode(204);
    }
}
