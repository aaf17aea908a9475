package io.alicloudauth.login;

import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.Metrics;
import io.alicloudauth.testing.RawHttp;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/** Login rate limits (429 + Retry-After, then recovery) and the cap on concurrent STS calls. */
@QuarkusTest
@TestProfile(LimitsTest.Tight.class)
public class LimitsTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("alicloud-auth.login.rate-per-address", "100",
                    "alicloud-auth.login.rate-per-role", "20",
                    "alicloud-auth.sts.max-concurrent-calls", "2",
                    "alicloud-auth.sts.queue", "1",
                    "alicloud-auth.sts.queue-timeout", "1s");
        }
    }

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("4s");
        Api.writeRole("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\"}");
        Api.writeRole("limited", "{\"arn\":\"" + Callers.ROLE_ARN + "\"}");
    }

    @Test
    void perAddressLimitAnswers429WithRetryAfterAndRecovers() throws Exception {
        double limitedBefore = Metrics.value(Metrics.scrape(), "alicloud_auth_rate_limited_total",
                "limit=\"address\"");
        String body = "{"; // malformed: attempts count all the same
        for (int i = 0; i < 100; i++) {
            String answer = RawHttp.send("127.0.0.3", RestAssured.port, "POST", "/v1/auth/alicloud/login", null, body);
            assertTrue(answer.startsWith("400"), i + ": " + answer);
        }
        // The bucket refills as it drains (100 a minute): a slow machine may let a few more through first.
        String limited = "";
        for (int extra = 0; extra < 20 && !limited.startsWith("429"); extra++) {
            limited = RawHttp.send("127.0.0.3", RestAssured.port, "POST", "/v1/auth/alicloud/login", null, body);
        }
        assertTrue(limited.startsWith("429") && limited.contains("this address"), limited);
        assertTrue(Metrics.value(Metrics.scrape(), "alicloud_auth_rate_limited_total", "limit=\"address\"")
                > limitedBefore, "the refusal is counted");
        // Another address is not affected.
        assertTrue(RawHttp.send("127.0.0.4", RestAssured.port, "POST", "/v1/auth/alicloud/login", null, body)
                .startsWith("400"));
        Thread.sleep(1100);
        assertTrue(RawHttp.send("127.0.0.3", RestAssured.port, "POST", "/v1/auth/alicloud/login", null, body)
                .startsWith("400"));
    }

    @Test
    void onlyCallersThatStsVerifiedAndTheRoleAdmitsSpendItsBudget() throws Exception {
        // Anyone can send the role's name: bodies that fail validation, signatures STS refuses and callers of other
        // roles do not spend its budget (they count against their address), so they cannot lock the role out.
        for (int i = 0; i < 30; i++) {
            anyone().body("{\"role\":\"limited\"}").post("/v1/auth/alicloud/login").then().statusCode(400);
        }
        for (int i = 0; i < 5; i++) {
            anyone().body(SignedLogin.as(Callers.DEV).role("limited").secret("wrong-secret").body())
                    .post("/v1/auth/alicloud/login").then().statusCode(403);
            anyone().body(SignedLogin.as(Callers.OPS).role("limited").body()).post("/v1/auth/alicloud/login").then()
                    .statusCode(403);
        }
        for (int i = 0; i < 20; i++) {
            anyone().body(SignedLogin.as(Callers.DEV).role("limited").body()).post("/v1/auth/alicloud/login").then()
                    .statusCode(200);
        }
        int stsCalls = FakeStsResource.sts().requestCount();
        var limited = anyone().body(SignedLogin.as(Callers.DEV).role("LIMITED").body()).post("/v1/auth/alicloud/login");
        limited.then().statusCode(429).body("errors[0]", containsString("role limited"));
        assertEquals(stsCalls, FakeStsResource.sts().requestCount(), "a role out of budget is refused before STS");
        int retryAfter = Integer.parseInt(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter + " for 20 a minute");
        anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then().statusCode(200);
        Thread.sleep(3100);
        anyone().body(SignedLogin.as(Callers.DEV).role("limited").body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200);
    }

    @Test
    void stsCallsBeyondTheCapWaitBrieflyThenGetA503() throws Exception {
        FakeStsResource.sts().hangFor(Duration.ofMillis(2500));
        FakeStsResource.sts().mode(FakeSts.Mode.HANG);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(pool.submit(() -> anyone().body(SignedLogin.as(Callers.DEV).body())
                        .post("/v1/auth/alicloud/login").statusCode()));
                Thread.sleep(50);
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get());
            }
            assertEquals(2, statuses.stream().filter(s -> s == 502).count(), statuses.toString());
            assertEquals(3, statuses.stream().filter(s -> s == 503).count(), statuses.toString());
            assertEquals(2, FakeStsResource.sts().requestCount(), "only the capped number reached STS");
            String metrics = Metrics.scrape();
            assertTrue(Metrics.value(metrics, "alicloud_auth_sts_no_slot_total") >= 3, "refusals for want of a slot");
            assertTrue(Metrics.value(metrics, "alicloud_auth_sts_calls_seconds_count", "result=\"5xx\"") >= 2,
                    "the two calls that got a slot ended in STS's 503");
        } finally {
            pool.shutdownNow();
        }
        FakeStsResource.sts().mode(FakeSts.Mode.NORMAL);
        anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then().statusCode(200);
    }
}
