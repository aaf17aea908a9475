package io.alicloudauth.cli;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.alicloudauth.testing.AppProcess;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.restassured.http.ContentType;

/**
 * The packaged {@code agent} command as a process against the packaged service with short TTLs: renewals, a new
 * login when the max TTL caps the lease, recovery after the service was down, SIGTERM (with and without
 * revocation), and a sink file that a reader polling it all along never finds empty, partial or missing once written.
 */
class AgentIT {

    @TempDir
    Path dir;

    private AppProcess service(int port) throws Exception {
        return AppProcess.start(LoginCommandIT.JAR, Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"),
                "ALICLOUD_AUTH_ROOT_TOKEN", LoginCommandIT.ROOT), port);
    }

    private static void setUp(AppProcess app, String ttl, String maxTtl) {
        given().baseUri(app.url()).header("X-Vault-Token", LoginCommandIT.ROOT).contentType(ContentType.JSON)
                .body("{\"sts_endpoint\":\"" + FakeStsResource.sts().url() + "\"}").post("/v1/auth/alicloud/config")
                .then().statusCode(204);
        given().baseUri(app.url()).header("X-Vault-Token", LoginCommandIT.ROOT).contentType(ContentType.JSON)
                .body("{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_ttl\":\"" + ttl + "\",\"token_max_ttl\":\"" + maxTtl
                        + "\"}").post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
    }

    /** The agent as a process; its stderr lines collected as they come. */
    private record Agent(Process process, List<String> lines) {

        boolean await(Predicate<String> line, Duration within) throws InterruptedException {
            Instant end = Instant.now().plus(within);
            while (Instant.now().isBefore(end)) {
                if (lines.stream().anyMatch(line)) {
                    return true;
                }
                Thread.sleep(50);
            }
            return false;
        }

        long count(String part) {
            return lines.stream().filter(l -> l.contains(part)).count();
        }
    }

    private Agent agent(String address, String... extra) throws Exception {
        return agent(address, Map.of(), extra);
    }

    /** {@code envChanges}: variables to set, or with an empty value to remove. */
    private Agent agent(String address, Map<String, String> envChanges, String... extra) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", LoginCommandIT.JAR.toString(), "agent", "--role",
                "dev-role", "--region", "cn-hangzhou", "--address", address, "--sink-file",
                dir.resolve("sink/token").toString()));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(Map.of("HOME", dir.toString(), "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true",
                "ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.DEV.accessKeyId(),
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.DEV.secret(),
                "ALIBABA_CLOUD_SECURITY_TOKEN", Callers.DEV.securityToken()));
        envChanges.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Agent(process, lines);
    }

    @Test
    void keepsTheSinkFreshThroughRenewalsMaxTtlAndAnOutage() throws Exception {
        Files.createDirectories(dir.resolve("sink"));
        Path sink = dir.resolve("sink/token");
        AppProcess app = service(freePort());
        int port = app.port;
        setUp(app, "3s", "7s");
        Agent agent = agent(app.url());

        // A reader polls the sink all along: once written it is always one whole token.
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        AtomicInteger reads = new AtomicInteger();
        List<String> bad = new CopyOnWriteArrayList<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            boolean seen = false;
            while (polling.get()) {
                try {
                    String text = Files.readString(sink);
                    seen = true;
                    reads.incrementAndGet();
                    if (!text.matches("hvs\\.[A-Za-z0-9_-]{20,}")) {
                        bad.add("'" + text + "'");
                    }
                    tokens.add(text);
                } catch (NoSuchFileException e) {
                    if (seen) {
                        bad.add("missing");
                    }
                } catch (java.io.IOException e) {
                    bad.add(e.toString());
                }
            }
        });
        poller.start();
        try {
            assertTrue(agent.await(l -> l.contains("logged in as role dev-role with credentials from default/env"),
                    Duration.ofSeconds(30)), agent.lines().toString());
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sink)));
            given().baseUri(app.url()).header("X-Vault-Token", Files.readString(sink)).get("/v1/auth/token/lookup-self")
                    .then().statusCode(200);

            // ttl 3s, max 7s: renewals, then a renewal capped by the max TTL, then a new login.
            assertTrue(agent.await(l -> l.contains("capped by the max TTL"), Duration.ofSeconds(20)), agent.lines().toString());
            assertTrue(agent.count("renewed: lease 3s") >= 1, agent.lines().toString());
            assertTrue(agent.await(l -> agent.count("logged in as role") >= 2, Duration.ofSeconds(20)),
                    agent.lines().toString());

            // The service goes away: the agent backs off, keeping its token; back on the same port, it recovers.
            app.close();
            assertTrue(agent.await(l -> l.contains("failed (cannot reach"), Duration.ofSeconds(20)),
                    agent.lines().toString());
            Thread.sleep(2000);
            long failures = agent.count("failed (cannot reach");
            assertTrue(failures <= 4, "backs off rather than looping: " + agent.lines());
            int before = agent.lines().size();
            app = service(port);
            assertTrue(agent.await(l -> agent.lines().subList(before, agent.lines().size()).stream()
                    .anyMatch(x -> x.contains("logged in as role") || x.contains("renewed: lease")), Duration.ofSeconds(30)),
                    agent.lines().toString());
            String token = Files.readString(sink);
            given().baseUri(app.url()).header("X-Vault-Token", token).get("/v1/auth/token/lookup-self").then()
                    .statusCode(200);

            // SIGTERM: exit 0 promptly, the token left valid (no --revoke-on-exit).
            agent.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stderr
            assertTrue(agent.process().waitFor(5, TimeUnit.SECONDS));
            assertEquals(0, agent.process().exitValue());
            assertTrue(agent.await(l -> l.equals("alicloud-auth agent: stopping"), Duration.ofSeconds(2)));
            given().baseUri(app.url()).header("X-Vault-Token", token).get("/v1/auth/token/lookup-self").then()
                    .statusCode(200);
        } finally {
            polling.set(false);
            poller.join();
            agent.process().destroyForcibly();
            app.close();
        }
        assertEquals(List.of(), bad, "the sink was read " + reads.get() + " times");
        assertTrue(tokens.size() >= 3, "tokens seen in the sink: " + tokens.size());
        for (String line : agent.lines()) {
            assertTrue(!line.contains(Callers.DEV.secret()) && !line.contains("hvs."), "no secret on stderr: " + line);
        }
        try (var listing = Files.list(dir.resolve("sink"))) {
            assertEquals(List.of(sink), listing.toList(), "no temporary file left behind");
        }
    }

    @Test
    void revokesOnExitAndExitsAfterAuthWhenAsked() throws Exception {
        Files.createDirectories(dir.resolve("sink"));
        Path sink = dir.resolve("sink/token");
        try (AppProcess app = service(freePort())) {
            setUp(app, "1h", "2h");
            Agent once = agent(app.url(), "--exit-after-auth", "--sink-mode", "0600");
            assertTrue(once.process().waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, once.process().exitValue(), once.lines().toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sink)));
            String first = Files.readString(sink);
            given().baseUri(app.url()).header("X-Vault-Token", first).get("/v1/auth/token/lookup-self").then()
                    .statusCode(200);

            Agent agent = agent(app.url(), "--revoke-on-exit");
            assertTrue(agent.await(l -> l.contains("logged in as role"), Duration.ofSeconds(30)), agent.lines().toString());
            String token = Files.readString(sink);
            agent.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stderr
            assertTrue(agent.process().waitFor(5, TimeUnit.SECONDS));
            assertEquals(0, agent.process().exitValue());
            assertTrue(agent.await(l -> l.equals("alicloud-auth agent: stopping: token revoked"), Duration.ofSeconds(2)),
                    agent.lines().toString());
            given().baseUri(app.url()).header("X-Vault-Token", token).get("/v1/auth/token/lookup-self").then()
                    .statusCode(403);
        }

        Agent refused = agent("http://127.0.0.1:1", "--sink-mode", "0644");
        assertTrue(refused.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, refused.process().exitValue());
        assertTrue(refused.await(l -> l.contains("--sink-mode must be 0600, 0640 or 0660"), Duration.ofSeconds(2)),
                refused.lines().toString());
        Agent executable = agent("http://127.0.0.1:1", "--sink-mode", "0700");
        assertTrue(executable.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, executable.process().exitValue());
    }

    @Test
    void sigtermEndsItWithinASecondWhileACredentialCommandHangs() throws Exception {
        Files.createDirectories(dir.resolve("sink"));
        Path script = dir.resolve("hang.sh");
        Files.writeString(script, "#!/bin/sh\n/bin/sleep 1919\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path config = Files.createDirectories(dir.resolve(".aliyun")).resolve("config.json");
        Files.writeString(config, "{\"current\":\"ext\",\"profiles\":[{\"name\":\"ext\",\"mode\":\"External\","
                + "\"process_command\":\"" + script + "\"}]}");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Agent agent = agent("http://127.0.0.1:1", Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", "", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                "", "ALIBABA_CLOUD_SECURITY_TOKEN", ""));
        long sleeper = -1;
        for (int i = 0; i < 200 && sleeper < 0; i++) {
            sleeper = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 1919"))
                    .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
            Thread.sleep(50);
        }
        assertTrue(sleeper > 0, "the credential command runs: " + agent.lines());
        long start = System.nanoTime();
        agent.process().toHandle().destroy();
        assertTrue(agent.process().waitFor(5, TimeUnit.SECONDS));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, agent.process().exitValue());
        assertTrue(millis < 1000, "exited " + millis + " ms after SIGTERM");
        Thread.sleep(300);
        assertTrue(!HostileSourcesTest.running(sleeper), "the credential command was killed");
    }

    @Test
    void aSinkThatCannotBeWrittenIsFoundBeforeLoggingIn() throws Exception {
        AppProcess app = service(freePort());
        try (app) {
            setUp(app, "1h", "2h");
            Path sink = dir.resolve("sink/token");
            Files.createDirectories(sink.resolve("in-the-way")); // the sink's path is a directory: no file can replace it
            int before = FakeStsResource.sts().requestCount();
            Agent agent = agent(app.url());
            assertTrue(agent.await(l -> l.contains("writing the sink failed") && l.contains("not logging in"),
                    Duration.ofSeconds(20)), agent.lines().toString());
            Thread.sleep(2500); // at least one retry
            assertEquals(before, FakeStsResource.sts().requestCount(), "no login while the sink cannot be written");
            assertEquals(0, agent.count("login failed"), agent.lines().toString());
            Files.delete(sink.resolve("in-the-way"));
            Files.delete(sink);
            assertTrue(agent.await(l -> l.contains("logged in as role"), Duration.ofSeconds(20)), agent.lines().toString());
            assertEquals(before + 1, FakeStsResource.sts().requestCount(), "one login, once the sink could be written");
            given().baseUri(app.url()).header("X-Vault-Token", Files.readString(sink)).get("/v1/auth/token/lookup-self")
                    .then().statusCode(200);
            agent.process().toHandle().destroy();
            assertTrue(agent.process().waitFor(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void keepsIdentityTokenFilesFreshForTheSdksThatReadThem() throws Exception {
        Files.createDirectories(dir.resolve("sink"));
        Files.createDirectories(dir.resolve("ids"));
        Path aws = dir.resolve("ids/aws.jwt");
        Path later = dir.resolve("ids/later.jwt");
        try (AppProcess app = service(freePort())) {
            setUp(app, "1h", "2h");
            java.util.function.Supplier<io.restassured.specification.RequestSpecification> root = () -> given()
                    .baseUri(app.url()).header("X-Vault-Token", LoginCommandIT.ROOT).contentType(ContentType.JSON);
            root.get().body(Map.of("policy", "path \"identity/oidc/token/*\" { capabilities = [\"read\"] }"))
                    .put("/v1/sys/policies/acl/reader").then().statusCode(204);
            root.get().body(Map.of("token_policies", "reader")).post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
            root.get().body(Map.of("issuer", app.url())).post("/v1/identity/oidc/config").then().statusCode(200);
            root.get().body(Map.of("rotation_period", "1m", "verification_ttl", "10s", "allowed_client_ids", "*"))
                    .post("/v1/identity/oidc/key/short").then().statusCode(204);
            root.get().body(Map.of("key", "short", "ttl", "4s", "client_id", "sts.amazonaws.com"))
                    .post("/v1/identity/oidc/role/aws").then().statusCode(204);

            Agent agent = agent(app.url(), "--sink-mode", "0600", "--identity-token", "aws=" + aws,
                    "--identity-token=later=" + later);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            List<String> bad = new CopyOnWriteArrayList<>();
            try {
                assertTrue(agent.await(l -> l.contains("identity token aws written to " + aws), Duration.ofSeconds(30)),
                        agent.lines().toString());
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(aws)));
                // For 9 s (over two lifetimes of 4 s) the file always holds a whole token that verifies, never expired.
                Instant end = Instant.now().plusSeconds(9);
                while (Instant.now().isBefore(end)) {
                    String jwt = Files.readString(aws);
                    try {
                        JWTClaimsSet claims = verify(app, jwt);
                        if (claims.getExpirationTime().toInstant().isBefore(Instant.now())) {
                            bad.add("expired: " + claims.getExpirationTime());
                        }
                        seen.add(jwt);
                    } catch (Exception e) {
                        bad.add(e.toString());
                    }
                    Thread.sleep(100);
                }
                assertEquals(List.of(), bad);
                assertTrue(seen.size() >= 3, "renewed at about half its life: " + seen.size() + " tokens seen");

                // A role that does not exist yet: retried with backoff, the other file unaffected; then it recovers.
                assertTrue(agent.count("identity token later failed (identity token later refused (HTTP 400)") >= 1,
                        agent.lines().toString());
                assertTrue(!Files.exists(later));
                root.get().body(Map.of("key", "short", "ttl", "4s")).post("/v1/identity/oidc/role/later").then().statusCode(204);
                assertTrue(agent.await(l -> l.contains("identity token later written to " + later),
                        Duration.ofSeconds(30)), agent.lines().toString());
                verifySignature(app, Files.readString(later));
            } finally {
                agent.process().toHandle().destroy();
                assertTrue(agent.process().waitFor(5, TimeUnit.SECONDS));
            }
            for (String line : agent.lines()) {
                assertTrue(!line.contains("eyJ"), "no JWT on stderr: " + line);
            }
            try (var listing = Files.list(dir.resolve("ids"))) {
                assertEquals(Set.of(aws, later), Set.copyOf(listing.toList()), "no temporary file left behind");
            }

            // login --identity-token: one JWT on stdout for a script, the client token revoked after.
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder login = new ProcessBuilder(java, "-jar", LoginCommandIT.JAR.toString(), "login", "--role",
                    "dev-role", "--region", "cn-hangzhou", "--address", app.url(), "--identity-token", "aws");
            login.environment().putAll(Map.of("HOME", dir.toString(), "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true",
                    "ALIBABA_CLOUD_ACCESS_KEY_ID", Callers.DEV.accessKeyId(),
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Callers.DEV.secret(),
                    "ALIBABA_CLOUD_SECURITY_TOKEN", Callers.DEV.securityToken()));
            login.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = login.start();
            String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            assertEquals("sts.amazonaws.com", verify(app, printed).getAudience().get(0));
        }
    }

    /** nimbus-jose-jwt against the JWKS the service serves: signature, issuer, audience, expiry. */
    private static JWTClaimsSet verify(AppProcess app, String jwt) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(
                JWKSet.load(java.net.URI.create(app.url() + "/v1/identity/oidc/.well-known/keys").toURL()))));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("sts.amazonaws.com",
                new JWTClaimsSet.Builder().issuer(app.url() + "/v1/identity/oidc").build(), Set.of("sub", "exp")));
        return p.process(jwt, null);
    }

    private static void verifySignature(AppProcess app, String jwt) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(
                JWKSet.load(java.net.URI.create(app.url() + "/v1/identity/oidc/.well-known/keys").toURL()))));
        p.process(jwt, null);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
