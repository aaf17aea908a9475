package io.alicloudauth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeSts;

/**
 * Credential sources that answer as an attacker would (issue #16, findings 3, 5 and 7): endless or dripped answers,
 * a command that never prints, a FIFO where a file should be, secrets on the command line, userinfo in a URL.
 */
class HostileSourcesTest {

    @TempDir
    Path dir;
    HttpServer server;
    final AtomicLong sent = new AtomicLong();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A server whose every answer is 200 without a length and goes on for ever in 1 MiB blocks, or drips. */
    private String hostile(boolean drip) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] block = drip ? new byte[] { '{' } : new byte[1024 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write(block);
                    out.flush();
                    sent.addAndGet(block.length);
                    if (drip) {
                        Thread.sleep(1000);
                    }
                }
            } catch (IOException | InterruptedException gone) {
                // the client stopped reading
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static long millisOf(ThrowingRunnable call) throws Exception {
        long start = System.nanoTime();
        try {
            call.run();
        } catch (IOException expected) {
            // measured either way
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void anEndlessMetadataTokenIsCutAtTheCap() throws Exception {
        String base = hostile(false);
        IOException e = assertThrows(IOException.class,
                () -> new HttpSources(Map.of()).metadata(base, null, "default/ecs_ram_role"));
        assertTrue(e.getMessage().contains("larger than 64 KiB"), e.getMessage());
        Thread.sleep(300);
        assertTrue(sent.get() < 16L * 1024 * 1024, sent.get() + " bytes were sent before the client stopped");
    }

    @Test
    void aDrippedMetadataAnswerEndsAtItsDeadline() throws Exception {
        String base = hostile(true);
        long millis = millisOf(() -> new HttpSources(Map.of()).metadata(base, "role", "default/ecs_ram_role"));
        assertTrue(millis < 3500, "took " + millis + " ms; each metadata call has 2 s");
    }

    @Test
    void aDrippedCredentialsUriEndsAtItsDeadlineAndItsUserInfoIsNeverShown() throws Exception {
        String base = hostile(true).replace("http://", "http://user:hunter2@") + "/creds?token=s3cret";
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> new HttpSources(Map.of()).uri(base, "x"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 7000, "took " + millis + " ms; the credentials URI has 5 s");
        assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("user:")
                || e.getMessage().contains("s3cret") || e.getMessage().contains("/creds"), e.getMessage());
        assertTrue(e.getMessage().startsWith("http://127.0.0.1:"), e.getMessage());
    }

    @Test
    void anExternalCommandThatNeverPrintsIsKilledWithWhatItStartedAtTheDeadline() throws Exception {
        Path marker = dir.resolve("child.pid");
        Path script = dir.resolve("hang.sh");
        Files.writeString(script, "#!/bin/sh\n/bin/sleep 1717 &\necho $! > " + marker + "\nwait\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> ExternalProcess.run(script.toString(), "profile", "x", 2));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.getMessage().contains("did not finish within 2 seconds"), e.getMessage());
        assertTrue(millis < 4000, "took " + millis + " ms");
        long child = Long.parseLong(Files.readString(marker).trim());
        Thread.sleep(300);
        assertFalse(running(child), "the command's child was killed");
    }

    /** Alive and not a zombie (a killed orphan waits for a PID 1 that may never reap it in a container). */
    static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        return !text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
    }

    @Test
    void anExternalCommandGetsAMinimalEnvironmentAndAnAbsolutePath() throws Exception {
        Path seen = dir.resolve("env.txt");
        Path script = dir.resolve("creds.sh");
        Files.writeString(script, "#!/bin/sh\n/usr/bin/env > " + seen + "\necho '{\"mode\":\"AK\",\"access_key_id\":\"k\","
                + "\"access_key_secret\":\"s\"}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertEquals("k", ExternalProcess.run(script.toString(), "profile", "x").accessKeyId());
        Set<String> allowed = new java.util.HashSet<>(ExternalProcess.ENVIRONMENT);
        allowed.addAll(List.of("PWD", "SHLVL", "_", "OLDPWD"));
        for (String line : Files.readAllLines(seen)) {
            String name = line.substring(0, Math.max(0, line.indexOf('=')));
            assertTrue(allowed.contains(name), "the command saw " + name);
        }
        IOException relative = assertThrows(IOException.class, () -> ExternalProcess.run("creds.sh", "profile", "x"));
        assertTrue(relative.getMessage().contains("absolute path"), relative.getMessage());
    }

    @Test
    void aFifoWhereAProfileShouldBeIsRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("config.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> ProfileFiles.readCli(fifo, new java.util.ArrayList<>()));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2000);
    }

    @Test
    void secretsComeFromFilesOrStandardInputAndAreWarnedAboutOnTheCommandLine() throws Exception {
        FakeSts sts = new FakeSts().add(Callers.DEV);
        try {
            Path secret = dir.resolve("secret");
            Files.writeString(secret, Callers.DEV.secret() + "\n");
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Map<String, String> env = Map.of("HOME", dir.toString(), "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
            String[] fromFile = { "--role", "dev-role", "--region", "cn-hangzhou", "--format", "login-data",
                    "--access-key", Callers.DEV.accessKeyId(), "--secret-key-file", secret.toString(),
                    "--security-token", Callers.DEV.securityToken() };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, LoginCommand.run(fromFile, env, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true), new PrintStream(err, true)), err.toString());
            LoginCommandTest.assertSignedBy(Callers.DEV, LoginCommandTest.signedQuery(out.toString()));
            assertTrue(err.toString().contains("--security-token on the command line can be read by other local users"),
                    err.toString());
            assertFalse(err.toString().contains("--secret-key on the command line"), err.toString());

            String[] fromStdin = { "--role", "dev-role", "--region", "cn-hangzhou", "--format", "login-data",
                    "--access-key", Callers.DEV.accessKeyId(), "--secret-key-file", "-" };
            out.reset();
            err.reset();
            assertEquals(0, LoginCommand.run(fromStdin, env, new ByteArrayInputStream(
                    (Callers.DEV.secret() + "\n").getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true),
                    new PrintStream(err, true)), err.toString());
            assertTrue(err.toString().isEmpty(), err.toString());
            assertFalse(out.toString().contains(Callers.DEV.secret()));

            err.reset();
            String[] both = { "--role", "r", "--region", "cn-hangzhou", "--access-key", "k", "--secret-key", "s",
                    "--secret-key-file", secret.toString() };
            assertEquals(2, LoginCommand.run(both, env, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true), new PrintStream(err, true)));
        } finally {
            sts.stop();
        }
    }
}
