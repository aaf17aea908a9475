package io.alicloudauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.AppProcess;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.PostgresProfile;
import io.alicloudauth.testing.SignedLogin;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged service as separate processes: data survives a restart and a SIGKILL, the generated root token is
 * printed once only, and two instances on one PostgreSQL serve the same roles and tokens.
 */
public class PersistenceIT {

    public static final Path H2_JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    public static final Path PG_JAR = Path.of("target/pg-app/quarkus-run.jar");
    public static final Pattern GENERATED = Pattern.compile("generated root token \\(shown once, store it now\\): (\\S+)");

    static RequestSpecification at(AppProcess app, String token) {
        RequestSpecification spec = given().baseUri(app.url()).contentType(ContentType.JSON);
        return token == null ? spec : spec.header("X-Vault-Token", token);
    }

    public static void setUp(AppProcess app, String root) {
        at(app, root).body("{\"sts_endpoint\":\"" + FakeStsResource.sts().url() + "\"}")
                .post("/v1/auth/alicloud/config").then().statusCode(204);
        at(app, root).body("{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"dev\"}")
                .post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
    }

    public static String login(AppProcess app) {
        return at(app, null).body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
    }

    @Test
    void aConfiguredRootTokenRetiresTheGeneratedOne() throws Exception {
        Path dir = Files.createTempDirectory("alicloud-auth-root");
        Map<String, String> generated = Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"));
        Map<String, String> configured = Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"),
                "ALICLOUD_AUTH_ROOT_TOKEN", "configured-root-token-0123456789");
        String first;
        try (AppProcess app = AppProcess.start(H2_JAR, generated)) {
            Matcher m = GENERATED.matcher(app.output());
            assertTrue(m.find());
            first = m.group(1);
            at(app, first).get("/v1/sys/auth").then().statusCode(200);
        }
        try (AppProcess app = AppProcess.start(H2_JAR, configured)) {
            at(app, first).get("/v1/sys/auth").then().statusCode(403);
            assertTrue(app.output().contains("the generated root token is retired"), app.output());
        }
        // The setting removed again: the old generated token stays dead; a new one is generated and shown once.
        try (AppProcess app = AppProcess.start(H2_JAR, generated)) {
            at(app, first).get("/v1/sys/auth").then().statusCode(403);
            Matcher m = GENERATED.matcher(app.output());
            assertTrue(m.find(), app.output());
            assertFalse(m.group(1).equals(first));
            at(app, m.group(1)).get("/v1/sys/auth").then().statusCode(200);
        }
    }

    @Test
    void oversizedAndInvalidRequestsLeaveAtMostADebugLineEach() throws Exception {
        Path dir = Files.createTempDirectory("alicloud-auth-flood");
        try (AppProcess app = AppProcess.start(H2_JAR, Map.of("QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:h2:file:" + dir.resolve("db"), "ALICLOUD_AUTH_ROOT_TOKEN", "flood-root-token-0123456789"))) {
            int linesBefore = app.output().split("\n").length;
            for (int i = 0; i < 5; i++) {
                String answer = io.alicloudauth.faults.RedTeamTest.chunked(app.port, "/v1/auth/alicloud/login",
                        3 * 1024 * 1024);
                assertTrue(answer.startsWith("HTTP/1.1 413") && answer.contains("request body too large"), answer);
                at(app, null).body("{\"role\":").post("/v1/auth/alicloud/login").then().statusCode(400);
            }
            String after = app.output();
            assertEquals(linesBefore, after.split("\n").length, "requests were logged:\n" + after);
        }
    }

    @Test
    void rolesTokensAndTheGeneratedRootTokenSurviveRestartAndKill() throws Exception {
        Path dir = Files.createTempDirectory("alicloud-auth-h2");
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"));
        String root;
        String token;
        List<String> tokens = new ArrayList<>();
        String firstOutput;
        try (AppProcess first = AppProcess.start(H2_JAR, env)) {
            Matcher m = GENERATED.matcher(first.output());
            assertTrue(m.find(), "the first start prints the generated root token");
            root = m.group(1);
            setUp(first, root);
            for (int i = 0; i < 5; i++) {
                tokens.add(login(first));
            }
            token = tokens.get(0);
            // Killed the moment the last login was acknowledged: what was confirmed must be on disk.
            firstOutput = first.output();
            first.kill();
        }
        try (AppProcess second = AppProcess.start(H2_JAR, env)) {
            assertFalse(second.output().contains("generated root token"), "the root token is printed only once");
            assertFalse(second.output().contains(root));
            at(second, root).get("/v1/auth/alicloud/role/dev-role").then().statusCode(200)
                    .body("data.arn", equalTo(Callers.ROLE_ARN));
            for (String t : tokens) {
                at(second, t).get("/v1/auth/token/lookup-self").then().statusCode(200)
                        .body("data.meta.role_name", equalTo("dev-role"));
            }
            at(second, root).get("/v1/auth/alicloud/config").then().statusCode(200)
                    .body("data.sts_endpoint", equalTo(FakeStsResource.sts().url()));
            String logs = firstOutput + second.output();
            for (String secret : List.of(root, token, Callers.DEV.secret(), Callers.DEV.securityToken())) {
                assertFalse(logs.replace("generated root token (shown once, store it now): " + root, "").contains(secret),
                        "a secret reached the service's output");
            }
            second.stop();
        }
        try (AppProcess third = AppProcess.start(H2_JAR, env)) {
            at(third, token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        }
    }

    @Test
    void aPolicyChangedOnOneInstanceGovernsTheNextRequestOnTheOther() throws Exception {
        String url = freshDatabase("alicloud_auth_policy_it");
        String root = "policy-it-root-token-0123456789";
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", url, "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "ALICLOUD_AUTH_ROOT_TOKEN", root);
        try (AppProcess a = AppProcess.start(PG_JAR, env); AppProcess b = AppProcess.start(PG_JAR, env)) {
            setUp(a, root);
            at(a, root).body(Map.of("policy", "path \"auth/alicloud/role/*\" { capabilities = [\"read\", \"list\"] }"))
                    .put("/v1/sys/policies/acl/role-reader").then().statusCode(204);
            at(a, root).body("{\"token_policies\":\"role-reader\"}").post("/v1/auth/alicloud/role/dev-role").then()
                    .statusCode(204);
            String token = login(a);
            at(b, token).get("/v1/auth/alicloud/role/dev-role").then().statusCode(200);
            // Narrowed on a: b refuses the very next request.
            at(a, root).body(Map.of("policy", "path \"auth/alicloud/role/*\" { capabilities = [\"list\"] }"))
                    .put("/v1/sys/policies/acl/role-reader").then().statusCode(204);
            at(b, token).get("/v1/auth/alicloud/role/dev-role").then().statusCode(403);
            at(b, token).request("LIST", "/v1/auth/alicloud/role").then().statusCode(200);
            // Deleted on b: a refuses the next one.
            at(b, root).delete("/v1/sys/policies/acl/role-reader").then().statusCode(204);
            at(a, token).request("LIST", "/v1/auth/alicloud/role").then().statusCode(403);
            at(a, token).get("/v1/auth/token/lookup-self").then().statusCode(200); // default still applies
        }
    }

    @Test
    void twoInstancesOnOnePostgresServeTheSameRolesAndTokens() throws Exception {
        String url = freshDatabase("alicloud_auth_it");
        String root = "it-root-token-0123456789abcdef";
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", url, "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "ALICLOUD_AUTH_ROOT_TOKEN", root);
        try (AppProcess a = AppProcess.start(PG_JAR, env); AppProcess b = AppProcess.start(PG_JAR, env)) {
            setUp(a, root);
            at(b, root).get("/v1/auth/alicloud/role/dev-role").then().statusCode(200)
                    .body("data.token_policies[0]", equalTo("dev"));
            at(b, root).get("/v1/auth/alicloud/config").then().statusCode(200)
                    .body("data.sts_endpoint", equalTo(FakeStsResource.sts().url()));

            String token = login(b);
            at(a, token).get("/v1/auth/token/lookup-self").then().statusCode(200);
            at(a, token).post("/v1/auth/token/revoke-self").then().statusCode(204);
            at(b, token).get("/v1/auth/token/lookup-self").then().statusCode(403);

            // Use counts are shared: two uses in all, whichever instance serves them.
            at(b, root).body("{\"token_num_uses\":2}").post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
            String limited = login(a);
            at(a, limited).get("/v1/auth/token/lookup-self").then().statusCode(200);
            at(b, limited).get("/v1/auth/token/lookup-self").then().statusCode(200);
            at(a, limited).get("/v1/auth/token/lookup-self").then().statusCode(403);

            // Batch tokens: nothing stored, yet any instance on the database opens them; a rotation on one instance
            // ends them everywhere (the other instance re-reads the key within seconds).
            at(b, root).body("{\"token_num_uses\":0,\"token_type\":\"batch\"}").post("/v1/auth/alicloud/role/dev-role")
                    .then().statusCode(204);
            String batch = login(b);
            assertTrue(batch.startsWith("hvb."));
            at(a, batch).get("/v1/auth/token/lookup-self").then().statusCode(200).body("data.type", equalTo("batch"));
            at(a, root).post("/v1/sys/rotate").then().statusCode(204);
            at(a, batch).get("/v1/auth/token/lookup-self").then().statusCode(403);
            String sealedByA = login(a);
            Thread.sleep(1100); // b re-reads the key for an unknown key id at most once a second
            at(b, sealedByA).get("/v1/auth/token/lookup-self").then().statusCode(200);
            at(b, batch).get("/v1/auth/token/lookup-self").then().statusCode(403);

            a.kill();
            String again = login(b);
            at(b, again).get("/v1/auth/token/lookup-self").then().statusCode(200);
            assertEquals(200, at(b, root).get("/v1/auth/alicloud/role/dev-role").statusCode());
        }
    }

    @Test
    void twoInstancesPurgeOnePostgresTogetherWhileBothServeLogins() throws Exception {
        String url = freshDatabase("alicloud_auth_purge_it");
        String root = "it-root-token-0123456789abcdef";
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", url, "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "ALICLOUD_AUTH_ROOT_TOKEN", root, "ALICLOUD_AUTH_PURGE_INTERVAL", "1s");
        try (AppProcess a = AppProcess.start(PG_JAR, env); AppProcess b = AppProcess.start(PG_JAR, env);
                Connection db = DriverManager.getConnection(url, "postgres", "")) {
            setUp(a, root);
            at(a, root).body("{\"token_ttl\":\"1s\",\"token_max_ttl\":\"1s\"}").post("/v1/auth/alicloud/role/dev-role")
                    .then().statusCode(204);
            int logins = 0;
            long most = 0;
            for (int i = 0; i < 600; i++) {
                login(i % 2 == 0 ? a : b);
                logins++;
                if (i % 50 == 0) {
                    most = Math.max(most, rows(db));
                }
            }
            long end = System.nanoTime() + 10_000_000_000L;
            while (rows(db) > 0 && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertEquals(0, rows(db), "both instances purged the expired tokens");
            assertTrue(most < logins, "purged while logins went on: at most " + most + " of " + logins + " stored");
            for (AppProcess app : List.of(a, b)) {
                String metrics = given().baseUri(app.managementUrl()).get("/q/metrics").asString();
                assertTrue(metrics.contains("alicloud_auth_purge_runs_total{outcome=\"done\"}"), metrics);
                assertTrue(metrics.contains("alicloud_auth_purge_runs_total{outcome=\"failed\"} 0.0"),
                        "no purge failed on a shared database");
            }
        }
    }

    /** A new, empty database beside the tests' PostgreSQL one; its JDBC URL. */
    public static String freshDatabase(String name) throws java.sql.SQLException {
        String base = PostgresProfile.jdbcUrl();
        try (Connection c = DriverManager.getConnection(base, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name);
            s.execute("create database " + name);
        }
        return base.substring(0, base.lastIndexOf('/') + 1) + name;
    }

    private static long rows(Connection db) throws java.sql.SQLException {
        try (Statement s = db.createStatement(); java.sql.ResultSet r = s.executeQuery("select count(*) from auth_token")) {
            r.next();
            return r.getLong(1);
        }
    }
}
