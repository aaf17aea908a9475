package io.alicloudauth.bench;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.alicloudauth.cli.LoginData;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;

/**
 * Helpers for {@code src/bench/run.sh} (not a test): {@code sts PORTFILE} runs the STS stand-in (the same
 * {@code FakeSts} the tests use: real signature, nonce and timestamp checks, no artificial delay) until killed,
 * writing its port to PORTFILE; {@code data N DIR} writes N distinct signed login bodies and N matching direct STS
 * request paths (one per line), since every signed request may be used once; {@code relay PORTFILE URL [worker]}
 * runs {@link Relay}, the least any login service does, to measure what is left for the service on this machine.
 */
public final class BenchTools {

    private BenchTools() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sts")) {
            var sts = FakeStsResource.sts();
            sts.recordNothing(); // sent hundreds of thousands of requests: keeping each would only grow its heap
            if (args.length > 2) {
                sts.delay(java.time.Duration.ofMillis(Long.parseLong(args[2]))); // a realistic STS: milliseconds away
            }
            Files.writeString(Path.of(args[1]), sts.url().substring(sts.url().lastIndexOf(':') + 1));
            Thread.currentThread().join();
        } else if (args[0].equals("data")) {
            int n = Integer.parseInt(args[1]);
            Path dir = Path.of(args[2]);
            Files.createDirectories(dir);
            String headers = "{\"User-Agent\":[\"bench\"],\"x-acs-action\":[\"GetCallerIdentity\"]}";
            try (BufferedWriter bodies = Files.newBufferedWriter(dir.resolve("login-bodies.txt"), StandardCharsets.UTF_8);
                    BufferedWriter paths = Files.newBufferedWriter(dir.resolve("sts-paths.txt"), StandardCharsets.UTF_8)) {
                Instant now = Instant.now();
                for (int i = 0; i < n; i++) {
                    Map<String, String> query = LoginData.signedQuery(Callers.DEV.accessKeyId(), Callers.DEV.secret(),
                            Callers.DEV.securityToken(), "cn-hangzhou", now, UUID.randomUUID().toString());
                    String url = LoginData.url("sts.cn-hangzhou.aliyuncs.com", query);
                    Map<String, String> body = LoginData.body("dev-role", url, headers);
                    bodies.write("{\"role\":\"dev-role\",\"identity_request_url\":\"" + body.get("identity_request_url")
                            + "\",\"identity_request_headers\":\"" + body.get("identity_request_headers") + "\"}\n");
                    Map<String, String> direct = LoginData.signedQuery(Callers.DEV.accessKeyId(), Callers.DEV.secret(),
                            Callers.DEV.securityToken(), "cn-hangzhou", now, UUID.randomUUID().toString());
                    String directUrl = LoginData.url("x", direct);
                    paths.write(directUrl.substring(directUrl.indexOf("/?")) + "\n");
                }
            }
        } else if (args[0].equals("relay")) {
            Relay.start(Path.of(args[1]), java.net.URI.create(args[2]), args.length > 3 && args[3].equals("worker"));
            Thread.currentThread().join();
        } else {
            throw new IllegalArgumentException("usage: sts PORTFILE [DELAY_MS] | data N DIR | relay PORTFILE URL [worker]");
        }
    }
}
