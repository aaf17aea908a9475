package io.alicloudauth.api;

import static io.alicloudauth.testing.Api.anyone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.Metrics;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;

/** {@code /q/metrics}: the counters move as logins succeed and fail, and no label carries a caller's values. */
@QuarkusTest
public class MetricsTest {

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
    }

    @Test
    void metricsAreServedOnTheManagementInterfaceOnlyAndProbesStayPublic() {
        // Heap and body-budget gauges would let an attacker watch an exhaustion attack: not on the public port.
        io.restassured.RestAssured.get("/q/metrics").then().statusCode(404);
        io.restassured.RestAssured.given().port(Metrics.MANAGEMENT_TEST_PORT).get("/q/metrics").then().statusCode(200);
        io.restassured.RestAssured.get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void loginsStsCallsAndTokensAreCounted() {
        String before = Metrics.scrape();
        String token = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
        anyone().body(SignedLogin.as(Callers.OPS).body()).post("/v1/auth/alicloud/login").then().statusCode(403);
        anyone().body("{\"role\":\"dev-role\"}").post("/v1/auth/alicloud/login").then().statusCode(400);
        FakeStsResource.sts().mode(FakeSts.Mode.GARBAGE);
        anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then().statusCode(502);
        FakeStsResource.sts().mode(FakeSts.Mode.FAIL_503);
        anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then().statusCode(502);
        FakeStsResource.sts().reset();
        String after = Metrics.scrape();

        assertMoved(before, after, 1, "alicloud_auth_logins_seconds_count", "outcome=\"success\"", "status=\"200\"");
        assertMoved(before, after, 1, "alicloud_auth_logins_seconds_count", "outcome=\"refused\"", "status=\"403\"");
        assertMoved(before, after, 1, "alicloud_auth_logins_seconds_count", "outcome=\"refused\"", "status=\"400\"");
        assertMoved(before, after, 2, "alicloud_auth_logins_seconds_count", "outcome=\"failed\"", "status=\"502\"");
        assertMoved(before, after, 2, "alicloud_auth_sts_calls_seconds_count", "result=\"ok\"");
        assertMoved(before, after, 1, "alicloud_auth_sts_calls_seconds_count", "result=\"garbage\"");
        assertMoved(before, after, 1, "alicloud_auth_sts_calls_seconds_count", "result=\"5xx\"");
        assertMoved(before, after, 1, "alicloud_auth_tokens_issued_total", "type=\"service\"");
        assertMoved(before, after, 1, "alicloud_auth_token_writes_seconds_count"); // the one stored token
        assertTrue(Metrics.value(after, "alicloud_auth_token_writes_seconds_sum")
                > Metrics.value(before, "alicloud_auth_token_writes_seconds_sum"), "its wait is timed");
        // in buckets, so that stalls show apart from the mean: the one write lands in the last (+Inf) at least
        assertMoved(before, after, 1, "alicloud_auth_token_writes_seconds_bucket", "le=\"+Inf\"");
        for (String le : List.of("0.001", "0.005", "0.02", "0.1")) {
            assertTrue(after.contains("alicloud_auth_token_writes_seconds_bucket{le=\"" + le + "\""),
                    "a bucket at " + le + " s");
        }
        assertEquals(0, Metrics.value(after, "alicloud_auth_sts_slots_in_use"));
        assertEquals(0, Metrics.value(after, "alicloud_auth_sts_slots_queued"));
        assertTrue(after.contains("alicloud_auth_purge_runs_total"), "the purge's meters are registered");

        for (String secret : List.of(token, Callers.DEV.arn(), Callers.DEV.principalId(), Callers.OPS.arn(),
                Callers.DEV.accessKeyId(), "dev-role", Api.ROOT)) {
            assertFalse(after.contains(secret), "no metric carries " + secret);
        }
    }

    private static void assertMoved(String before, String after, double by, String name, String... labels) {
        assertEquals(Metrics.value(before, name, labels) + by, Metrics.value(after, name, labels),
                name + " " + String.join(",", labels));
    }
}
