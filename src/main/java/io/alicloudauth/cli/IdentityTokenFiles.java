package io.alicloudauth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Identity tokens in files, for the SDKs that read a web identity token from one ({@code AWS_WEB_IDENTITY_TOKEN_FILE},
 * GCP's {@code credential_source.file}, {@code AZURE_FEDERATED_TOKEN_FILE}): the agent's {@code --identity-token
 * ROLE=PATH}. Each file is written atomically with the sink's mode and renewed at about half the token's life; a
 * failure leaves the last good token in place and is retried with backoff, as the token sink is.
 */
final class IdentityTokenFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One identity token from the server: the JWT, its audience and when it expires. */
    record Minted(String jwt, String clientId, Instant expires, JsonNode answer) {
    }

    /** {@code GET identity/oidc/token/:role} with the auth token; the JWT's own {@code exp} says when it expires. */
    static Minted mint(String address, String token, String role, Duration deadline) throws LoginCommand.Failure {
        JsonNode answer = LoginCommand.get(address, "/v1/identity/oidc/token/" + role, token,
                "identity token " + role, deadline);
        String jwt = answer.path("data").path("token").asText("");
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new LoginCommand.Failure("the server's answer to identity token " + role + " holds no JWT");
        }
        long exp;
        try {
            exp = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("exp").asLong(0);
        } catch (IOException | IllegalArgumentException e) {
            exp = 0;
        }
        if (exp <= 0) {
            throw new LoginCommand.Failure("the identity token " + role + " has no exp claim");
        }
        return new Minted(jwt, answer.path("data").path("client_id").asText(""), Instant.ofEpochSecond(exp), answer);
    }

    /** One {@code ROLE=PATH}: where it goes, and when it is next due. */
    private static final class Target {
        final String role;
        final Path path;
        Instant due = Instant.EPOCH;
        Instant expires = Instant.EPOCH;
        Duration backoff = AgentCommand.MIN_BACKOFF;

        Target(String role, Path path) {
            this.role = role;
            this.path = path;
        }
    }

    private final List<Target> targets = new ArrayList<>();
    private final Set<PosixFilePermission> mode;
    private final Consumer<String> event;

    IdentityTokenFiles(List<String> specs, Set<PosixFilePermission> mode, Consumer<String> event)
            throws LoginCommand.Usage {
        this.mode = mode;
        this.event = event;
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String role = eq < 0 ? "" : spec.substring(0, eq).trim();
            String file = eq < 0 ? "" : spec.substring(eq + 1).trim();
            if (role.isEmpty() || file.isEmpty() || !role.matches("\\w([\\w.-]{0,126}\\w)?")) {
                throw new LoginCommand.Usage("--identity-token takes ROLE=PATH (an identity/oidc role, a file)");
            }
            targets.add(new Target(role, Path.of(file).toAbsolutePath()));
        }
    }

    boolean isEmpty() {
        return targets.isEmpty();
    }

    /** The first of them whose directory does not exist, or null. */
    Path missingDirectory() {
        for (Target t : targets) {
            if (!Files.isDirectory(t.path.getParent())) {
                return t.path.getParent();
            }
        }
        return null;
    }

    /** When the next one is due (far away when there are none). */
    Instant nextDue() {
        Instant next = Instant.MAX;
        for (Target t : targets) {
            next = t.due.isBefore(next) ? t.due : next;
        }
        return next;
    }

    /** Mints and writes every one that is due, with {@code token}; true when none failed. */
    boolean refreshDue(String address, String token, Duration deadline) {
        boolean ok = true;
        for (Target t : targets) {
            if (Instant.now().isBefore(t.due)) {
                continue;
            }
            try {
                Minted m = mint(address, token, t.role, deadline);
                AgentCommand.writeAtomically(t.path, m.jwt(), mode);
                t.expires = m.expires();
                long life = Math.max(2, Duration.between(Instant.now(), m.expires()).toSeconds());
                t.due = Instant.now().plusSeconds(Math.max(1, life / 2));
                t.backoff = AgentCommand.MIN_BACKOFF;
                event.accept("identity token " + t.role + " written to " + t.path + "; expires in " + life
                        + "s, renewed in " + Math.max(1, life / 2) + "s");
            } catch (LoginCommand.Failure | IOException e) {
                ok = false;
                t.due = Instant.now().plus(AgentCommand.jitter(t.backoff));
                event.accept("identity token " + t.role + " failed (" + e.getMessage() + "); retrying in "
                        + AgentCommand.seconds(t.due)
                        + (Instant.now().isBefore(t.expires) ? "; " + t.path + " keeps the current one" : ""));
                t.backoff = AgentCommand.longer(t.backoff);
            }
        }
        return ok;
    }
}
