package io.alicloudauth.cli;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.AppProcess;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.restassured.http.ContentType;

/** The packaged artifact's {@code login} command as a process: only the token on stdout, and no server started. */
class LoginCommandIT {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final String ROOT = "it-root-token-0123456789abcdef";

    record Result(int code, String out, String err, long millis) {
    }

    static Result login(Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", JAR.toString(), "login"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), millis);
    }

    @Test
    void commandPrintsOnlyTheTokenAndStartsNoServer() throws Exception {
        try (AppProcess app = AppProcess.start(JAR, Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:mem:cli",
                "ALICLOUD_AUTH_ROOT_TOKEN", ROOT)); ServerSocket taken = new ServerSocket(0)) {
            given().baseUri(app.url()).header("X-Vault-Token", ROOT).contentType(ContentType.JSON)
                    .body("{\"sts_endpoint\":\"" + FakeStsResource.sts().url() + "\"}")
                    .post("/v1/auth/alicloud/config").then().statusCode(204);
            given().baseUri(app.url()).header("X-Vault-Token", ROOT).contentType(ContentType.JSON)
                    .body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post("/v1/auth/alicloud/role/dev-role")
                    .then().statusCode(204);

            // QUARKUS_HTTP_PORT names a port that is already taken: a server start would fail on it.
            Result result = login(Map.of("VAULT_ADDR", app.url(), "QUARKUS_HTTP_PORT", Integer.toString(taken.getLocalPort()),
                    "ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.DEV.accessKeyId(),
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.DEV.secret(),
                    "ALIBABA_CLOUD_SECURITY_TOKEN", Callers.DEV.securityToken()),
                    "--role", "dev-role", "--region", "cn-hangzhou");
            assertEquals(0, result.code(), result.err());
            assertEquals("", result.err());
            String token = result.out().trim();
            assertTrue(token.startsWith("hvs.") && result.out().equals(token + "\n"), result.out());
            given().baseUri(app.url()).header("X-Vault-Token", token).get("/v1/auth/token/lookup-self").then()
                    .statusCode(200);
            System.out.println("login command took " + result.millis() + " ms end to end (JVM start included)");

            Result refused = login(Map.of("VAULT_ADDR", app.url()), "--role", "dev-role", "--region", "cn-hangzhou",
                    "--access-key", "nobody", "--secret-key", "never-printed", "--metadata-endpoint", "http://127.0.0.1:1");
            assertEquals(1, refused.code());
            assertEquals("", refused.out());
            assertTrue(refused.err().startsWith("alicloud-auth login: warning: --secret-key on the command line")
                    && refused.err().contains("\nalicloud-auth login: login refused (HTTP 403)"), refused.err());
            assertTrue(!refused.err().contains("never-printed"));
        }
    }
}
