package io.alicloudauth.login;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Issue #5 bindings: bound_arns globs, RAM users, bound_principal_ids, and the alias source. */
@QuarkusTest
public class BindingsTest {

    static final String ROLE = "/v1/auth/alicloud/role/";

    @BeforeEach
    void sts() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
    }

    @AfterEach
    void defaultAlias() {
        admin().body("{\"alias_source\":\"principal_id\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
    }

    static ValidatableResponse login(FakeSts.Identity caller, String role) {
        return anyone().body(SignedLogin.as(caller).role(role).body()).post("/v1/auth/alicloud/login").then();
    }

    static void role(String name, String json) {
        admin().delete(ROLE + name).then().statusCode(204);
        Api.writeRole(name, json);
    }

    @Test
    void roleNameGlobAdmitsMatchingRolesOfThatAccountOnly() {
        role("apps", "{\"bound_arns\":[\"acs:ram::" + Callers.ACCOUNT + ":role/app-*\"]}");
        admin().get(ROLE + "apps").then().statusCode(200).body("data.arn", equalTo(""))
                .body("data.bound_arns", contains("acs:ram::" + Callers.ACCOUNT + ":role/app-*"))
                .body("data.bound_principal_ids", empty());
        login(Callers.APP_WEB, "apps").statusCode(200);
        login(Callers.DEV, "apps").statusCode(403);
        login(Callers.FOREIGN_APP_WEB, "apps").statusCode(403);
    }

    @Test
    void sessionGlobAdmitsOnlyMatchingSessions() {
        role("ci", "{\"bound_arns\":\"acs:ram::" + Callers.ACCOUNT + ":assumed-role/ci-role/build-*\"}");
        login(Callers.CI_BUILD, "ci").statusCode(200);
        login(Callers.CI_DEPLOY, "ci").statusCode(403);
    }

    @Test
    void explicitStarAccountMatchesAnyAccount() {
        role("anywhere", "{\"bound_arns\":[\"acs:ram::*:role/app-web\"]}");
        login(Callers.APP_WEB, "anywhere").statusCode(200);
        login(Callers.FOREIGN_APP_WEB, "anywhere").statusCode(200);
        login(Callers.DEV, "anywhere").statusCode(403);
    }

    @Test
    void ramUsersLogInOnlyThroughAUserPattern() {
        role("deploy", "{\"bound_arns\":[\"acs:ram::" + Callers.ACCOUNT + ":user/deployer\"]}");
        login(Callers.DEPLOYER, "deploy").statusCode(200)
                .body("auth.metadata.identity_type", equalTo("RAMUser"))
                .body("auth.metadata.arn", equalTo(Callers.DEPLOYER.arn()));
        role("roles-only", "{\"bound_arns\":[\"acs:ram::" + Callers.ACCOUNT + ":role/*\","
                + "\"acs:ram::" + Callers.ACCOUNT + ":assumed-role/*/*\"]}");
        login(Callers.DEPLOYER, "roles-only").statusCode(403);
        login(Callers.APP_WEB, "roles-only").statusCode(200);
    }

    @Test
    void theRootAccountNeverLogsIn() {
        role("everything", "{\"bound_arns\":[\"acs:ram::*:user/*\",\"acs:ram::*:role/*\"]}");
        login(Callers.ROOT, "everything").statusCode(403).body("errors[0]", containsString("root account"));
    }

    @Test
    void arnAndBoundArnsEachAdmit() {
        role("both", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"bound_arns\":[\"acs:ram::" + Callers.ACCOUNT
                + ":role/app-*\"]}");
        login(Callers.DEV, "both").statusCode(200);
        login(Callers.APP_WEB, "both").statusCode(200);
        login(Callers.CI_BUILD, "both").statusCode(403);
        admin().body("{\"arn\":\"\"}").post(ROLE + "both").then().statusCode(204);
        login(Callers.DEV, "both").statusCode(403);
        admin().body("{\"bound_arns\":[]}").post(ROLE + "both").then().statusCode(400)
                .body("errors[0]", containsString("arn or bound_arns"));
        admin().get(ROLE + "both").then().body("data.bound_arns.size()", equalTo(1));
    }

    @Test
    void malformedPatternsAreA400AtWriteTime() {
        for (String bad : new String[] {"acs:ram::1234*", "acs:ram::1234:*", "acs:ram::1234:group/x", "acs:ecs::1:role/x"}) {
            admin().body("{\"bound_arns\":[\"" + bad + "\"]}").post(ROLE + "bad-pattern").then().statusCode(400)
                    .body("errors[0]", containsString("bound_arns"));
        }
        admin().get(ROLE + "bad-pattern").then().statusCode(404);
        admin().body("{\"arn\":\"" + Callers.ROLE_ARN + "\",\"bound_principal_ids\":[\"a b\"]}")
                .post(ROLE + "bad-pattern").then().statusCode(400).body("errors[0]", containsString("bound_principal_ids"));
    }

    @Test
    void recreatedRamRoleWithANewRoleIdIsRefused() {
        role("pinned", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"bound_principal_ids\":[\"" + Callers.DEV.roleId()
                + "\"]}");
        String token = login(Callers.DEV, "pinned").statusCode(200).extract().path("auth.client_token");
        login(Callers.RECREATED_DEV, "pinned").statusCode(403);
        // Without the pin, the same name is enough (as Vault).
        role("unpinned", "{\"arn\":\"" + Callers.ROLE_ARN + "\"}");
        login(Callers.RECREATED_DEV, "unpinned").statusCode(200);
        // Renewal re-checks the pin.
        Api.withToken(token).post("/v1/auth/token/renew-self").then().statusCode(200);
        admin().body("{\"bound_principal_ids\":\"" + Callers.RECREATED_DEV.roleId() + "\"}").post(ROLE + "pinned")
                .then().statusCode(204);
        Api.withToken(token).post("/v1/auth/token/renew-self").then().statusCode(403);
    }

    @Test
    void aliasSourceSetsDisplayNameAndEntity() {
        role("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\"}");
        String[][] cases = {
            {"principal_id", Callers.DEV.principalId()},
            {"role_arn", Callers.ROLE_ARN},
            {"arn", Callers.DEV.arn()},
            {"principal_immutable_id", Callers.DEV.roleId()},
        };
        Set<String> entities = new HashSet<>();
        for (String[] c : cases) {
            admin().body("{\"alias_source\":\"" + c[0] + "\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
            admin().get("/v1/auth/alicloud/config").then().body("data.alias_source", equalTo(c[0]));
            String token = login(Callers.DEV, "dev-role").statusCode(200).extract().path("auth.client_token");
            String entity = Api.withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200)
                    .body("data.display_name", equalTo("alicloud-" + c[1])).extract().path("data.entity_id");
            String again = login(Callers.DEV, "dev-role").statusCode(200).extract().path("auth.entity_id");
            assertEquals(entity, again, c[0] + ": the same caller is the same entity");
            entities.add(entity);
        }
        assertEquals(4, entities.size());
        // role_arn: two instances of one role share an entity; principal_id: they do not.
        role("apps", "{\"bound_arns\":[\"acs:ram::" + Callers.ACCOUNT + ":role/*\"]}");
        admin().body("{\"alias_source\":\"role_arn\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
        String build = login(Callers.CI_BUILD, "apps").statusCode(200).extract().path("auth.entity_id");
        String deploy = login(Callers.CI_DEPLOY, "apps").statusCode(200).extract().path("auth.entity_id");
        assertEquals(build, deploy);
        admin().body("{\"alias_source\":\"principal_id\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
        String buildEntity = login(Callers.CI_BUILD, "apps").statusCode(200).extract().path("auth.entity_id");
        String deployEntity = login(Callers.CI_DEPLOY, "apps").statusCode(200).extract().path("auth.entity_id");
        assertNotEquals(buildEntity, deployEntity);
        admin().body("{\"alias_source\":\"name\"}").post("/v1/auth/alicloud/config").then().statusCode(400)
                .body("errors[0]", containsString("alias_source"));
    }
}
