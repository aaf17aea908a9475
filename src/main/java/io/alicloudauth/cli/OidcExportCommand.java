package io.alicloudauth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code oidc-export}: the discovery document and JWKS, as files a private issuer can host statically (an OSS
 * bucket, a CDN behind the public issuer URL) or upload (GCP workload identity federation's {@code jwksJson}). Both
 * come from the unauthenticated well-known paths, so no token is needed; run it after every rotation (the next key is
 * published a whole rotation period before it signs, which is the time allowed to upload).
 */
public final class OidcExportCommand {

    static final String USAGE = """
            Usage: alicloud-auth oidc-export --out DIR [--address URL]

            Writes, for static hosting under the issuer URL (identity/oidc/config issuer + /v1/identity/oidc):
              DIR/.well-known/openid-configuration   the discovery document, as served
              DIR/.well-known/keys                   the JWKS, as served
              DIR/gcp-jwks.json                      the JWKS with only the fields GCP accepts in an uploaded
                                                     one (kty alg use kid n e x y crv); GCP takes at most 8 keys

              --out DIR       where to write (created if missing)
              --address URL   the server (default $VAULT_ADDR, then http://127.0.0.1:8080)
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GCP_FIELDS = Set.of("kty", "alg", "use", "kid", "n", "e", "x", "y", "crv");
    static final int GCP_MAX_KEYS = 8;

    private OidcExportCommand() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        Map<String, String> options;
        try {
            options = LoginCommand.parse(args, Set.of("out", "address"));
            if (options.getOrDefault("out", "").isBlank()) {
                throw new LoginCommand.Usage("--out is required");
            }
        } catch (LoginCommand.Usage e) {
            err.println("alicloud-auth oidc-export: " + e.getMessage() + " (see --help)");
            return 2;
        }
        String address = options.getOrDefault("address", env.getOrDefault("VAULT_ADDR", "http://127.0.0.1:8080"))
                .replaceAll("/+$", "");
        Path dir = Path.of(options.get("out"));
        try {
            Duration deadline = LoginCommand.SERVER_TIMEOUT;
            JsonNode discovery = LoginCommand.get(address, "/v1/identity/oidc/.well-known/openid-configuration", null,
                    "the discovery document", deadline);
            JsonNode keys = LoginCommand.get(address, "/v1/identity/oidc/.well-known/keys", null, "the JWKS", deadline);
            ArrayNode gcp = JSON.createArrayNode();
            for (JsonNode key : keys.path("keys")) {
                ObjectNode kept = JSON.createObjectNode();
                for (Map.Entry<String, JsonNode> f : key.properties()) {
                    if (GCP_FIELDS.contains(f.getKey())) {
                        kept.set(f.getKey(), f.getValue());
                    }
                }
                gcp.add(kept);
            }
            Path wellKnown = dir.resolve(".well-known");
            Files.createDirectories(wellKnown);
            var mode = PosixFilePermissions.fromString("rw-r--r--"); // public documents
            AgentCommand.writeAtomically(wellKnown.resolve("openid-configuration"), discovery.toString(), mode);
            AgentCommand.writeAtomically(wellKnown.resolve("keys"), keys.toString(), mode);
            AgentCommand.writeAtomically(dir.resolve("gcp-jwks.json"),
                    JSON.createObjectNode().set("keys", gcp).toString(), mode);
            out.println("issuer " + discovery.path("issuer").asText() + ": " + keys.path("keys").size()
                    + " keys written to " + dir);
            if (gcp.size() > GCP_MAX_KEYS) {
                err.println("alicloud-auth oidc-export: " + gcp.size() + " keys: GCP takes at most " + GCP_MAX_KEYS
                        + " in an uploaded JWKS (fewer keys or a shorter verification_ttl)");
            }
            return 0;
        } catch (LoginCommand.Failure e) {
            err.println("alicloud-auth oidc-export: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("alicloud-auth oidc-export: cannot write " + dir + ": " + e.getMessage());
            return 1;
        }
    }
}
