package io.alicloudauth.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code agent}: keeps a token fresh in a sink file, as Vault Agent's {@code alicloud} auto-auth with a file sink
 * does. Logs in (credentials found afresh each time: RRSA token files and ECS credentials rotate), writes the token
 * atomically, renews it with {@code renew-self} at about two thirds of its lease, logs in again when renewal is
 * refused, the token is not renewable or its max TTL is near, and backs off with jitter when the server or STS
 * fails, leaving the last good token in the sink. SIGTERM ends it with exit 0 ({@code --revoke-on-exit} revokes the
 * token first). One line on stderr per event; never a secret.
 */
public final class AgentCommand {

    static final String USAGE = """
            Usage: alicloud-auth agent --role ROLE --region REGION --sink-file PATH [options]

            Logs in, writes the token to PATH (a temporary file renamed over it: never a partial token),
            renews it at about two thirds of its lease, and logs in again when renewal is refused or the
            max TTL is near. Runs until SIGTERM.

              --sink-file PATH          where the token is written (required)
              --sink-mode MODE          its permissions: 0600, 0640 (default) or 0660
              --exit-after-auth         write the first token and exit
              --revoke-on-exit          revoke the token on SIGTERM before exiting
              --identity-token ROLE=PATH
                                        also keep an identity token (identity/oidc/token/ROLE) fresh at PATH,
                                        written like the sink and renewed at about half its life; repeatable.
                                        For AWS_WEB_IDENTITY_TOKEN_FILE, GCP's credential_source.file,
                                        AZURE_FEDERATED_TOKEN_FILE
              --role, --region, --address, --mount, --access-key, --secret-key-file, --security-token-file,
              --secret-key, --security-token, --role-arn, --role-session-name, --external-id, --ecs-role,
              --metadata-endpoint, --signature-version, --server-id
                                        as for login (alicloud-auth login --help), credentials found the same way
            """;

    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final Duration REVOKE_DEADLINE = Duration.ofMillis(700);
    private static final Set<String> FLAGS = Set.of("exit-after-auth", "revoke-on-exit");

    private final LoginCommand.Target target;
    private final Map<String, String> options;
    private final Map<String, String> env;
    private final Path sink;
    private final Set<PosixFilePermission> mode;
    private final PrintStream err;
    private final IdentityTokenFiles identities;
    private final Object wake = new Object();
    private volatile boolean stopping;
    private volatile Thread looping;

    private AgentCommand(LoginCommand.Target target, Map<String, String> options, Map<String, String> env, Path sink,
            Set<PosixFilePermission> mode, List<String> identityTokens, PrintStream err) throws LoginCommand.Usage {
        this.identities = new IdentityTokenFiles(identityTokens, mode, this::event);
        this.target = target;
        this.options = options;
        this.env = env;
        this.sink = sink;
        this.mode = mode;
        this.err = err;
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        List<String> rest = new ArrayList<>();
        Set<String> flags = new HashSet<>();
        List<String> identityTokens = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--") && FLAGS.contains(arg.substring(2))) {
                flags.add(arg.substring(2));
            } else if (arg.equals("--identity-token")) {
                if (i + 1 >= args.length) {
                    err.println("alicloud-auth agent: --identity-token needs ROLE=PATH (see --help)");
                    return 2;
                }
                identityTokens.add(args[++i]);
            } else if (arg.startsWith("--identity-token=")) {
                identityTokens.add(arg.substring("--identity-token=".length()));
            } else {
                rest.add(arg);
            }
        }
        Set<String> known = new HashSet<>(LoginCommand.OPTIONS);
        known.remove("format");
        known.remove("identity-token"); // the agent's is ROLE=PATH, repeatable
        known.addAll(Set.of("sink-file", "sink-mode"));
        AgentCommand agent;
        try {
            Map<String, String> options = LoginCommand.secrets(LoginCommand.parse(rest.toArray(String[]::new), known),
                    System.in, "agent", err);
            String sinkFile = options.getOrDefault("sink-file", "").trim();
            if (sinkFile.isEmpty()) {
                throw new LoginCommand.Usage("--sink-file is required");
            }
            agent = new AgentCommand(LoginCommand.target(options, env), options, env, Path.of(sinkFile).toAbsolutePath(),
                    mode(options.getOrDefault("sink-mode", "0640")), identityTokens, err);
        } catch (LoginCommand.Usage e) {
            err.println("alicloud-auth agent: " + e.getMessage() + " (see --help)");
            return 2;
        }
        if (!Files.isDirectory(agent.sink.getParent())) {
            err.println("alicloud-auth agent: the sink's directory " + agent.sink.getParent() + " does not exist");
            return 1;
        }
        if (agent.identities.missingDirectory() != null) {
            err.println("alicloud-auth agent: the identity token's directory " + agent.identities.missingDirectory()
                    + " does not exist");
            return 1;
        }
        agent.onSigterm();
        return agent.loop(flags.contains("exit-after-auth"), flags.contains("revoke-on-exit"));
    }

    static Set<PosixFilePermission> mode(String octal) throws LoginCommand.Usage {
        if (!octal.matches("0?[0-7]{3}")) {
            throw new LoginCommand.Usage("--sink-mode must be octal permissions such as 0640");
        }
        int bits = Integer.parseInt(octal, 8);
        if (bits != 0600 && bits != 0640 && bits != 0660) {
            throw new LoginCommand.Usage("--sink-mode must be 0600, 0640 or 0660: the owner reads and writes the token,"
                    + " its group may read it (or write it), others get nothing, and nobody executes it");
        }
        StringBuilder text = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int b = (bits >> shift) & 7;
            text.append((b & 4) != 0 ? 'r' : '-').append((b & 2) != 0 ? 'w' : '-').append((b & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }

    /** SIGTERM (and SIGINT) wake the loop, which ends with exit 0. */
    @SuppressWarnings("removal")
    private void onSigterm() {
        for (String name : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                synchronized (wake) {
                    stopping = true;
                    Thread loop = looping;
                    if (loop != null) {
                        loop.interrupt(); // out of whatever it waits on: an HTTP call, a credential command, a sleep
                    }
                    wake.notifyAll();
                }
            });
        }
    }

    private int loop(boolean exitAfterAuth, boolean revokeOnExit) {
        looping = Thread.currentThread();
        LoginCommand.Login current = null;
        LoginCommand.Login undelivered = null;
        Instant expires = Instant.EPOCH;
        long firstLease = 0;
        Duration backoff = MIN_BACKOFF;
        Instant next = Instant.now();
        boolean renewNext = false;
        while (!stopping) {
            boolean usable = current != null && Instant.now().isBefore(expires);
            sleepUntil(usable && identities.nextDue().isBefore(next) ? identities.nextDue() : next);
            if (stopping) {
                break;
            }
            if (current != null && Instant.now().isBefore(expires) && !Instant.now().isBefore(identities.nextDue())) {
                identities.refreshDue(target.address(), current.token(), LoginCommand.SERVER_TIMEOUT);
            }
            if (Instant.now().isBefore(next)) {
                continue; // only identity tokens were due
            }
            if (undelivered != null) {
                // Logged in, but the sink could not be written: retry the write alone while the token is fresh.
                if (Instant.now().isAfter(expires.minusSeconds(Math.max(1, undelivered.leaseSeconds() / 3)))) {
                    revoke(undelivered, "the undelivered token (too old to deliver now)");
                    undelivered = null;
                } else {
                    try {
                        write(undelivered.token());
                        current = undelivered;
                        undelivered = null;
                        backoff = MIN_BACKOFF;
                        event("token written to " + sink + " (after the sink could not be written)");
                        if (exitAfterAuth) {
                            return identities.refreshDue(target.address(), current.token(), LoginCommand.SERVER_TIMEOUT)
                                    ? 0 : 1;
                        }
                        renewNext = current.renewable();
                        next = Instant.now().plusMillis(Math.max(1000, firstLease * 2000 / 3));
                    } catch (IOException e) {
                        next = Instant.now().plus(jitter(backoff));
                        event("writing the sink failed (" + e.getMessage() + "); retrying the write in " + seconds(next));
                        backoff = longer(backoff);
                    }
                    continue;
                }
            }
            if (renewNext && current != null) {
                try {
                    long lease = renew(current.token());
                    expires = Instant.now().plusSeconds(lease);
                    backoff = MIN_BACKOFF;
                    if (lease < firstLease) {
                        event("renewed: lease " + lease + "s, capped by the max TTL; logging in again at two"
                                + " thirds of it");
                        renewNext = false;
                    } else {
                        event("renewed: lease " + lease + "s");
                    }
                    next = Instant.now().plusMillis(lease * 2000 / 3);
                    continue;
                } catch (Refused e) {
                    event("renewal refused (" + e.getMessage() + "); logging in again");
                    renewNext = false;
                } catch (LoginCommand.Failure e) {
                    if (stopping) {
                        break;
                    }
                    next = Instant.now().plus(jitter(backoff));
                    event("renewal failed (" + e.getMessage() + "); retrying in " + seconds(next)
                            + (Instant.now().isBefore(expires) ? "; the sink keeps the current token" : ""));
                    backoff = longer(backoff);
                    continue;
                }
            }
            String unwritable = unwritable();
            if (unwritable != null) {
                next = Instant.now().plus(jitter(backoff));
                event("writing the sink failed (" + unwritable + "); not logging in; retrying in " + seconds(next));
                backoff = longer(backoff);
                continue;
            }
            LoginCommand.Login fresh;
            try {
                fresh = LoginCommand.login(target, options, env, "agent", err);
            } catch (LoginCommand.Failure e) {
                if (stopping) {
                    break;
                }
                next = Instant.now().plus(jitter(backoff));
                event("login failed (" + e.getMessage() + "); retrying in " + seconds(next)
                        + (current != null && Instant.now().isBefore(expires) ? "; the sink keeps the current token"
                                : ""));
                backoff = longer(backoff);
                continue;
            }
            firstLease = fresh.leaseSeconds();
            expires = Instant.now().plusSeconds(firstLease);
            try {
                write(fresh.token());
            } catch (IOException e) {
                undelivered = fresh;
                next = Instant.now().plus(jitter(MIN_BACKOFF));
                backoff = longer(MIN_BACKOFF);
                event("logged in as role " + target.role() + ", but writing the sink failed (" + e.getMessage()
                        + "); retrying the write in " + seconds(next));
                continue;
            }
            current = fresh;
            backoff = MIN_BACKOFF;
            event("logged in as role " + target.role() + " with credentials from " + current.source()
                    + "; token written to " + sink + "; lease " + firstLease + "s"
                    + (current.renewable() ? "" : ", not renewable"));
            if (exitAfterAuth) {
                return identities.refreshDue(target.address(), current.token(), LoginCommand.SERVER_TIMEOUT) ? 0 : 1;
            }
            renewNext = current.renewable();
            next = Instant.now().plusMillis(Math.max(1000, firstLease * 2000 / 3));
        }
        synchronized (wake) {
            looping = null; // no interrupt after this one: the revocations below must run
            Thread.interrupted();
        }
        if (undelivered != null) {
            revoke(undelivered, "stopping: the undelivered token");
        }
        if (revokeOnExit && current != null) {
            revoke(current, "stopping: token");
        } else {
            event("stopping");
        }
        return 0;
    }

    /** Revokes a token, within {@link #REVOKE_DEADLINE} (the agent stops within a second of SIGTERM). */
    private void revoke(LoginCommand.Login login, String which) {
        try {
            LoginCommand.post(target.address(), "/v1/auth/token/revoke-self", login.token(), "{}", "revoke-self",
                    REVOKE_DEADLINE);
            event(which + " revoked");
        } catch (LoginCommand.Failure e) {
            event(which + " could not be revoked (" + e.getMessage() + ")");
        }
    }

    /** Why a token could not be written to the sink now, or null when it could: checked before logging in. */
    private String unwritable() {
        try {
            Path probe = Files.createTempFile(sink.getParent(), "." + sink.getFileName() + ".", ".probe",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.delete(probe);
            if (Files.exists(sink) && !Files.isRegularFile(sink, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return sink + " is not a regular file";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot create a file in " + sink.getParent();
        }
    }

    /** A renewal the server refused (4xx): the token is gone or cannot be renewed; log in again. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private long renew(String token) throws Refused, LoginCommand.Failure {
        JsonNode answer;
        try {
            answer = LoginCommand.post(target.address(), "/v1/auth/token/renew-self", token, "{}", "renew-self");
        } catch (LoginCommand.Failure e) {
            if (e.getMessage().matches("renew-self refused \\(HTTP 4\\d\\d\\).*")) {
                throw new Refused(e.getMessage());
            }
            throw e;
        }
        return answer.path("auth").path("lease_duration").asLong();
    }

    /** The token into a new file beside the sink, with the sink's permissions, then renamed over it. */
    private void write(String token) throws IOException {
        writeAtomically(sink, token, mode);
    }

    /** {@code text} into a new file beside {@code sink}, with {@code mode}, then renamed over it. */
    static void writeAtomically(Path sink, String text, Set<PosixFilePermission> mode) throws IOException {
        Path temp = Files.createTempFile(sink.getParent(), "." + sink.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(temp, mode);
            try {
                Files.move(temp, sink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + sink + " atomically");
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void sleepUntil(Instant next) {
        synchronized (wake) {
            long millis;
            while (!stopping && (millis = Duration.between(Instant.now(), next).toMillis()) > 0) {
                try {
                    wake.wait(millis);
                } catch (InterruptedException e) {
                    stopping = true;
                }
            }
        }
    }

    /** Between 75% and 125% of the delay, so that a fleet restarted together does not retry together. */
    static Duration jitter(Duration delay) {
        long millis = delay.toMillis();
        return Duration.ofMillis(millis * 3 / 4 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    static Duration longer(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    static String seconds(Instant next) {
        return Math.max(1, Duration.between(Instant.now(), next).toSeconds()) + "s";
    }

    private void event(String line) {
        err.println("alicloud-auth agent: " + line);
        err.flush();
    }
}
