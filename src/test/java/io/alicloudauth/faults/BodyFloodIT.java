package io.alicloudauth.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.alicloudauth.PersistenceIT;
import io.alicloudauth.testing.AppProcess;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.RawHttp;
import io.alicloudauth.testing.SignedLogin;
import io.alicloudauth.testing.Sockets;

/**
 * Issue #16, finding 1, as the red team ran it against the packaged jar under {@code -Xmx256m}: 200 connections
 * from 200 addresses each declaring a 1,048,000-byte login body and sending 980,000 bytes of it, then 200 that stop
 * half-way through bodies under the cap. Logins from another address go on succeeding during both and after.
 */
class BodyFloodIT {

    static final String ROOT = "flood-it-root-token-0123456789";
    static final String LOGIN = "/v1/auth/alicloud/login";

    @Test
    void unfinishedBodiesFromManyAddressesNeitherExhaustTheHeapNorStopLogins() throws Exception {
        Path dir = Files.createTempDirectory("alicloud-auth-body-flood");
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"),
                "ALICLOUD_AUTH_ROOT_TOKEN", ROOT, "ALICLOUD_AUTH_HTTP_BODY_TIMEOUT", "3s",
                "ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS", "100000", "ALICLOUD_AUTH_LOGIN_RATE_PER_ROLE", "100000",
                "JAVA_TOOL_OPTIONS", "-Xmx256m -XX:+ExitOnOutOfMemoryError");
        try (AppProcess app = AppProcess.start(PersistenceIT.H2_JAR, env)) {
            PersistenceIT.setUp(app, ROOT);
            AtomicBoolean attacking = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(9);
            Future<Integer> logins = pool.submit(() -> {
                int ok = 0;
                while (attacking.get()) {
                    String answer = RawHttp.send("127.0.0.250", app.port, "POST", LOGIN, null,
                            SignedLogin.as(Callers.DEV).body());
                    if (answer.startsWith("200")) {
                        ok++;
                    } else {
                        failures.add(answer.substring(0, Math.min(120, answer.length())));
                    }
                    Thread.sleep(20);
                }
                return ok;
            });

            // The red team's attack: declared far over the login cap, refused before the body is read.
            List<Future<String>> oversized = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t * 25;
                oversized.add(pool.submit(() -> {
                    StringBuilder answers = new StringBuilder();
                    for (int i = first; i < first + 25; i++) {
                        try (Socket s = Sockets.open("127.0.1." + (i + 1), app.port,
                                Sockets.head("POST", LOGIN, 1_048_000), 980_000)) {
                            String answer = Sockets.answer(s, 10_000);
                            answers.append(answer, 0, Math.min(12, answer.length())).append('\n');
                        }
                    }
                    return answers.toString();
                }));
            }
            for (Future<String> f : oversized) {
                for (String line : f.get(120, TimeUnit.SECONDS).split("\n")) {
                    assertTrue(line.startsWith("HTTP/1.1 413") || line.isEmpty() || line.startsWith("[reset]"), line);
                }
            }

            // Bodies under the cap that stop half-way: held until the body deadline, then answered 408 and closed.
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                stalled.add(Sockets.open("127.0.2." + (i + 1), app.port, Sockets.head("POST", LOGIN, 60_000), 50_000));
            }
            Thread.sleep(1000);
            int closedByServer = 0;
            for (Socket s : stalled) {
                String answer = Sockets.answer(s, 10_000);
                if (answer.startsWith("HTTP/1.1 408") || answer.startsWith("HTTP/1.1 503")) {
                    closedByServer++;
                }
                s.close();
            }
            assertEquals(200, closedByServer, "every stalled body was answered and closed");

            Thread.sleep(500);
            attacking.set(false);
            int ok = logins.get(30, TimeUnit.SECONDS);
            pool.shutdown();
            assertTrue(ok >= 20, ok + " logins succeeded during the attack");
            assertTrue(failures.isEmpty(), "logins failed during the attack: " + failures);
            for (int i = 0; i < 20; i++) {
                assertTrue(RawHttp.send("127.0.0.251", app.port, "POST", LOGIN, null,
                        SignedLogin.as(Callers.DEV).body()).startsWith("200"), "a login after the attack");
            }
            assertTrue(RawHttp.send("127.0.0.251", app.port, "GET", "/q/health/ready", null, null).startsWith("200"));
            assertFalse(app.output().contains("java.lang.OutOfMemoryError"), app.output());
        }
    }
}
