package io.alicloudauth.login;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.cli.LoginData;
import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.alicloudauth.testing.SignedLoginV3;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Login with a V3-signed GetCallerIdentity (SPEC §10): accepted end to end against a fake STS that verifies V3 as
 * Alibaba's gateway does; every validation rule refuses before any outbound call; and {@code server_id} binds a login
 * to one server.
 */
@QuarkusTest
public class LoginV3Test {

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
    }

    @AfterEach
    void noServerId() {
        admin().body(Map.of("server_id", "")).post("/v1/auth/alicloud/config").then().statusCode(204);
    }

    private static void accepted(SignedLoginV3 login) {
        anyone().body(login.body()).post("/v1/auth/alicloud/login").then().statusCode(200)
                .body("auth.metadata.arn", equalTo(Callers.DEV.arn()));
    }

    /** Refused with 400 naming {@code reason}, and STS never asked. */
    private static void refused(SignedLoginV3 login, String reason) {
        refused(login.body(), 400, reason);
    }

    private static void refused(String body, int status, String reason) {
        int before = FakeStsResource.sts().requestCount();
        anyone().body(body).post("/v1/auth/alicloud/login").then().statusCode(status)
                .body("errors[0]", containsString(reason));
        assertEquals(before, FakeStsResource.sts().requestCount(), "no outbound call for a refused request");
    }

    private static SignedLoginV3 dev() {
        return SignedLoginV3.as(Callers.DEV);
    }

    private static Consumer<Map<String, String>> put(String name, String value) {
        return h -> h.put(name, value);
    }

    @Test
    void aV3LoginIsRebuiltFromItsSignedItemsAndAccepted() {
        accepted(dev().afterSigning(h -> h.put("x-unsigned-extra", "dropped")));
        FakeSts.Seen seen = FakeStsResource.sts().seen().get(FakeStsResource.sts().seen().size() - 1);
        assertEquals("POST", seen.method());
        assertEquals("/", seen.path());
        assertTrue(seen.query().isEmpty(), "no query: " + seen.query());
        assertEquals(0, seen.bodyLength());
        // The signed host is the Host, although the request went to the configured sts_endpoint.
        assertEquals(List.of("sts.cn-hangzhou.aliyuncs.com"), seen.headers().get("host"));
        assertTrue(seen.headers().get("authorization").get(0).startsWith("ACS3-HMAC-SHA256 Credential=STS.devkey,"));
        assertFalse(seen.headers().containsKey("x-unsigned-extra"), "an unsigned header is not forwarded");
        // The Vault CLI's V1 keeps working beside it.
        anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then().statusCode(200);
    }

    @Test
    void signedExtrasOfAlibabasSdkAreAccepted() {
        accepted(dev().beforeSigning(h -> {
            h.put("x-acs-accesskey-id", Callers.DEV.accessKeyId());
            h.put("x-acs-credentials-provider", "env");
        }));
        FakeSts.Seen seen = FakeStsResource.sts().seen().get(FakeStsResource.sts().seen().size() - 1);
        assertEquals(List.of("env"), seen.headers().get("x-acs-credentials-provider"));
    }

    @Test
    void aTamperedSignedHeaderIsRefusedBySts() {
        int before = FakeStsResource.sts().requestCount();
        String tampered = dev().afterSigning(put("x-acs-date", LoginData.TIMESTAMP.format(Instant.now().minusSeconds(60))))
                .body();
        anyone().body(tampered).post("/v1/auth/alicloud/login").then().statusCode(403)
                .body("errors[0]", equalTo("STS refused the request: SignatureDoesNotMatch"));
        assertEquals(before + 1, FakeStsResource.sts().requestCount());
        // The same request twice: STS refuses the second use of its nonce.
        String once = dev().body();
        anyone().body(once).post("/v1/auth/alicloud/login").then().statusCode(200);
        anyone().body(once).post("/v1/auth/alicloud/login").then().statusCode(403)
                .body("errors[0]", equalTo("STS refused the request: SignatureNonceUsed"));
    }

    @Test
    void everyRuleRefusesBeforeAnyOutboundCall() {
        refused(dev().url("https://sts.cn-hangzhou.aliyuncs.com/?Action=GetCallerIdentity"), "has no query");
        refused(dev().host("sts.aliyuncs.com.evil.io"), "is not an Alibaba Cloud STS endpoint");
        refused(dev().url("https://sts.cn-shanghai.aliyuncs.com/"), "is not the URL's host");
        refused(dev().beforeSigning(put("x-acs-action", "AssumeRole")), "x-acs-action must be GetCallerIdentity");
        refused(dev().beforeSigning(put("x-acs-version", "2019-01-01")), "x-acs-version must be 2015-04-01");
        refused(dev().date(Instant.now().minus(Duration.ofMinutes(20))), "more than 15 minutes away");
        refused(dev().beforeSigning(put("x-acs-date", "2026-12-01 10:00:00")), "x-acs-date must be UTC");
        refused(dev().beforeSigning(h -> h.remove("x-acs-signature-nonce")), "SignedHeaders must include x-acs-signature-nonce");
        refused(dev().beforeSigning(put("x-acs-signature-nonce", "")), "x-acs-signature-nonce must be 1 to 128");
        refused(dev().beforeSigning(put("x-acs-content-sha256", "0".repeat(64))), "x-acs-content-sha256 must be");
        refused(dev().beforeSigning(h -> h.remove("x-acs-content-sha256")), "SignedHeaders must include x-acs-content-sha256");
        refused(dev().afterSigning(put("x-acs-extra", "1")), "header x-acs-extra is sent but not signed");
        refused(dev().afterSigning(put("Content-Type", "application/json")), "header content-type is sent but not signed");
        refused(dev().afterSigning(h -> h.put("authorization", h.get("authorization").replace("host;", ""))),
                "SignedHeaders must include host");
        refused(dev().afterSigning(h -> h.put("authorization", h.get("authorization")
                .replace("host;x-acs-action", "x-acs-action;host"))), "SignedHeaders must be lowercase names, sorted");
        refused(dev().afterSigning(h -> h.put("authorization", h.get("authorization")
                .replace("SignedHeaders=", "SignedHeaders=accept;"))), "which V3 does not sign");
        refused(dev().afterSigning(h -> h.put("authorization", h.get("authorization")
                .replace(",Signature=", ";x-acs-zz-missing,Signature="))), "x-acs-zz-missing, which is not sent");
        refused(dev().afterSigning(h -> h.put("authorization", h.get("authorization").substring(0,
                h.get("authorization").length() - 2))), "header authorization must be ACS3-HMAC-SHA256");
        refused(dev().afterSigning(put("x-acs-security-token", "CAIS+dev/token==\u00e9")), "printable ASCII");
        String headers = "{\"authorization\":[\"" + dev().headers().get("authorization") + "\"],"
                + "\"x-acs-date\":[\"a\",\"b\"]}";
        refused(dev().bodyWithHeaders(headers), 400, "header x-acs-date is sent more than once");
        String twice = "{\"Authorization\":[\"ACS3-HMAC-SHA256 x\"],\"authorization\":[\"ACS3-HMAC-SHA256 y\"]}";
        refused(dev().bodyWithHeaders(twice), 400, "is sent more than once");
    }

    @Test
    void aServerIdBindsALoginToOneServer() {
        String a = "https://vault-a.example.com";
        String b = "https://vault-b.example.com";
        // Off by default: a login signed for a server is accepted anywhere; an unsigned server id is a 400.
        accepted(dev().serverId(a));
        refused(dev().afterSigning(put("x-acs-vault-server-id", a)), "x-acs-vault-server-id is sent but not signed");

        admin().body(Map.of("server_id", b)).post("/v1/auth/alicloud/config").then().statusCode(204);
        admin().get("/v1/auth/alicloud/config").then().body("data.server_id", equalTo(b));
        refused(dev().serverId(a).body(), 403, "login is not bound to this server: the signed x-acs-vault-server-id"
                + " names another server");
        refused(SignedLogin.as(Callers.DEV).body(), 403, "login is not bound to this server: this server requires"
                + " signature V3");
        refused(dev().body(), 403, "login is not bound to this server: no x-acs-vault-server-id header");
        refused(dev().afterSigning(put("x-acs-vault-server-id", b)).body(), 403,
                "login is not bound to this server: the x-acs-vault-server-id header is not in SignedHeaders");
        accepted(dev().serverId(b));

        admin().body(Map.of("server_id", a)).post("/v1/auth/alicloud/config").then().statusCode(204);
        accepted(dev().serverId(a));
        admin().body(Map.of("server_id", "has space")).post("/v1/auth/alicloud/config").then().statusCode(400)
                .body("errors[0]", startsWith("server_id: "));
        admin().get("/v1/auth/alicloud/config").then().body("data.server_id", equalTo(a));
    }
}
