package io.alicloudauth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CLI profile mode {@code External}: runs {@code process_command} (split at spaces, no shell, as the
 * {@code aliyun} CLI does), waits at most 60 seconds, and reads
 * {@code {"mode":"AK"|"StsToken","access_key_id":..,"access_key_secret":..,"sts_token":..,"expiration":..}} from
 * its standard output. Its standard error is passed through.
 */
final class ExternalProcess {

    static final long TIMEOUT_SECONDS = 60;
    private static final int MAX_OUTPUT = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExternalProcess() {
    }

    static Credentials run(String command, String at, String source) throws IOException {
        List<String> words = Arrays.stream(command.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        Process process;
        try {
            process = new ProcessBuilder(words).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IOException(at + ": cannot run " + Printable.of(words.get(0)));
        }
        byte[] output;
        try (InputStream out = process.getInputStream()) {
            output = out.readNBytes(MAX_OUTPUT + 1);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(at + ": the command did not finish within " + TIMEOUT_SECONDS + " seconds");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(at + ": interrupted");
        }
        if (process.exitValue() != 0) {
            throw new IOException(at + ": the command exited with status " + process.exitValue());
        }
        if (output.length > MAX_OUTPUT) {
            throw new IOException(at + ": the command printed more than 64 KiB");
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
