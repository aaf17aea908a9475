package io.alicloudauth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.PersistenceIT;
import io.alicloudauth.testing.AppProcess;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Delegation end to end with a real client (issue #17): node-vault writes a role-admin policy with the root token, a
 * CI token of a role holding it creates, reads, updates, lists and deletes roles, and is refused prod-* roles, the
 * config, policies and sys/rotate. node-vault comes from the npm registry ({@code src/test/node}, installed here).
 */
class NodeVaultIT {

    static final Path NODE_DIR = Path.of("src/test/node");
    static final String ROOT = "node-vault-it-root-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void install() throws Exception {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/node-vault"))) {
            // Not inheritIO(): node makes an inherited standard input non-blocking, which breaks the test JVM's own.
            Process npm = new ProcessBuilder("npm", "ci", "--silent", "--no-audit", "--no-fund").directory(NODE_DIR.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertTrue(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0, "npm ci in src/test/node");
        }
    }

    static JsonNode node(AppProcess app, String phase, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "delegation.mjs", phase).directory(NODE_DIR.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        builder.environment().put("VAULT_ADDR", app.url());
        builder.environment().put("ROOT_TOKEN", ROOT);
        builder.environment().put("ROLE_ARN", Callers.ROLE_ARN);
        Process node = builder.start();
        String out = new String(node.getInputStream().readAllBytes());
        assertTrue(node.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, node.exitValue(), out);
        return JSON.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    }

    static String status(JsonNode results, String step) {
        return results.path(step).path("status").asText();
    }

    @Test
    void aRoleAdminPolicyWrittenWithNodeVaultDelegatesRolesAndNothingElse() throws Exception {
        Path dir = Files.createTempDirectory("node-vault-it");
        try (AppProcess app = AppProcess.start(PersistenceIT.H2_JAR, Map.of("QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:h2:file:" + dir.resolve("db"), "ALICLOUD_AUTH_ROOT_TOKEN", ROOT))) {
            RestAssured.given().baseUri(app.url()).header("X-Vault-Token", ROOT).contentType(ContentType.JSON)
                    .body("{\"sts_endpoint\":\"" + FakeStsResource.sts().url() + "\"}").post("/v1/auth/alicloud/config")
                    .then().statusCode(204);
            JsonNode setup = node(app, "setup", Map.of());
            for (String step : List.of("addPolicy", "getPolicy", "policies", "writeCiRole")) {
                assertEquals("ok", status(setup, step), setup.toString());
            }
            assertTrue(setup.path("getPolicy").path("answer").path("rules").asText().contains("prod-*"), setup.toString());
            assertTrue(setup.path("policies").path("answer").path("policies").toString().contains("role-admin"));

            String ci = RestAssured.given().baseUri(app.url()).contentType(ContentType.JSON)
                    .body(SignedLogin.as(Callers.DEV).role("ci-role").body()).post("/v1/auth/alicloud/login").then()
                    .statusCode(200).extract().path("auth.client_token");
            JsonNode delegated = node(app, "delegated", Map.of("CI_TOKEN", ci));
            for (String step : List.of("lookupSelf", "createRole", "readRole", "updateRole", "listRoles",
                    "listRolesWithQuery", "deleteRole")) {
                assertEquals("ok", status(delegated, step), step + ": " + delegated);
            }
            assertEquals(3600, delegated.path("readRole").path("answer").path("data").path("token_ttl").asInt(),
                    delegated.toString());
            assertTrue(delegated.path("listRoles").path("answer").path("data").path("keys").toString().contains("app-web"));
            for (String step : List.of("createProdRole", "readConfig", "writeConfig", "addPolicy", "rotate")) {
                assertEquals("403", status(delegated, step), step + ": " + delegated);
            }
            RestAssured.given().baseUri(app.url()).header("X-Vault-Token", ROOT).get("/v1/auth/alicloud/role/prod-web")
                    .then().statusCode(404);

            JsonNode cleanup = node(app, "cleanup", Map.of());
            assertEquals("ok", status(cleanup, "removePolicy"), cleanup.toString());
            assertEquals("404", status(cleanup, "getRemoved"), cleanup.toString());
        }
    }
}
