package io.alicloudauth.sys;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
public class SysAndErrorsTest {

    @Test
    void enablingTheAlicloudMethodIsAcceptedAndIdempotent() {
        admin().body("{\"type\":\"alicloud\",\"description\":\"\",\"config\":{}}").post("/v1/sys/auth/alicloud")
                .then().statusCode(204);
        admin().body("{\"type\":\"alicloud\"}").put("/v1/sys/auth/alicloud").then().statusCode(204);
        admin().body("{\"type\":\"aws\"}").post("/v1/sys/auth/alicloud").then().statusCode(400)
                .body("errors[0]", containsString("only alicloud"));
        admin().body("{}").post("/v1/sys/auth/alicloud").then().statusCode(400);
        anyone().body("{\"type\":\"alicloud\"}").post("/v1/sys/auth/alicloud").then().statusCode(403);
    }

    @Test
    void mountTableListsAlicloudAtTopLevelAndUnderData() {
        admin().get("/v1/sys/auth").then().statusCode(200)
                .body("'alicloud/'.type", equalTo("alicloud"))
                .body("data.'alicloud/'.type", equalTo("alicloud"))
                .body("data.'token/'.type", equalTo("token"));
        anyone().get("/v1/sys/auth").then().statusCode(403);
    }

    @Test
    void healthAnswersLikeAnUnsealedActiveVault() {
        anyone().get("/v1/sys/health").then().statusCode(200)
                .body("initialized", equalTo(true)).body("sealed", equalTo(false)).body("standby", equalTo(false));
        anyone().get("/v1/sys/seal-status").then().statusCode(200).body("sealed", equalTo(false));
    }

    @Test
    void probesAreUpWithTheDatabaseInReadiness() {
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.name", not(hasItem("Vault write-through")));
    }

    @Test
    void frameworkErrorsCarryVaultsErrorBody() {
        admin().get("/v1/no/such/path").then().statusCode(404).body("errors[0]", equalTo("unsupported path"));
        admin().get("/nothing-here").then().statusCode(404).body("errors[0]", equalTo("unsupported path"));
        admin().delete("/v1/auth/alicloud/login").then().statusCode(405).body("errors[0]", equalTo("unsupported operation"));
        admin().patch("/v1/auth/alicloud/config").then().statusCode(405).body("errors.size()", equalTo(1));
    }

    @Test
    void oversizedBodiesAreRefusedWithA413() throws Exception {
        // Refused on the declared length, before the body is read; the connection is closed after the answer, so a
        // client still sending its 3 MiB may see the close before the answer: read it as an attacker's client would.
        for (int length : java.util.List.of(3 * 1024 * 1024, 1024 * 1024 + 10)) {
            try (java.net.Socket socket = io.alicloudauth.testing.Sockets.open("127.0.0.1", io.restassured.RestAssured.port,
                    io.alicloudauth.testing.Sockets.head("POST", "/v1/auth/alicloud/role/big", length)
                            .replace("Host:", "X-Vault-Token: " + io.alicloudauth.testing.Api.ROOT + "\r\nHost:"), 0)) {
                String answer = io.alicloudauth.testing.Sockets.answer(socket, 5000);
                org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 413")
                        && answer.contains("too large"), answer);
            }
        }
        admin().get("/v1/auth/alicloud/role/big").then().statusCode(404);
    }
}
