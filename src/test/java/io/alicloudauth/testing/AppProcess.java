package io.alicloudauth.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service as a separate process, as an operator runs it: started, probed, stopped or killed. */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    public final int port;
    /** The management interface's port (metrics), a free one of its own for each instance. */
    public final int managementPort;

    private AppProcess(Process process, Path output, int port, int managementPort) {
        this.process = process;
        this.output = output;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts {@code jar} with the environment given, and waits until its readiness probe answers 200. */
    public static AppProcess start(Path jar, Map<String, String> env) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return start(jar, env, freePort());
            } catch (IllegalStateException e) {
                // A port found free was taken before the service bound it (by another process starting meanwhile):
                // try again on other ports. Anything else is the test's business.
                if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains("seems to be in use")) {
                    throw e;
                }
            }
        }
    }

    /** The same on a given port (a restart where clients expect the service). */
    public static AppProcess start(Path jar, Map<String, String> env, int port) throws Exception {
        Path output = Files.createTempFile("alicloud-auth-", ".out");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(withSealKey(env));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        int management = freePort();
        while (management == port) { // a port just released may be handed out again
            management = freePort();
        }
        builder.environment().putIfAbsent("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        AppProcess app = new AppProcess(builder.start(), output, port,
                Integer.parseInt(builder.environment().get("QUARKUS_MANAGEMENT_PORT")));
        app.awaitReady();
        return app;
    }

    /** Starts {@code jar} expecting it to refuse to start: answers its exit code and output. */
    public static String refused(Path jar, Map<String, String> env) throws Exception {
        Path output = Files.createTempFile("alicloud-auth-", ".out");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(withSealKey(env));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort()));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the service started although it should have refused:\n"
                    + Files.readString(output));
        }
        return "exit " + process.exitValue() + "\n" + Files.readString(output);
    }

    /**
     * A PostgreSQL store needs a seal key, the same for every instance: the tests' own unless the test gives one
     * (or says {@code ALICLOUD_AUTH_SEAL_KEY=""} to have none).
     */
    static Map<String, String> withSealKey(Map<String, String> env) {
        Map<String, String> out = new java.util.HashMap<>(env);
        if (out.getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "").startsWith("jdbc:postgresql:")
                && !out.containsKey("ALICLOUD_AUTH_SEAL_KEY") && !out.containsKey("ALICLOUD_AUTH_SEAL_KEY_FILE")) {
            out.put("ALICLOUD_AUTH_SEAL_KEY", PostgresProfile.SEAL_KEY);
        }
        out.values().removeIf(String::isEmpty);
        return out;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The management interface, where {@code /q/metrics} is served. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    /** SIGTERM, and wait for the process to end. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hooks, no chance to flush anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private void awaitReady() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                                .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        kill();
        throw new IllegalStateException("the service did not become ready in 60s:\n" + output());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
