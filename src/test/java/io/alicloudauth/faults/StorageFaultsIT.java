package io.alicloudauth.faults;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.AppProcess;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.PrivatePostgres;
import io.alicloudauth.testing.SignedLogin;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The store failing under load: PostgreSQL stopped and started again (503s while it is down, nothing lost or
 * half-written, full service after), and the service killed with SIGKILL mid-load and restarted (what it
 * acknowledged is there). Every role write and login acknowledged with 204/200 is checked afterwards.
 */
class StorageFaultsIT {

    static final String ROOT = "faults-root-token-0123456789";

    static RequestSpecification at(AppProcess app, String token) {
        RequestSpecification spec = given().baseUri(app.url()).contentType(ContentType.JSON);
        return token == null ? spec : spec.header("X-Vault-Token", token);
    }

    /** Role writes and logins from 4 clients until stopped; acknowledged ones recorded. */
    static final class Load {
        final AtomicBoolean running = new AtomicBoolean(true);
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> roles = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        final AtomicInteger sequence = new AtomicInteger();

        Load(AppProcess app) {
            for (int t = 0; t < 4; t++) {
                boolean writer = t % 2 == 0;
                pool.submit(() -> {
                    while (running.get()) {
                        try {
                            if (writer) {
                                String name = "load-" + sequence.incrementAndGet();
                                int status = at(app, ROOT).body("{\"arn\":\"" + Callers.ROLE_ARN
                                        + "\",\"token_policies\":\"p1,p2,p3\",\"token_ttl\":\"1h\"}")
                                        .post("/v1/auth/alicloud/role/" + name).statusCode();
                                count(status);
                                if (status == 204) {
                                    roles.add(name);
                                }
                            } else {
                                var response = at(app, null).body(SignedLogin.as(Callers.DEV).body())
                                        .post("/v1/auth/alicloud/login");
                                count(response.statusCode());
                                if (response.statusCode() == 200) {
                                    tokens.add(response.path("auth.client_token"));
                                }
                            }
                        } catch (RuntimeException e) {
                            count(-1); // connection refused or reset: the process is down
                        }
                    }
                    return null;
                });
            }
        }

        void count(int status) {
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        }

        Map<Integer, Integer> stop() throws InterruptedException {
            running.set(false);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            Map<Integer, Integer> seen = new TreeMap<>();
            statuses.forEach((k, v) -> seen.put(k, v.get()));
            return seen;
        }

        /** Every acknowledged role is there, whole; every acknowledged token works. */
        void verify(AppProcess app) {
            for (String role : roles) {
                at(app, ROOT).get("/v1/auth/alicloud/role/" + role).then().statusCode(200)
                        .body("data.token_policies.size()", org.hamcrest.Matchers.equalTo(3));
            }
            for (String token : tokens) {
                at(app, token).get("/v1/auth/token/lookup-self").then().statusCode(200);
            }
        }
    }

    static void setUp(AppProcess app) {
        at(app, ROOT).body("{\"sts_endpoint\":\"" + FakeStsResource.sts().url() + "\"}")
                .post("/v1/auth/alicloud/config").then().statusCode(204);
        at(app, ROOT).body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post("/v1/auth/alicloud/role/dev-role")
                .then().statusCode(204);
    }

    @Test
    void postgresStoppedAndStartedUnderLoad() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start();
                AppProcess app = AppProcess.start(Path.of("target/pg-app/quarkus-run.jar"), Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(), "QUARKUS_DATASOURCE_USERNAME", "postgres",
                        "ALICLOUD_AUTH_ROOT_TOKEN", ROOT, "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "2S"))) {
            setUp(app);
            // A batch token (nothing stored) whose policy grants a path that needs no store: while the store is down
            // the policies cannot be read, and that is a 503, never an allow from what was cached.
            at(app, ROOT).body(Map.of("policy", "path \"sys/auth\" { capabilities = [\"read\"] }"))
                    .put("/v1/sys/policies/acl/mounts").then().statusCode(204);
            at(app, ROOT).body("{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_type\":\"batch\",\"token_policies\":\"mounts\"}")
                    .post("/v1/auth/alicloud/role/batch-role").then().statusCode(204);
            String batch = at(app, null).body(SignedLogin.as(Callers.DEV).role("batch-role").body())
                    .post("/v1/auth/alicloud/login").then().statusCode(200).extract().path("auth.client_token");
            at(app, batch).get("/v1/sys/auth").then().statusCode(200);
            Load load = new Load(app);
            Thread.sleep(1500);
            pg.down();
            Thread.sleep(3000);
            int readyWhileDown = given().baseUri(app.url()).get("/q/health/ready").statusCode();
            int policyWhileDown = at(app, batch).get("/v1/sys/auth").statusCode();
            pg.up();
            Thread.sleep(3000);
            Map<Integer, Integer> seen = load.stop();
            assertEquals(503, readyWhileDown, "readiness reports the database outage");
            assertEquals(503, policyWhileDown, "policies that cannot be read refuse, never allow");
            at(app, batch).get("/v1/sys/auth").then().statusCode(200);
            assertTrue(Set.of(200, 204, 503).containsAll(seen.keySet()), "only successes and 503s: " + seen);
            assertTrue(seen.getOrDefault(503, 0) > 0, "the outage was seen: " + seen);
            // Full service after: new writes and logins, and everything acknowledged is intact.
            at(app, ROOT).body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post("/v1/auth/alicloud/role/after-outage")
                    .then().statusCode(204);
            at(app, null).body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then().statusCode(200);
            load.verify(app);
            System.out.println("PostgreSQL stopped for 3s under load: " + seen + " by status; " + load.roles.size()
                    + " role writes and " + load.tokens.size() + " logins acknowledged, all intact, 0 lost");
        }
    }

    @Test
    void sigkillMidLoadLosesNothingAcknowledged() throws Exception {
        Path dir = Files.createTempDirectory("alicloud-auth-kill");
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"),
                "ALICLOUD_AUTH_ROOT_TOKEN", ROOT);
        Load load;
        Map<Integer, Integer> seen;
        try (AppProcess app = AppProcess.start(Path.of("target/quarkus-app/quarkus-run.jar"), env)) {
            setUp(app);
            load = new Load(app);
            Thread.sleep(2500);
            app.kill();
            seen = load.stop();
        }
        try (AppProcess restarted = AppProcess.start(Path.of("target/quarkus-app/quarkus-run.jar"), env)) {
            load.verify(restarted);
            System.out.println("SIGKILL mid-load: " + seen + " by status (-1: connection cut); " + load.roles.size()
                    + " role writes and " + load.tokens.size() + " logins acknowledged, all intact after restart, 0 lost");
        }
        assertTrue(load.roles.size() > 0 && load.tokens.size() > 0);
    }
}
