package io.alicloudauth.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.RawHttp;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Behind a proxy (127.0.0.1 is the trusted proxy here): forwarded headers count only from it, and the client is the
 * nearest hop it did not vouch for, walking X-Forwarded-For from the right. Other loopback addresses (127.0.0.5)
 * play clients that connect directly.
 */
@QuarkusTest
@TestProfile(ForwardedAddressTest.BehindAProxy.class)
public class ForwardedAddressTest {

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1",
                    "alicloud-auth.login.rate-per-address", "20");
        }
    }

    static final String LOGIN = "/v1/auth/alicloud/login";

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeRole("bound", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_bound_cidrs\":\"10.20.30.40/32\"}");
    }

    static String login(String from, String headers) throws Exception {
        return RawHttp.send(from, RestAssured.port, "POST", LOGIN, null,
                SignedLogin.as(Callers.DEV).role("bound").body(), headers);
    }

    @Test
    void whatTheClientPutsLeftOfTheProxysEntryIsNotBelieved() throws Exception {
        // The attack: the client writes the bound address first; the proxy appends the address it really saw.
        String answer = login("127.0.0.1", "X-Forwarded-For: 10.20.30.40, 198.51.100.7\r\n");
        assertTrue(answer.startsWith("403"), answer);
        // The proxy saw 10.20.30.40 itself.
        answer = login("127.0.0.1", "X-Forwarded-For: 10.20.30.40\r\n");
        assertTrue(answer.startsWith("200"), answer);
        // The same through two proxies that are both trusted is still the client they saw.
        answer = login("127.0.0.1", "X-Forwarded-For: 6.6.6.6, 10.20.30.40, 127.0.0.1\r\n");
        assertTrue(answer.startsWith("200"), answer);
        // Several header lines are one list.
        answer = login("127.0.0.1", "X-Forwarded-For: 10.20.30.40\r\nX-Forwarded-For: 198.51.100.7\r\n");
        assertTrue(answer.startsWith("403"), answer);
    }

    @Test
    void headersFromAPeerThatIsNotATrustedProxyAreIgnored() throws Exception {
        String answer = login("127.0.0.5", "X-Forwarded-For: 10.20.30.40\r\n");
        assertTrue(answer.startsWith("403"), answer);
    }

    @Test
    void tokenUseIsBoundToTheForwardedClientToo() throws Exception {
        String answer = login("127.0.0.1", "X-Forwarded-For: 10.20.30.40\r\n");
        String token = answer.replaceAll("(?s).*\"client_token\":\"([^\"]+)\".*", "$1");
        String lookup = RawHttp.send("127.0.0.1", RestAssured.port, "GET", "/v1/auth/token/lookup-self", token, null,
                "X-Forwarded-For: 10.20.30.40\r\n");
        assertTrue(lookup.startsWith("200"), lookup);
        lookup = RawHttp.send("127.0.0.1", RestAssured.port, "GET", "/v1/auth/token/lookup-self", token, null,
                "X-Forwarded-For: 10.20.30.40, 198.51.100.9\r\n");
        assertTrue(lookup.startsWith("403"), lookup);
    }

    @Test
    void rotatingTheLeftOfTheHeaderDoesNotEscapeThePerAddressLimit() throws Exception {
        int limited = 0;
        for (int i = 0; i < 40; i++) {
            String answer = RawHttp.send("127.0.0.1", RestAssured.port, "POST", LOGIN, null, "{",
                    "X-Forwarded-For: 10.0.0." + i + ", 203.0.113.77\r\n");
            limited += answer.startsWith("429") ? 1 : 0;
        }
        assertTrue(limited >= 15, limited + " of 40 limited at 20 a minute from one forwarded address");
        // Another client behind the same proxy is not affected.
        String other = RawHttp.send("127.0.0.1", RestAssured.port, "POST", LOGIN, null, "{",
                "X-Forwarded-For: 203.0.113.78\r\n");
        assertEquals("400", other.substring(0, 3), other);
    }
}
