package io.alicloudauth.token;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static io.alicloudauth.testing.Api.withToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.Metrics;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The purge of expired tokens and write-through login records: in the background while logins go on, and at once
 * through {@code auth/token/tidy}.
 */
@QuarkusTest
@TestProfile(PurgeTest.EverySecond.class)
public class PurgeTest {

    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("alicloud-auth.purge.interval", "1s");
        }
    }

    @BeforeEach
    void shortLivedTokens() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeRole("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"dev\",\"token_ttl\":\"1s\","
                + "\"token_max_ttl\":\"1s\"}");
    }

    /** Tokens created since {@code since} (the in-memory database outlives other test classes' rows). */
    static long tokensSince(long since) {
        return QuarkusTransaction.requiringNew().call(() -> Token.count("creationTime >= ?1", since));
    }

    static boolean exists(String hash) {
        return QuarkusTransaction.requiringNew().call(() -> Token.findByIdOptional(hash).isPresent());
    }

    static boolean recorded(String accessor) {
        return QuarkusTransaction.requiringNew().call(() -> WriteThroughToken.findByIdOptional(accessor).isPresent());
    }

    static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        Instant end = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(end), what);
            Thread.sleep(100);
        }
    }

    @Test
    void thousandsOfOneSecondTokensArePurgedWhileLoginsGoOn() throws Exception {
        long since = Instant.now().getEpochSecond();
        int total = 3000;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            work.add(pool.submit(() -> {
                for (int i = 0; i < total / 4; i++) {
                    int status = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login")
                            .statusCode();
                    if (status == 200) {
                        ok.incrementAndGet();
                    }
                    if (i % 100 == 0) {
                        most.accumulateAndGet((int) tokensSince(since), Math::max);
                    }
                }
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        assertEquals(total, ok.get(), "every login served while the purge ran");
        await(() -> tokensSince(since) == 0, Duration.ofSeconds(10), "the expired tokens are purged");
        System.out.println("PurgeTest: " + total + " logins, at most " + most.get() + " tokens stored at a time");
        assertTrue(most.get() < total, "purged while logging in: at most " + most.get() + " of " + total + " stored");
    }

    @Test
    void tidyPurgesAtOnceInBatchesAndKeepsWhatLives() throws Exception {
        long now = Instant.now().getEpochSecond();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 2 * Purge.BATCH + 500; i++) {
                token("expired-" + i, now - 10).persist();
            }
            token("alive", now + 3600).persist();
            record("gone", now - 7200, now - 10).persist();
            record("renewable-in-vault", now - 10, now + 3600).persist();
        });
        admin().post("/v1/auth/token/tidy").then().statusCode(202)
                .body("warnings[0]", equalTo(TokenResource.TIDY_STARTED))
                .body("data", equalTo(null));
        await(() -> QuarkusTransaction.requiringNew().call(() -> Token.count("tokenHash like 'expired-%'")) == 0
                && !recorded("gone"), Duration.ofSeconds(10), "tidy removes what expired");
        assertTrue(exists("alive"));
        assertTrue(recorded("renewable-in-vault"));

        // The stored-rows gauge, counted by the purge (every second here): what the table holds.
        long stored = QuarkusTransaction.requiringNew().call(() -> Token.count());
        await(() -> Metrics.value(Metrics.scrape(), "alicloud_auth_stored_tokens", "kind=\"token\"") == stored
                && Metrics.value(Metrics.scrape(), "alicloud_auth_stored_tokens", "kind=\"write_through_record\"")
                        == QuarkusTransaction.requiringNew().call(() -> WriteThroughToken.count()),
                Duration.ofSeconds(10), "the gauge shows the rows the purge counted");

        withToken(BatchTokenTest.login()).post("/v1/auth/token/tidy").then().statusCode(403);
        QuarkusTransaction.requiringNew().run(() -> {
            Token.deleteById("alive");
            WriteThroughToken.deleteById("renewable-in-vault");
        });
    }

    /** A stored token's row as the service writes it (TokenInsertsTest uses it too). */
    static Token token(String hash, long expires) {
        Token t = new Token();
        t.tokenHash = hash;
        t.accessor = "acc-" + hash;
        t.roleName = "dev-role";
        t.policies = "default";
        t.meta = "{}";
        t.displayName = "alicloud-test";
        t.entityId = "e";
        t.tokenType = "service";
        t.renewable = true;
        t.creationTime = expires - 60;
        t.creationTtl = 60;
        t.expireTime = expires;
        t.boundCidrs = "";
        return t;
    }

    private static WriteThroughToken record(String accessor, long expires, long maxExpires) {
        WriteThroughToken r = new WriteThroughToken();
        r.accessor = accessor;
        r.roleName = "dev-role";
        r.meta = "{}";
        r.displayName = "alicloud-test";
        r.creationTime = expires - 60;
        r.expireTime = expires;
        r.maxExpireTime = maxExpires;
        return r;
    }
}
