package io.alicloudauth.faults;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The attacks of the independent red-team pass (issue #9), each replayed so that it stays fixed. Forwarded
 * addresses, role lockout and write-through bindings have their own classes (they need other settings):
 * {@code ForwardedAddressTest}, {@code LimitsTest}, {@code WriteThroughTest}.
 */
@QuarkusTest
public class RedTeamTest {

    static final String LOGIN = "/v1/auth/alicloud/login";
    final FakeSts sts = FakeStsResource.sts();

    @BeforeEach
    void setUp() {
        sts.reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
    }

    @Test
    void aChunkedStsAnswerIsReadOnlyToItsCap() throws Exception {
        sts.mode(FakeSts.Mode.CHUNKED_HUGE);
        anyone().body(SignedLogin.as(Callers.DEV).body()).post(LOGIN).then().statusCode(502)
                .body("errors[0]", containsString("oversized"));
        // The fake stops writing once the connection is gone; what it got out is the cap plus socket buffers,
        // not the 300 MB it had to send.
        long before = -1;
        for (int i = 0; i < 50 && before != sts.streamed.get(); i++) {
            before = sts.streamed.get();
            Thread.sleep(100);
        }
        assertTrue(sts.streamed.get() < 32L * 1024 * 1024, sts.streamed.get() + " bytes were taken from STS");
        sts.mode(FakeSts.Mode.NORMAL);
        anyone().body(SignedLogin.as(Callers.DEV).body()).post(LOGIN).then().statusCode(200);
    }

    @Test
    void anOversizedArnFromStsIsABadGatewayNotAStorageError() {
        sts.mode(FakeSts.Mode.LONG_ARN);
        anyone().body(SignedLogin.as(Callers.DEV).body()).post(LOGIN).then().statusCode(502)
                .body("errors[0]", containsString("oversized Arn"));
    }

    @Test
    void globsWithManyStarsMatchWithoutBacktracking() {
        // 14 stars took 4.6 s per login as a regex, doubling per star; 30 would take hours.
        String stars = "a*".repeat(30);
        Api.writeRole("starry", "{\"bound_arns\":[\"acs:ram::" + Callers.ACCOUNT + ":assumed-role/dev-role/" + stars
                + "b\"]}");
        anyone().body(SignedLogin.as(Callers.DEV).role("starry").body()).post(LOGIN).then().statusCode(403);
        Api.writeRole("starry", "{\"bound_arns\":[\"acs:ram::" + Callers.ACCOUNT + ":assumed-role/dev-role/"
                + "*".repeat(30) + "vm-ram-i-abc\"]}");
        anyone().body(SignedLogin.as(Callers.DEV).role("starry").body()).post(LOGIN).then().statusCode(200);
    }

    @Test
    void jsonErrorsAreInOurWordsAndTrailingTextIsRefused() {
        String[][] cases = {
            {"{\"role\":\"dev-role\",\"role\":\"x\"}", "duplicate field \"role\""},
            {"{\"role\":", "not valid JSON (line 1"},
            {"{\"role\":\"dev-role\"} \"more\"", "unexpected text after the JSON value"},
            {"{\"role\":\"dev-role\"} trailing", "not valid JSON (line 1, column 21)"},
            {"{\"role\":\"dev-role\"}{}", "unexpected text after the JSON value"},
            {"[" .repeat(40) + "]".repeat(40), "nested more than 32 levels"},
        };
        for (String[] c : cases) {
            for (String path : new String[] {LOGIN, "/v1/auth/alicloud/role/dev-role", "/v1/auth/alicloud/config"}) {
                String message = admin().body(c[0]).post(path).then().statusCode(400).extract().path("errors[0]");
                assertTrue(message.contains(c[1]), path + ": " + message);
                for (String libraryText : new String[] {"jackson", "Jackson", "Feature", "Source:", "token",
                    "Unexpected", "reference chain", "JsonToken"}) {
                    assertTrue(!message.contains(libraryText), path + " leaked library text: " + message);
                }
            }
        }
    }

    @Test
    void aChunkedBodyOverTheLimitGetsA413WithVaultsBody() throws Exception {
        String answer = chunked(LOGIN, 3 * 1024 * 1024);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.endsWith("{\"errors\":[\"request body too large\"]}"), answer);
        // Under the limit, a chunked body is read as usual.
        String small = chunked(LOGIN, 100);
        assertTrue(small.startsWith("HTTP/1.1 400") && small.contains("not valid JSON"), small);
    }

    @Test
    void responseWrappingIsRefusedRatherThanIgnored() {
        anyone().header("X-Vault-Wrap-TTL", "5m").body(SignedLogin.as(Callers.DEV).body()).post(LOGIN).then()
                .statusCode(400).body("errors[0]", containsString("response wrapping is not supported"));
        assertEquals(0, sts.requestCount(), "refused before STS");
        admin().header("X-Vault-Wrap-TTL", "60").get("/v1/auth/alicloud/role/dev-role").then().statusCode(400);
    }

    @Test
    void optionsOnAdminPathsIsNotAnsweredWithoutAToken() {
        RestAssured.given().options("/v1/auth/alicloud/role/dev-role").then().statusCode(405)
                .body("errors[0]", equalTo("unsupported operation")).header("Allow", (String) null);
        RestAssured.given().options("/v1/auth/alicloud/roles").then().statusCode(405);
    }

    @Test
    void anXAcsActionThatContradictsTheSignedQueryIsRefused() {
        anyone().body(SignedLogin.as(Callers.DEV).header("x-acs-action", "AssumeRole").body()).post(LOGIN).then()
                .statusCode(400).body("errors[0]", containsString("x-acs-action must be GetCallerIdentity"));
        anyone().body(SignedLogin.as(Callers.DEV).header("x-acs-version", "2099-01-01").body()).post(LOGIN).then()
                .statusCode(400).body("errors[0]", containsString("x-acs-version"));
        assertEquals(0, sts.requestCount(), "refused before STS");
        anyone().body(SignedLogin.as(Callers.DEV).header("x-acs-action", "GetCallerIdentity")
                .header("x-acs-version", "2015-04-01").body()).post(LOGIN).then().statusCode(200)
                .body("auth.client_token", not(equalTo(null)));
        assertEquals("GetCallerIdentity", sts.seen().get(0).headers().get("x-acs-action").get(0));
    }

    /** One chunked POST of {@code size} bytes of 'x' over a raw socket; answers the whole response text. */
    static String chunked(String path, int size) throws Exception {
        return chunked(RestAssured.port, path, size);
    }

    public static String chunked(int port, String path, int size) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int sent = 0; sent < size; sent += chunk.length) {
                    int n = Math.min(chunk.length, size - sent);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server may answer and close before the whole body is sent
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            try {
                in.transferTo(response);
            } catch (java.io.IOException reset) {
                // read what arrived before the reset
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
