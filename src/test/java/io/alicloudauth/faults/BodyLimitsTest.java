package io.alicloudauth.faults;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.Metrics;
import io.alicloudauth.testing.SignedLogin;
import io.alicloudauth.testing.Sockets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Request bodies (issue #16, finding 1): per-endpoint caps refused before reading, a budget of body bytes in flight,
 * a deadline for a body, and Transfer-Encodings the codec would misread.
 */
@QuarkusTest
@TestProfile(BodyLimitsTest.SmallBudget.class)
public class BodyLimitsTest {

    static final String LOGIN = "/v1/auth/alicloud/login";

    /** A 200,000-byte budget and a 1-second deadline, so that both are reached quickly. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("alicloud-auth.http.body-budget", "200000", "alicloud-auth.http.body-timeout", "1s");
        }
    }

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
    }

    static double inFlight() {
        return Metrics.value(Metrics.scrape(), "alicloud_auth_http_body_bytes_in_flight");
    }

    static void login() {
        anyone().body(SignedLogin.as(Callers.DEV).body()).post(LOGIN).then().statusCode(200);
    }

    @Test
    void aDeclaredLengthOverTheCapIsRefusedBeforeTheBodyIsSent() throws Exception {
        for (String path : List.of(LOGIN, "/v1/auth/token/renew-self")) {
            try (Socket socket = Sockets.open("127.0.0.1", RestAssured.port, Sockets.head("POST", path, 65537), 0)) {
                String answer = Sockets.answer(socket, 5000);
                assertTrue(answer.startsWith("HTTP/1.1 413") && answer.contains("at most 64 KiB")
                        && answer.endsWith("[closed]"), answer);
            }
        }
        try (Socket socket = Sockets.open("127.0.0.1", RestAssured.port,
                Sockets.head("POST", "/v1/auth/alicloud/role/big", 262145), 0)) {
            String answer = Sockets.answer(socket, 5000);
            assertTrue(answer.startsWith("HTTP/1.1 413") && answer.contains("at most 256 KiB"), answer);
        }
        login();
    }

    @Test
    void eachEndpointHasItsCap() {
        String padded = "{\"role\":\"dev-role\",\"pad\":\"" + "a".repeat(70_000) + "\"}";
        anyone().body(padded).post(LOGIN).then().statusCode(413).body("errors[0]", containsString("too large"));
        // An admin write may be larger than a login, up to 256 KiB.
        String role = "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"" + "p,".repeat(60_000) + "\"}";
        admin().body(role).post("/v1/auth/alicloud/role/big").then().statusCode(204);
        String tooBig = "{\"arn\":\"" + "a".repeat(300_000) + "\"}";
        admin().body(tooBig).post("/v1/auth/alicloud/role/big").then().statusCode(413);
        admin().get("/v1/auth/alicloud/role/big").then().statusCode(200)
                .body("data.arn", org.hamcrest.Matchers.equalTo(Callers.ROLE_ARN));
        admin().delete("/v1/auth/alicloud/role/big").then().statusCode(204);
    }

    @Test
    void aChunkedBodyOverTheCapIsCutOff() throws Exception {
        String answer = RedTeamTest.chunked(RestAssured.port, LOGIN, 128 * 1024);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        login();
    }

    @Test
    void aBodyThatStopsHalfWayIsAnswered408WhenItsDeadlinePasses() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = Sockets.open("127.0.0.2", RestAssured.port, Sockets.head("POST", LOGIN, 2000), 100)) {
            String answer = Sockets.answer(socket, 10_000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(answer.startsWith("HTTP/1.1 408") && answer.endsWith("[closed]"), answer);
            assertTrue(millis >= 900 && millis < 5000, "answered after " + millis + " ms");
        }
        login();
    }

    @Test
    void aClientThatHangsUpHalfWayThroughItsBodyIsNotLoggedAsAnError() throws Exception {
        List<String> errors = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    synchronized (errors) {
                        errors.add(String.valueOf(record.getMessage()) + " " + Arrays.toString(record.getParameters()));
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.alicloudauth.api.RequestGuards");
        logger.addHandler(capture);
        try {
            for (int i = 0; i < 5; i++) {
                Sockets.open("127.0.0." + (30 + i), RestAssured.port, Sockets.head("POST", LOGIN, 2000), 100).close();
            }
            for (int i = 0; i < 50 && inFlight() > 0; i++) {
                Thread.sleep(100);
            }
            assertEquals(0, inFlight(), 0.1, "every reservation returned");
            Thread.sleep(300);
            synchronized (errors) {
                assertEquals(List.of(), errors);
            }
        } finally {
            logger.removeHandler(capture);
        }
        login();
    }

    @Test
    void bodiesBeyondTheBudgetAreRefusedAndTheBudgetComesBack() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            // 60,000 bytes declared each: three fit in the 200,000-byte budget, the fourth does not.
            for (int i = 0; i < 3; i++) {
                stalled.add(Sockets.open("127.0.0." + (10 + i), RestAssured.port, Sockets.head("POST", LOGIN, 60_000),
                        30_000));
            }
            Thread.sleep(200);
            assertEquals(180_000, inFlight(), 0.1);
            try (Socket fourth = Sockets.open("127.0.0.20", RestAssured.port, Sockets.head("POST", LOGIN, 60_000), 0)) {
                String answer = Sockets.answer(fourth, 5000);
                assertTrue(answer.startsWith("HTTP/1.1 503") && answer.contains("busy") && answer.endsWith("[closed]"),
                        answer);
            }
            login(); // a login body still fits in what is left
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        for (int i = 0; i < 50 && inFlight() > 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, inFlight(), 0.1, "every reservation returned");
        assertTrue(Metrics.value(Metrics.scrape(), "alicloud_auth_http_bodies_refused_total", "reason=\"budget\"") >= 1);
        login();
    }

    @Test
    void aTransferEncodingOtherThanChunkedIsRefusedAndTheConnectionClosed() throws Exception {
        for (String encoding : List.of("gzip, chunked", "xchunked", "chunked, identity")) {
            String head = "POST " + LOGIN + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: " + encoding + "\r\n\r\n5\r\n{\"a\":\r\n";
            try (Socket socket = Sockets.open("127.0.0.1", RestAssured.port, head, 0)) {
                String answer = Sockets.answer(socket, 5000);
                assertTrue((answer.startsWith("HTTP/1.1 501") || answer.startsWith("HTTP/1.1 400"))
                        && answer.endsWith("[closed]"), encoding + ": " + answer);
            }
        }
        login();
    }

    @Test
    void http2StreamsHaveTheSameCaps() throws Exception {
        java.nio.file.Path big = java.nio.file.Files.createTempFile("h2-body", ".json");
        java.nio.file.Files.writeString(big, "{\"role\":\"" + "a".repeat(70_000) + "\"}");
        java.nio.file.Path small = java.nio.file.Files.createTempFile("h2-login", ".json");
        java.nio.file.Files.writeString(small, SignedLogin.as(Callers.DEV).body());
        for (int i = 0; i < 10; i++) { // the answer arrives whole every time, before the stream is reset
            assertEquals("413", curlHttp2(big));
        }
        assertEquals("200", curlHttp2(small));
    }

    private static String curlHttp2(java.nio.file.Path body) throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                "--http2-prior-knowledge", "-H", "Content-Type: application/json", "--data-binary", "@" + body,
                "http://127.0.0.1:" + RestAssured.port + LOGIN).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes()).trim();
        curl.waitFor(20, TimeUnit.SECONDS);
        assertTrue(out.endsWith(" 2"), "spoke HTTP/2: " + out);
        return out.substring(0, 3);
    }
}
