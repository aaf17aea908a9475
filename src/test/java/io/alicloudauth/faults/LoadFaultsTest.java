package io.alicloudauth.faults;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.alicloudauth.token.Token;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Under load: STS failing in every way mid-run (each login fails cleanly or succeeds, no thread leak, full recovery),
 * and many clients writing one role while others log in (every token valid, counts exact). Bounded in time.
 */
@QuarkusTest
public class LoadFaultsTest {

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("1s");
        Api.writeDevRole();
    }

    /** Threads of this JVM but the fake STS's own (it runs in the test JVM, and hangs on purpose). */
    static int threads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> !t.getName().startsWith("fake-sts"))
                .count();
    }

    /** Threads still inside the service's code: after the load and a pause, a stuck call would show here. */
    static List<String> stuckInService() {
        List<String> stuck = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("io.alicloudauth.") && !frame.getClassName().contains("faults")
                        && !frame.getClassName().contains("testing")) {
                    stuck.add(thread.getName() + " at " + frame);
                    break;
                }
            }
        });
        return stuck;
    }

    /**
     * Connections open to the STS stand-in's port (from the service; the stand-in's own ends have it as the local
     * port), read from /proc/net/tcp{,6}: a leak of outbound connections would show here.
     */
    static int connectionsToSts() throws Exception {
        String url = FakeStsResource.sts().url();
        String port = String.format("%04X", Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            java.nio.file.Path path = java.nio.file.Path.of(table);
            if (!java.nio.file.Files.exists(path)) {
                continue;
            }
            for (String line : java.nio.file.Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].endsWith(":" + port) && !f[3].equals("06") && !f[3].equals("0A")) {
                    count++; // any state but TIME_WAIT and LISTEN holds a descriptor
                }
            }
        }
        return count;
    }

    @Test
    void stsFaultsMidLoadFailCleanlyAndRecover() throws Exception {
        FakeSts sts = FakeStsResource.sts();
        sts.hangFor(Duration.ofMillis(1500));
        // Warm up: the server's worker pool grows to the load first, so that growth is not counted as a leak.
        ExecutorService warmUp = Executors.newFixedThreadPool(6);
        for (int i = 0; i < 24; i++) {
            warmUp.submit(() -> anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login"));
        }
        warmUp.shutdown();
        assertTrue(warmUp.awaitTermination(30, TimeUnit.SECONDS));
        int threadsBefore = threads();
        int connectionsBefore = connectionsToSts();
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        for (int t = 0; t < 6; t++) {
            pool.submit(() -> {
                while (running.get()) {
                    var response = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login");
                    statuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (response.statusCode() == 200) {
                        tokens.add(response.path("auth.client_token"));
                    }
                }
                return null;
            });
        }
        FakeSts.Mode[] faults = {FakeSts.Mode.FAIL_503, FakeSts.Mode.RESET, FakeSts.Mode.GARBAGE, FakeSts.Mode.HANG,
            FakeSts.Mode.REDIRECT, FakeSts.Mode.HUGE, FakeSts.Mode.MISSING_FIELDS, FakeSts.Mode.CHUNKED_HUGE,
            FakeSts.Mode.LONG_ARN};
        int injected = 0;
        for (int round = 0; round < 2; round++) {
            for (FakeSts.Mode fault : faults) {
                sts.mode(FakeSts.Mode.NORMAL);
                Thread.sleep(300);
                sts.mode(fault);
                injected++;
                Thread.sleep(400);
            }
            // Refused connections: STS's address answers nothing for a moment.
            sts.mode(FakeSts.Mode.NORMAL);
            Api.admin().body("{\"sts_endpoint\":\"http://127.0.0.1:1\"}").post("/v1/auth/alicloud/config")
                    .then().statusCode(204);
            injected++;
            Thread.sleep(400);
            Api.useFakeSts("1s");
        }
        sts.mode(FakeSts.Mode.NORMAL);
        running.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));

        Map<Integer, Integer> seen = new TreeMap<>();
        statuses.forEach((k, v) -> seen.put(k, v.get()));
        assertTrue(Set.of(200, 502).containsAll(seen.keySet()), "only successes and clean 502s: " + seen);
        assertTrue(seen.getOrDefault(502, 0) > 0 && seen.getOrDefault(200, 0) > 0, seen.toString());
        for (String token : tokens) {
            Api.withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        }
        // STS is back: every login works again, and nothing piled up.
        for (int i = 0; i < 20; i++) {
            anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then().statusCode(200);
        }
        Thread.sleep(2000);
        int threadsAfter = threads();
        int connectionsAfter = connectionsToSts();
        assertEquals(List.of(), stuckInService(), "threads left inside the service after the load");
        assertTrue(threadsAfter <= threadsBefore + 16, "threads grew from " + threadsBefore + " to " + threadsAfter);
        assertTrue(connectionsAfter <= connectionsBefore + 16,
                "connections to STS grew from " + connectionsBefore + " to " + connectionsAfter);
        int tried = seen.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("STS faults under load: " + tried + " logins tried, " + injected + " faults injected, "
                + seen + " by status, " + tokens.size() + " tokens all valid, 0 lost; threads " + threadsBefore
                + " -> " + threadsAfter + ", connections to STS " + connectionsBefore + " -> " + connectionsAfter);
    }

    @Test
    void manyWritersOfOneRoleAndConcurrentLoginsKeepExactCounts() throws Exception {
        long tokensBefore = QuarkusTransaction.requiringNew().call(() -> Token.count("roleName", "dev-role"));
        int writers = 6;
        int writes = 15;
        int loginThreads = 4;
        int logins = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers + loginThreads);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> written = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < writes; i++) {
                    int ttl = 600 + writer * 100 + i;
                    admin().body("{\"token_ttl\":" + ttl + ",\"token_policies\":\"dev,w" + writer + "\"}")
                            .post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
                    written.add(ttl);
                }
                return null;
            }));
        }
        for (int l = 0; l < loginThreads; l++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < logins; i++) {
                    tokens.add(anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                            .statusCode(200).extract().path("auth.client_token"));
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(writers * writes, written.size());
        assertEquals(loginThreads * logins, tokens.size());
        assertEquals(loginThreads * logins, Set.copyOf(tokens).size());
        int finalTtl = admin().get("/v1/auth/alicloud/role/dev-role").then().statusCode(200)
                .extract().path("data.token_ttl");
        assertTrue(written.contains(finalTtl), "the role holds one of the values written, whole: " + finalTtl);
        for (String token : tokens) {
            Api.withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        }
        long tokensAfter = QuarkusTransaction.requiringNew().call(() -> Token.count("roleName", "dev-role"));
        assertEquals(tokensBefore + loginThreads * logins, tokensAfter, "one stored token per successful login");
        System.out.println("concurrency: " + written.size() + " role writes and " + tokens.size()
                + " logins at once; every token valid, counts exact");
    }
}
