package io.alicloudauth.role;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static io.alicloudauth.testing.Api.withToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
public class RoleResourceTest {

    static final String PATH = "/v1/auth/alicloud/role/";

    @BeforeEach
    void emptyMount() {
        Api.deleteAllRoles();
    }

    @Test
    void emptyListIsA404WithNoErrors() {
        admin().queryParam("list", "true").get("/v1/auth/alicloud/role")
                .then().statusCode(404).body("errors", empty());
        admin().request("LIST", "/v1/auth/alicloud/roles").then().statusCode(404).body("errors", empty());
    }

    @Test
    void roleIsCreatedReadListedUpdatedAndDeleted() {
        admin().body("{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"Dev, ops,dev\",\"token_ttl\":\"1h\","
                + "\"token_max_ttl\":7200,\"token_bound_cidrs\":[\"10.0.0.0/8\",\"127.0.0.1\"]}")
                .post(PATH + "Dev-Role").then().statusCode(204);

        admin().get(PATH + "dev-role").then().statusCode(200)
                .body("data.arn", equalTo(Callers.ROLE_ARN))
                .body("data.token_policies", contains("dev", "ops"))
                .body("data.token_ttl", equalTo(3600))
                .body("data.token_max_ttl", equalTo(7200))
                .body("data.token_explicit_max_ttl", equalTo(0))
                .body("data.token_period", equalTo(0))
                .body("data.token_num_uses", equalTo(0))
                .body("data.token_no_default_policy", equalTo(false))
                .body("data.token_type", equalTo("default"))
                .body("data.token_bound_cidrs", contains("10.0.0.0/8", "127.0.0.1/32"))
                .body("data", not(hasKey("policies")))
                .body("lease_id", equalTo(""))
                .body("wrap_info", nullValue());

        admin().request("LIST", PATH.substring(0, PATH.length() - 1)).then().statusCode(200)
                .body("data.keys", contains("dev-role"));
        admin().queryParam("list", "1").get("/v1/auth/alicloud/roles").then().statusCode(200)
                .body("data.keys", contains("dev-role"));
        admin().request("LIST", "/v1/auth/alicloud/roles/").then().statusCode(200)
                .body("data.keys", contains("dev-role"));
        admin().queryParam("list", "TRUE").get("/v1/auth/alicloud/role/").then().statusCode(200)
                .body("data.keys", contains("dev-role"));

        // An update merges: fields not sent keep their value.
        admin().body("{\"token_max_ttl\":\"3h\"}").put(PATH + "dev-role").then().statusCode(204);
        admin().get(PATH + "DEV-ROLE").then().statusCode(200)
                .body("data.token_ttl", equalTo(3600))
                .body("data.token_max_ttl", equalTo(10800))
                .body("data.token_policies", contains("dev", "ops"))
                .body("data.arn", equalTo(Callers.ROLE_ARN));

        admin().delete(PATH + "dev-role").then().statusCode(204);
        admin().get(PATH + "dev-role").then().statusCode(404).body("errors", empty());
        admin().delete(PATH + "dev-role").then().statusCode(204);
    }

    @Test
    void listIsSorted() {
        Api.writeRole("zeta", "{\"arn\":\"acs:ram::1:role/z\"}");
        Api.writeRole("alpha", "{\"arn\":\"acs:ram::1:role/a\"}");
        Api.writeRole("mid.dle_1", "{\"arn\":\"acs:ram::1:role/m\"}");
        admin().request("LIST", "/v1/auth/alicloud/role").then().statusCode(200)
                .body("data.keys", contains("alpha", "mid.dle_1", "zeta"));
    }

    @Test
    void deprecatedAliasesAreAcceptedAndTheNewNameWins() {
        admin().body("{\"arn\":\"acs:ram::5138828231865461:role/elk\",\"policies\":\"default\",\"ttl\":10,"
                + "\"max_ttl\":10,\"period\":1,\"bound_cidrs\":[\"127.0.0.1/24\"]}")
                .post(PATH + "elk").then().statusCode(204);
        admin().get(PATH + "elk").then().statusCode(200)
                .body("data.policies", contains("default"))
                .body("data.token_policies", contains("default"))
                .body("data.ttl", equalTo(10))
                .body("data.token_ttl", equalTo(10))
                .body("data.max_ttl", equalTo(10))
                .body("data.period", equalTo(1))
                .body("data.token_period", equalTo(1))
                .body("data.bound_cidrs", contains("127.0.0.1/24"));

        admin().body("{\"max_ttl\":100}").post(PATH + "elk").then().statusCode(204);
        admin().get(PATH + "elk").then().body("data.ttl", equalTo(10)).body("data.max_ttl", equalTo(100));

        admin().body("{\"token_ttl\":20,\"ttl\":30}").post(PATH + "elk").then().statusCode(204);
        admin().get(PATH + "elk").then().body("data.token_ttl", equalTo(20)).body("data.ttl", equalTo(20));

        // Only the new name sent: the legacy name is no longer echoed.
        admin().body("{\"token_period\":5}").post(PATH + "elk").then().statusCode(204);
        admin().get(PATH + "elk").then().body("data.token_period", equalTo(5)).body("data", not(hasKey("period")));
    }

    @Test
    void arnIsRequiredOnCreateAndMustBeARoleArn() {
        admin().body("{\"token_policies\":\"dev\"}").post(PATH + "x").then().statusCode(400)
                .body("errors[0]", startsWith("the arn is required to create a role"));
        for (String arn : new String[] {"acs:ram::123:assumed-role/r/s", "acs:ram::123:user/u", "acs:ecs::123:role/r",
                "arn:aws:iam::123:role/r", "acs:ram::abc:role/r", "acs:ram::123:role/", ""}) {
            admin().body("{\"arn\":\"" + arn + "\"}").post(PATH + "x").then().statusCode(400)
                    .body("errors[0]", containsString("arn"));
        }
        admin().get(PATH + "x").then().statusCode(404);
    }

    @Test
    void invalidFieldsAreA400NamingTheFieldAndChangeNothing() {
        Api.writeRole("keep", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_ttl\":60,\"token_policies\":\"a\"}");
        String[][] cases = {
            {"{\"token_ttl\":-1}", "token_ttl"},
            {"{\"token_ttl\":\"forever\"}", "token_ttl"},
            {"{\"token_ttl\":\"2h\",\"token_max_ttl\":\"1h\"}", "'token_ttl' cannot be greater than 'token_max_ttl'"},
            {"{\"token_num_uses\":-3}", "token_num_uses"},
            {"{\"token_num_uses\":\"many\"}", "token_num_uses"},
            {"{\"token_type\":\"root\"}", "token_type"},
            {"{\"token_type\":\"batch\",\"token_period\":60}", "periodic"},
            {"{\"token_type\":\"batch\",\"token_num_uses\":2}", "limited use count"},
            {"{\"token_bound_cidrs\":\"10.0.0.0/99\"}", "token_bound_cidrs"},
            {"{\"token_bound_cidrs\":\"example.com\"}", "token_bound_cidrs"},
            {"{\"token_policies\":\"root\"}", "root"},
            {"{\"token_policies\":{\"a\":1}}", "token_policies"},
            {"{\"token_no_default_policy\":\"maybe\"}", "token_no_default_policy"},
            {"{\"arn\":[\"x\"]}", "arn"},
            {"[1,2]", "JSON object"},
            {"not json", "failed to parse JSON"},
            {"{\"token_ttl\":1,\"token_ttl\":2}", "failed to parse JSON"},
        };
        for (String[] c : cases) {
            admin().body(c[0]).post(PATH + "keep").then().statusCode(400).body("errors[0]", containsString(c[1]));
        }
        admin().get(PATH + "keep").then().statusCode(200)
                .body("data.token_ttl", equalTo(60))
                .body("data.token_max_ttl", equalTo(0))
                .body("data.token_policies", contains("a"))
                .body("data.token_type", equalTo("default"));
    }

    @Test
    void missingBodyIsA400() {
        RestAssured.given().header("X-Vault-Token", Api.ROOT).post(PATH + "empty").then().statusCode(400)
                .body("errors[0]", containsString("missing request body"));
    }

    @Test
    void unknownFieldsAreStoredAroundWithAWarning() {
        admin().body("{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_polcies\":\"typo\"}").post(PATH + "warned")
                .then().statusCode(200).body("warnings[0]", containsString("token_polcies"));
        admin().get(PATH + "warned").then().statusCode(200).body("data.token_policies", empty());
    }

    @Test
    void invalidRoleNamesAreRefused() {
        admin().body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post(PATH + "-bad").then().statusCode(400)
                .body("errors[0]", containsString("invalid role name"));
        admin().body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post(PATH + "bad.").then().statusCode(400);
        admin().body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post(PATH + "a@b").then().statusCode(400);
    }

    @Test
    void rolesNeedTheRootToken() {
        anyone().get(PATH + "dev-role").then().statusCode(403).body("errors[0]", equalTo("permission denied"));
        withToken("wrong-token").body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post(PATH + "dev-role")
                .then().statusCode(403);
        anyone().request("LIST", "/v1/auth/alicloud/roles").then().statusCode(403);
        RestAssured.given().header("Authorization", "Bearer " + Api.ROOT).queryParam("list", "true")
                .get("/v1/auth/alicloud/roles").then().statusCode(404);
        admin().get(PATH + "dev-role").then().statusCode(404);
    }

    @Test
    void getWithoutListOnTheCollectionIsUnsupported() {
        admin().get("/v1/auth/alicloud/roles").then().statusCode(405).body("errors[0]", equalTo("unsupported operation"));
    }
}
