package io.alicloudauth.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Requests as an operator (root token) or an anonymous caller would send them. */
public final class Api {

    public static final String ROOT = "test-root-token-0123456789";

    private Api() {
    }

    public static RequestSpecification admin() {
        return given().header("X-Vault-Token", ROOT).contentType(ContentType.JSON);
    }

    public static RequestSpecification anyone() {
        return given().contentType(ContentType.JSON);
    }

    public static RequestSpecification withToken(String token) {
        return given().header("X-Vault-Token", token).contentType(ContentType.JSON);
    }

    /** Points the mount at the fake STS with the given timeout, as an operator would. */
    public static void useFakeSts(String timeout) {
        admin().body("{\"sts_endpoint\":\"" + FakeStsResource.sts().url() + "\",\"sts_timeout\":\"" + timeout + "\"}")
                .post("/v1/auth/alicloud/config").then().statusCode(204);
    }

    public static void writeRole(String name, String json) {
        admin().body(json).post("/v1/auth/alicloud/role/" + name).then().statusCode(204);
    }

    /**
     * Writes dev-role bound to {@link Callers#ROLE_ARN} with policy dev, a 1h TTL and a 2h max, every other token
     * field at its default: roles are shared by the test classes of one application, so each test sets all of it.
     */
    public static void writeDevRole() {
        writeRole("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"bound_arns\":[],\"bound_principal_ids\":[],"
                + "\"token_policies\":\"dev\",\"token_ttl\":\"1h\",\"token_max_ttl\":\"2h\",\"token_num_uses\":0,"
                + "\"token_period\":0,\"token_explicit_max_ttl\":0,\"token_type\":\"default\",\"token_bound_cidrs\":\"\","
                + "\"token_no_default_policy\":false,\"vault_token_role\":\"\"}");
    }

    /** Deletes every role, so a test can start from an empty mount. */
    public static void deleteAllRoles() {
        var response = admin().queryParam("list", "true").get("/v1/auth/alicloud/roles");
        if (response.statusCode() == 200) {
            for (String name : response.jsonPath().<String>getList("data.keys")) {
                admin().delete("/v1/auth/alicloud/role/" + name).then().statusCode(204);
            }
        }
    }
}
