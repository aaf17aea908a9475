package io.alicloudauth.token;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.withToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.FakeStsResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The key a service token is stored under ({@link Secrets#key}), read back from the store: its issue time and hash
 * for a token issued now, the hash alone for an earlier version's, which keeps working. In the service's process
 * (it reads the table), so not run against the packaged artifact as {@link TokenTest} is.
 */
@QuarkusTest
public class TokenKeysTest {

    @BeforeEach
    void stsAndRole() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
    }

    @Test
    void aTokenIsStoredUnderItsIssueTimeAndHash() {
        long before = System.currentTimeMillis();
        String token = TokenTest.login();
        String accessor = withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .extract().path("data.accessor");
        assertTrue(token.matches("hvs\\.[0-9a-f]{11}[A-Za-z0-9_-]{43}"), token);
        long issued = Long.parseLong(token.substring(4, 15), 16);
        assertTrue(issued >= before && issued <= System.currentTimeMillis(), token);
        Token stored = QuarkusTransaction.requiringNew().call(() -> Token.<Token>find("accessor", accessor).firstResult());
        assertEquals(token.substring(4, 15) + Secrets.hash(token), stored.tokenHash);
        assertTrue(Math.abs(Long.parseLong(accessor.substring(0, 11), 16) - issued) < 5_000, accessor);
    }

    /** A token an earlier version issued (no issue time in it) is stored under its plain hash, and still works. */
    @Test
    void anEarlierVersionsTokenStillWorks() {
        String token = Secrets.newToken("hvs.");
        String hash = Secrets.hash(token);
        assertEquals(hash, Secrets.key(token));
        // an earlier version's accessor: 24 alphanumerics, no issue time
        String accessor = Secrets.newAccessor().substring(Secrets.TIME_DIGITS);
        QuarkusTransaction.requiringNew().run(() -> {
            Token t = PurgeTest.token(hash, Instant.now().getEpochSecond() + 600);
            t.accessor = accessor;
            t.persist();
        });
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200)
                .body("data.id", equalTo(token)).body("data.accessor", equalTo(accessor));
        admin().body(Map.of("accessor", accessor)).post("/v1/auth/token/lookup-accessor").then()
                .statusCode(200).body("data.accessor", equalTo(accessor));
        withToken(token).post("/v1/auth/token/revoke-self").then().statusCode(204);
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> Token.count("tokenHash", hash)));
    }
}
