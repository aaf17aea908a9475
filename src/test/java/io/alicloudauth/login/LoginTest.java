package io.alicloudauth.login;

import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.cli.LoginData;
import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
public class LoginTest {

    static final String LOGIN = "/v1/auth/alicloud/login";
    final FakeSts sts = FakeStsResource.sts();

    @BeforeEach
    void devRole() {
        sts.reset();
        Api.useFakeSts("5s");
        Api.writeRole("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"Dev,ops\","
                + "\"token_ttl\":\"1h\",\"token_max_ttl\":\"2h\",\"token_bound_cidrs\":\"\"}");
    }

    @AfterEach
    void normalSts() {
        sts.reset();
    }

    static ValidatableResponse login(String body) {
        return anyone().body(body).post(LOGIN).then();
    }

    @Test
    void workloadLogsInAndGetsARoleToken() {
        String token = login(SignedLogin.as(Callers.DEV).body()).statusCode(200)
                .body("auth.client_token", startsWith("hvs."))
                .body("auth.accessor.length()", equalTo(35))
                .body("auth.policies", contains("default", "dev", "ops"))
                .body("auth.token_policies", contains("default", "dev", "ops"))
                .body("auth.lease_duration", equalTo(3600))
                .body("auth.renewable", equalTo(true))
                .body("auth.token_type", equalTo("service"))
                .body("auth.orphan", equalTo(true))
                .body("auth.num_uses", equalTo(0))
                .body("auth.metadata.account_id", equalTo(Callers.ACCOUNT))
                .body("auth.metadata.arn", equalTo(Callers.DEV.arn()))
                .body("auth.metadata.identity_type", equalTo("AssumedRoleUser"))
                .body("auth.metadata.principal_id", equalTo(Callers.DEV.principalId()))
                .body("auth.metadata.role_id", equalTo(Callers.DEV.roleId()))
                .body("auth.metadata.user_id", equalTo(Callers.DEV.principalId()))
                .body("auth.metadata.role_name", equalTo("dev-role"))
                .body("auth.metadata.request_id.length()", equalTo(36))
                .body("auth.metadata.size()", equalTo(8))
                .body("data", equalTo(null))
                .extract().path("auth.client_token");

        Api.withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.display_name", equalTo("alicloud-" + Callers.DEV.principalId()))
                .body("data.policies", contains("default", "dev", "ops"))
                .body("data.path", equalTo("auth/alicloud/login"))
                .body("data.meta.role_name", equalTo("dev-role"));

        // What STS received: the rebuilt request, to the pinned host's stand-in, with only the allowed headers.
        FakeSts.Seen seen = sts.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals(0, seen.bodyLength());
        assertEquals(Callers.DEV.securityToken(), seen.query().get("SecurityToken"));
        assertEquals("GetCallerIdentity", seen.query().get("Action"));
        assertEquals(List.of("GetCallerIdentity"), seen.headers().get("x-acs-action"));
    }

    @Test
    void roleNameIsMatchedWithoutRegardToCase() {
        login(SignedLogin.as(Callers.DEV).role("DEV-Role").body()).statusCode(200)
                .body("auth.metadata.role_name", equalTo("dev-role"));
    }

    @Test
    void onlyAllowlistedHeadersAreForwarded() {
        login(SignedLogin.as(Callers.DEV).header("Host", "evil.example").header("X-Forwarded-For", "1.2.3.4")
                .header("Authorization", "Bearer stolen").header("x-acs-signature-nonce", "n1")
                .header("Connection", "close").body()).statusCode(200);
        Map<String, List<String>> headers = sts.seen().get(0).headers();
        assertEquals(List.of("n1"), headers.get("x-acs-signature-nonce"));
        assertFalse(headers.containsKey("x-forwarded-for"));
        assertFalse(headers.containsKey("authorization"));
        assertFalse(headers.get("host").get(0).contains("evil"));
    }

    @Test
    void vpcGlobalAndUppercaseStsHostsAreAccepted() {
        for (String host : new String[] {"sts.aliyuncs.com", "sts-vpc.cn-hangzhou.aliyuncs.com",
                "STS.CN-HANGZHOU.ALIYUNCS.COM", "sts.ap-southeast-1.aliyuncs.com:443"}) {
            login(SignedLogin.as(Callers.DEV).host(host).body()).statusCode(200);
        }
        assertEquals(4, sts.requestCount());
    }

    @Test
    void hostileUrlsAreRefusedAndNothingIsContacted() {
        String[] prefixes = {
            "http://sts.cn-hangzhou.aliyuncs.com/",
            "https://evil.example/",
            "https://sts.cn-hangzhou.aliyuncs.com.evil.example/",
            "https://evilsts.aliyuncs.com/",
            "https://sts.evil.example.aliyuncs.com.attacker.io/",
            "https://sts.cn-hangzhou.aliyuncs.com:8443/",
            "https://user:pw@sts.cn-hangzhou.aliyuncs.com/",
            "https://sts.aliyuncs.com@evil.example/",
            "https://sts.cn-hangzhou.aliyuncs.com/path/",
            "https://st%73.aliyuncs.com/",
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://sts.cn_hangzhou.aliyuncs.com/",
            "https://sts.cn-hangzhou.aliyuncs.com./",
            "https://sts..aliyuncs.com/",
            "https://sts.cn-hangzhou.aliyuncs.com#frag/",
            "ftp://sts.cn-hangzhou.aliyuncs.com/",
            "//sts.cn-hangzhou.aliyuncs.com/",
            "https://stś.aliyuncs.com/",
        };
        for (String prefix : prefixes) {
            login(SignedLogin.as(Callers.DEV).urlPrefix(prefix).body()).statusCode(400)
                    .body("errors[0]", startsWith("identity_request_url"));
        }
        assertEquals(0, sts.requestCount());
    }

    @Test
    void queryThatIsNotGetCallerIdentityIsRefusedBeforeAnyCall() {
        List<java.util.function.Consumer<Map<String, String>>> tweaks = List.of(
                q -> q.put("Action", "AssumeRole"),
                q -> q.put("Format", "XML"),
                q -> q.put("Version", "2015-04-02"),
                q -> q.put("SignatureMethod", "HMAC-SHA256"),
                q -> q.put("SignatureVersion", "2.0"),
                q -> q.remove("AccessKeyId"),
                q -> q.put("SignatureNonce", ""),
                q -> q.remove("Timestamp"),
                q -> q.put("RoleArn", "acs:ram::1:role/admin"),
                q -> q.put("SignatureType", "x"),
                q -> q.put("Timestamp", "2026-01-01 00:00:00"));
        for (var tweak : tweaks) {
            login(SignedLogin.as(Callers.DEV).beforeSigning(tweak).body()).statusCode(400)
                    .body("errors[0]", startsWith("identity_request_url"))
                    .body("errors[0]", not(containsString(Callers.DEV.securityToken())));
        }
        assertEquals(0, sts.requestCount());
    }

    @Test
    void lowercaseJsonFormatFromTheNewerJavaSdkIsAccepted() {
        login(SignedLogin.as(Callers.DEV).beforeSigning(q -> q.put("Format", "json")).body()).statusCode(200);
    }

    @Test
    void duplicateQueryParametersAreRefused() {
        String url = SignedLogin.as(Callers.DEV).url() + "&Action=AssumeRole";
        login(SignedLogin.as(Callers.DEV).bodyWithRawUrl(url)).statusCode(400)
                .body("errors[0]", containsString("duplicate query parameter Action"));
        assertEquals(0, sts.requestCount());
    }

    @Test
    void staleOrFutureTimestampsAreRefusedBeforeAnyCall() {
        login(SignedLogin.as(Callers.DEV).timestamp(Instant.now().minus(Duration.ofMinutes(16))).body())
                .statusCode(400).body("errors[0]", containsString("15 minutes"));
        login(SignedLogin.as(Callers.DEV).timestamp(Instant.now().plus(Duration.ofMinutes(16))).body())
                .statusCode(400);
        assertEquals(0, sts.requestCount());
        login(SignedLogin.as(Callers.DEV).timestamp(Instant.now().minus(Duration.ofMinutes(10))).body())
                .statusCode(200);
    }

    @Test
    void malformedLoginBodiesAreA400() {
        SignedLogin good = SignedLogin.as(Callers.DEV);
        String url64 = LoginData.base64(good.url());
        String headers64 = LoginData.base64(good.headersJson());
        String[][] cases = {
            {"{\"identity_request_url\":\"" + url64 + "\",\"identity_request_headers\":\"" + headers64 + "\"}", "missing role"},
            {"{\"role\":\"dev-role\",\"identity_request_headers\":\"" + headers64 + "\"}", "missing identity_request_url"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + url64 + "\"}", "missing identity_request_headers"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"%%%not-base64\",\"identity_request_headers\":\"" + headers64 + "\"}", "base64"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + LoginData.base64("https://sts.aliyuncs.com/?a b") + "\",\"identity_request_headers\":\"" + headers64 + "\"}", "identity_request_url"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + LoginData.base64("::::") + "\",\"identity_request_headers\":\"" + headers64 + "\"}", "identity_request_url"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + url64 + "\",\"identity_request_headers\":\"not json at all\"}", "identity_request_headers"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + url64 + "\",\"identity_request_headers\":{\"User-Agent\":{\"x\":1}}}", "identity_request_headers"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + url64 + "\",\"identity_request_headers\":{\"User-Agent\":[1]}}", "identity_request_headers"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + url64 + "\",\"identity_request_headers\":{\"X-Acs-A\":\"a\\r\\nInjected: 1\"}}", "control characters"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + url64 + "\",\"identity_request_headers\":{}}", "missing identity_request_headers"},
            {"{\"role\":\"dev-role\",\"identity_request_url\":\"" + "QUFB".repeat(6000) + "\",\"identity_request_headers\":\"" + headers64 + "\"}", "too long"},
            {"{\"role\":\"../etc\",\"identity_request_url\":\"" + url64 + "\",\"identity_request_headers\":\"" + headers64 + "\"}", "invalid role name"},
            {"[\"role\"]", "JSON object"},
            {"{\"role\":", "failed to parse JSON"},
        };
        for (String[] c : cases) {
            login(c[0]).statusCode(400).body("errors[0]", containsString(c[1]));
        }
        assertEquals(0, sts.requestCount());
    }

    @Test
    void headersAreAcceptedAsObjectRawJsonOrLines() {
        SignedLogin a = SignedLogin.as(Callers.DEV);
        login("{\"role\":\"dev-role\",\"identity_request_url\":\"" + LoginData.base64(a.url())
                + "\",\"identity_request_headers\":" + a.headersJson() + "}").statusCode(200);
        SignedLogin b = SignedLogin.as(Callers.DEV);
        login(SignedLogin.json(Map.of("role", "dev-role", "identity_request_url", LoginData.base64(b.url()),
                "identity_request_headers", b.headersJson()))).statusCode(200);
        SignedLogin c = SignedLogin.as(Callers.DEV);
        login(SignedLogin.json(Map.of("role", "dev-role", "identity_request_url", LoginData.base64(c.url()),
                "identity_request_headers", List.of("User-Agent: test", "x-acs-action: GetCallerIdentity"))))
                .statusCode(200);
    }

    @Test
    void unknownRoleAndForeignAddressAreRefusedBeforeAnyCall() {
        login(SignedLogin.as(Callers.DEV).role("no-such-role").body()).statusCode(403)
                .body("errors[0]", containsString("no-such-role"));
        Api.writeRole("fenced", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_bound_cidrs\":\"10.0.0.0/8\"}");
        login(SignedLogin.as(Callers.DEV).role("fenced").body()).statusCode(403)
                .body("errors[0]", equalTo("permission denied"));
        assertEquals(0, sts.requestCount());

        Api.writeRole("fenced", "{\"token_bound_cidrs\":\"10.0.0.0/8,127.0.0.0/8\"}");
        login(SignedLogin.as(Callers.DEV).role("fenced").body()).statusCode(200);
    }

    @Test
    void callerFromAnotherAccountIsRefused() {
        login(SignedLogin.as(Callers.OTHER_ACCOUNT).body()).statusCode(403)
                .body("errors[0]", equalTo("the caller's arn does not match the role's arn"));
    }

    @Test
    void callerWithAnotherRoleIsRefused() {
        login(SignedLogin.as(Callers.OPS).body()).statusCode(403)
                .body("errors[0]", equalTo("the caller's arn does not match the role's arn"));
    }

    @Test
    void ramUserIsRefusedByARoleArnBindingAndToldToAssumeTheRole() {
        login(SignedLogin.as(Callers.USER).body()).statusCode(403)
                .body("errors[0]", equalTo("the caller is a RAM user, whose own access key cannot log in to a role"
                        + " bound to a RAM role: assume that role first (alicloud-auth login --role-arn"
                        + " acs:ram::<account>:role/<name>), or bind the role to user/ arns"));
    }

    @Test
    void arnFromAnotherAccountThanStsReportsIsRefused() {
        login(SignedLogin.as(Callers.MISMATCHED).body()).statusCode(403).body("errors[0]", containsString("account"));
    }

    @Test
    void tamperedSignatureIsRefusedByStsAndNamed() {
        login(SignedLogin.as(Callers.DEV).secret("wrong-secret").body()).statusCode(403)
                .body("errors[0]", equalTo("STS refused the request: SignatureDoesNotMatch"));
        login(SignedLogin.as(Callers.DEV).afterSigning(q -> q.put("RegionId", "cn-beijing")).body()).statusCode(403)
                .body("errors[0]", containsString("SignatureDoesNotMatch"));
        login(SignedLogin.as(Callers.DEV).afterSigning(q -> q.put("SecurityToken", "CAIS.forged")).body())
                .statusCode(403).body("errors[0]", containsString("SignatureDoesNotMatch"));
    }

    @Test
    void replayedRequestIsRefused() {
        String body = SignedLogin.as(Callers.DEV).body();
        login(body).statusCode(200);
        login(body).statusCode(403).body("errors[0]", equalTo("STS refused the request: SignatureNonceUsed"));
    }

    @Test
    void unknownAccessKeyIsRefused() {
        FakeSts.Identity stranger = new FakeSts.Identity("STS.unknown", "s", "t", "x", "1", "AssumedRoleUser", "p", "r");
        login(SignedLogin.as(stranger).body()).statusCode(403)
                .body("errors[0]", containsString("InvalidAccessKeyId.NotFound"));
    }

    @Test
    void stsFailuresAreABadGateway() {
        Map<FakeSts.Mode, String> modes = Map.of(
                FakeSts.Mode.FAIL_503, "HTTP 503",
                FakeSts.Mode.GARBAGE, "not a JSON object",
                FakeSts.Mode.RESET, "STS",
                FakeSts.Mode.REDIRECT, "HTTP 302",
                FakeSts.Mode.HUGE, "oversized",
                FakeSts.Mode.ERROR_WITHOUT_CODE, "without an error code",
                FakeSts.Mode.MISSING_FIELDS, "lacks",
                FakeSts.Mode.CHUNKED_HUGE, "oversized",
                FakeSts.Mode.LONG_ARN, "oversized Arn");
        for (var mode : modes.entrySet()) {
            sts.mode(mode.getKey());
            login(SignedLogin.as(Callers.DEV).body()).statusCode(502).body("errors[0]", containsString(mode.getValue()));
        }
        // STS back to normal: logins work again.
        sts.mode(FakeSts.Mode.NORMAL);
        login(SignedLogin.as(Callers.DEV).body()).statusCode(200);
    }

    @Test
    void stsThatHangsTimesOutWithinTheConfiguredTime() {
        Api.useFakeSts("1s");
        sts.hangFor(Duration.ofSeconds(8));
        sts.mode(FakeSts.Mode.HANG);
        long start = System.nanoTime();
        login(SignedLogin.as(Callers.DEV).body()).statusCode(502).body("errors[0]", containsString("within 1s"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5000, "login waited " + millis + " ms for a 1s STS timeout");
    }

    @Test
    void unreachableStsIsABadGateway() {
        Api.admin().body("{\"sts_endpoint\":\"http://127.0.0.1:1\"}").post("/v1/auth/alicloud/config")
                .then().statusCode(204);
        login(SignedLogin.as(Callers.DEV).body()).statusCode(502).body("errors[0]", containsString("STS"));
    }

    @Test
    void errorsNeverCarryTheSignatureOrSecurityToken() {
        SignedLogin signed = SignedLogin.as(Callers.DEV).secret("wrong-secret");
        String signature = signed.query().get("Signature");
        String body = anyone().body(SignedLogin.as(Callers.DEV).secret("wrong-secret").body()).post(LOGIN).asString();
        assertFalse(body.contains(signature));
        assertFalse(body.contains(Callers.DEV.securityToken()));
        assertFalse(body.contains(Callers.DEV.secret()));
    }

    @Test
    void concurrentLoginsEachGetTheirOwnValidToken() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                futures.add(pool.submit(() -> login(SignedLogin.as(Callers.DEV).body()).statusCode(200)
                        .extract().<String>path("auth.client_token")));
            }
            Set<String> tokens = new HashSet<>();
            for (Future<String> f : futures) {
                tokens.add(f.get());
            }
            assertEquals(24, tokens.size());
            for (String token : tokens) {
                Api.withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(24, sts.requestCount());
    }
}
