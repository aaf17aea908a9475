package io.alicloudauth.audit;

import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.AuditProfile;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.Metrics;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(AuditProfile.Unwritable.class)
public class AuditUnwritableTest {

    @Test
    void loginThatCannotBeAuditedIsRefusedBeforeStsIsAsked() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeRole("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\"}");
        double failures = Metrics.value(Metrics.scrape(), "alicloud_auth_audit_failures_total");
        anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then().statusCode(503)
                .body("errors[0]", containsString("audit log"));
        org.junit.jupiter.api.Assertions.assertEquals(0, FakeStsResource.sts().requestCount());
        org.junit.jupiter.api.Assertions.assertTrue(
                Metrics.value(Metrics.scrape(), "alicloud_auth_audit_failures_total") > failures, "counted");
    }
}
