package io.alicloudauth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CLI profile mode {@code External}: runs {@code process_command} (split at spaces, no shell, as the
 * {@code aliyun} CLI does), waits at most 60 seconds, and reads
 * {@code {"mode":"AK"|"StsToken","access_key_id":..,"access_key_secret":..,"sts_token":..,"expiration":..}} from
 * its standard output. Its standard error is passed through. The command must be named by its absolute path (no
 * PATH lookup) and gets a minimal environment ({@link #ENVIRONMENT}): never the caller's keys or tokens.
 */
final class ExternalProcess {

    static final long TIMEOUT_SECONDS = 60;
    private static final int MAX_OUTPUT = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExternalProcess() {
    }

    /** The command and every process it started, at once. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** What the command gets of the environment: enough to run, none of the caller's secrets or tokens. */
    static final List<String> ENVIRONMENT = List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "TMPDIR");

    static Credentials run(String command, String at, String source) throws IOException {
        return run(command, at, source, TIMEOUT_SECONDS);
    }

    /** The same, the whole run (output and exit) within {@code timeoutSeconds}. */
    static Credentials run(String command, String at, String source, long timeoutSeconds) throws IOException {
        List<String> words = Arrays.stream(command.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty() || !Path.of(words.get(0)).isAbsolute()) {
            throw new IOException(at + ": process_command must start with the command's absolute path (it is not"
                    + " looked up in PATH)");
        }
        ProcessBuilder builder = new ProcessBuilder(words).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> environment = builder.environment();
        Map<String, String> kept = new HashMap<>();
        for (String name : ENVIRONMENT) {
            if (environment.containsKey(name)) {
                kept.put(name, environment.get(name));
            }
        }
        environment.clear();
        environment.putAll(kept);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(at + ": cannot run " + Printable.of(words.get(0)));
        }
        // Its output is read on a thread of its own, so that the deadline holds whether the command prints nothing,
        // prints without end or never exits; after it, the command and everything it started are killed.
        CompletableFuture<byte[]> printed = CompletableFuture.supplyAsync(() -> {
            try (InputStream out = process.getInputStream()) {
                return out.readNBytes(MAX_OUTPUT + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> {
            Thread reader = new Thread(runnable, "external-credentials-reader");
            reader.setDaemon(true);
            reader.start();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        byte[] output;
        try {
            output = printed.get(timeoutSeconds, TimeUnit.SECONDS);
            if (output.length > MAX_OUTPUT) {
                kill(process);
                throw new IOException(at + ": the command printed more than 64 KiB");
            }
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                kill(process);
                throw new IOException(at + ": the command did not finish within " + timeoutSeconds + " seconds");
            }
        } catch (TimeoutException e) {
            kill(process);
            throw new IOException(at + ": the command did not finish within " + timeoutSeconds + " seconds");
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(at + ": interrupted");
        } catch (ExecutionException e) {
            kill(process);
            throw new IOException(at + ": the command's output cannot be read");
        }
        if (process.exitValue() != 0) {
            throw new IOException(at + ": the command exited with status " + process.exitValue());
        }
        JsonNode body;
        try {
            body = JSON.readTree(new String(output, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(at + ": the command did not print JSON");
        }
        String mode = StsCalls.text(body, "mode");
        String key = StsCalls.text(body, "access_key_id");
        String secret = StsCalls.text(body, "access_key_secret");
        String token = StsCalls.text(body, "sts_token");
        boolean sts = "StsToken".equals(mode);
        if (!("AK".equals(mode) || sts) || !StsCalls.present(key) || !StsCalls.present(secret)
                || (sts && !StsCalls.present(token))) {
            throw new IOException(at + ": the command's JSON needs mode AK or StsToken, access_key_id,"
                    + " access_key_secret (and sts_token for StsToken)");
        }
        return new Credentials(key, secret, sts ? token : null, StsCalls.expiration(StsCalls.text(body, "expiration")),
                source);
    }
}
