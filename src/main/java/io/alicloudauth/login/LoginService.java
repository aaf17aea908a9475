package io.alicloudauth.login;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Cidrs;
import io.alicloudauth.api.RateLimiter;
import io.alicloudauth.api.Text;
import io.alicloudauth.audit.AuditLog;
import io.alicloudauth.audit.AuditUnavailable;
import io.alicloudauth.config.AuthSettings;
import io.alicloudauth.config.ConfigService;
import io.alicloudauth.role.Role;
import io.alicloudauth.role.RoleService;
import io.alicloudauth.sts.CallerIdentity;
import io.alicloudauth.sts.StsClient;
import io.alicloudauth.sts.StsRequest;
import io.alicloudauth.token.AuthView;
import io.alicloudauth.token.IssueRequest;
import io.alicloudauth.token.TokenService;
import io.alicloudauth.token.WriteThroughTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Login, SPEC §4, in the order of its rules. Nothing leaves the service before rule 4 has passed. */
@ApplicationScoped
public class LoginService {

    private final RoleService roles;
    private final ConfigService config;
    private final StsClient sts;
    private final TokenService tokens;
    private final AuditLog audit;
    private final AuthSettings settings;
    private final RateLimiter perAddress = new RateLimiter();
    private final RateLimiter perRole = new RateLimiter();

    private final MeterRegistry registry;
    /** The login timer per HTTP status (a handful), so that a login does not look its meter up in the registry. */
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();
    private final WriteThroughTokens writeThrough;

    public LoginService(RoleService roles, ConfigService config, StsClient sts, TokenService tokens, AuditLog audit,
            AuthSettings settings, MeterRegistry registry, WriteThroughTokens writeThrough) {
        this.writeThrough = writeThrough;
        this.registry = registry;
        this.roles = roles;
        this.config = config;
        this.sts = sts;
        this.tokens = tokens;
        this.audit = audit;
        this.settings = settings;
    }

    private record Lookup(Optional<Role> role, ConfigService.Settings mount) {
    }

    /** What an attempt got as far as knowing, for its audit line. */
    private static final class Attempt {
        String role;
        String signature;
        CallerIdentity identity;
    }

    /**
     * One login attempt, audited: the audit sink must be writable before anything irreversible happens, and a
     * token whose success line cannot be written is revoked again.
     */
    public AuthView login(String rawBody, String clientAddress) {
        Attempt attempt = new Attempt();
        long start = System.nanoTime();
        int status = 500;
        try {
            audit.ensureWritable();
            AuthView auth = attempt(rawBody, clientAddress, attempt);
            if (audit.enabled()) {
                try {
                    audit.write("login", auditEntry(attempt, clientAddress, 200, null, auth));
                } catch (ApiException e) {
                    tokens.revokeIssued(auth);
                    throw e;
                }
            }
            status = 200;
            return auth;
        } catch (RuntimeException e) {
            status = e instanceof ApiException a ? a.status() : 500;
            if (audit.enabled() && !(e instanceof AuditUnavailable)) {
                String reason = e instanceof ApiException a ? a.getMessage() : "internal error";
                audit.write("login", auditEntry(attempt, clientAddress, status, reason, null));
            }
            throw e;
        } finally {
            timers.computeIfAbsent(status, s -> Timer.builder("alicloud_auth_logins")
                    .tag("outcome", s == 200 ? "success" : s < 500 ? "refused" : "failed")
                    .tag("status", Integer.toString(s))
                    .description("Login attempts by outcome (success, refused: 4xx, failed: 5xx) and HTTP status")
                    .register(registry)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void limit(RateLimiter limiter, String key, int perMinute, String what, boolean spend) {
        long retryAfter = spend ? limiter.acquire(key, perMinute) : limiter.peek(key, perMinute);
        if (retryAfter > 0) {
            registry.counter("alicloud_auth_rate_limited", "limit", limiter == perAddress ? "address" : "role")
                    .increment();
            throw ApiException.tooManyRequests("too many login attempts for " + what + ": at most " + perMinute
                    + " a minute; retry after " + retryAfter + "s", retryAfter);
        }
    }

    private Map<String, Object> auditEntry(Attempt attempt, String clientAddress, int status, String reason,
            AuthView auth) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("outcome", auth != null ? "success" : "failure");
        entry.put("status", status);
        entry.put("role", attempt.role);
        entry.put("client_address", clientAddress);
        entry.put("caller_arn", attempt.identity == null ? null : attempt.identity.arn());
        entry.put("account_id", attempt.identity == null ? null : attempt.identity.accountId());
        entry.put("principal_id", attempt.identity == null ? null : attempt.identity.principalId());
        entry.put("signature", audit.hmac(attempt.signature));
        if (auth != null) {
            entry.put("client_token", audit.hmac(auth.clientToken()));
            entry.put("accessor", audit.hmac(auth.accessor()));
            entry.put("policies", auth.policies());
        } else {
            entry.put("reason", reason);
        }
        return entry;
    }

    private AuthView attempt(String rawBody, String clientAddress, Attempt attempt) {
        // Every attempt counts against its address, valid or not, malformed bodies included. A role's budget is
        // only checked here; it is spent by attempts that STS verified and the role admits (below), so that
        // nobody can lock a role out by sending its name.
        limit(perAddress, clientAddress, settings.login().ratePerAddress(), "this address", true);
        Body body = Body.parse(rawBody, false);
        String roleName = body.string("role").map(String::trim).orElse("");
        attempt.role = roleName.isEmpty() ? null : Text.shorten(roleName);
        if (roleName.isEmpty()) {
            throw ApiException.badRequest("missing role");
        }
        String key = RoleService.normaliseName(roleName);
        limit(perRole, key, settings.login().ratePerRole(), "role " + key, false);

        // Rules 1-3: decode, parse and validate the signed request; rebuild it from its validated parts.
        StsRequest request = IdentityRequest.parse(body, Instant.now());
        attempt.signature = request.signatureVersion() == 3
                ? request.headers().get("authorization").replaceFirst(".*Signature=", "")
                : request.query().get("Signature");

        // Rule 4: the role exists and the caller's address is inside its bound CIDRs. (The role and the mount's
        // settings are read in one transaction.)
        Lookup lookup = QuarkusTransaction.joiningExisting().call(() -> new Lookup(roles.find(key), config.current()));
        Role role = lookup.role().orElseThrow(() -> ApiException.forbidden("entry for role " + key + " not found"));
        if (!role.boundCidrs().isEmpty() && !Cidrs.contains(role.boundCidrs(), clientAddress)) {
            throw ApiException.permissionDenied();
        }
        String tokenRole = lookup.mount().tokenRoleFor(role.vaultTokenRole);
        String unbindable = writeThrough.cannotBind(role.boundCidrs(), tokenRole);
        if (unbindable != null) {
            throw ApiException.forbidden("role " + key + ": " + unbindable);
        }

        // SPEC §10: a mount with a server id admits only logins signed (V3) for this server.
        ConfigService.Settings mount = lookup.mount();
        V3IdentityRequest.checkServerId(mount.serverId(), request);

        // Rules 5-6: replay to STS (or the configured endpoint); identity comes only from its answer.
        CallerIdentity identity = sts.callerIdentity(request, mount.stsEndpoint(), mount.stsTimeout());
        attempt.identity = identity;

        // Rule 7: the caller's ARN, its account, and the match with the role (arn, bound_arns, principal ids).
        CallerArn caller = CallerArn.parse(identity.arn());
        if (!caller.account().equals(identity.accountId())) {
            throw ApiException.forbidden("the caller's arn does not belong to the account STS reported");
        }
        String immutableId = RoleMatch.immutableId(caller, identity.roleId(), identity.userId(), identity.principalId());
        if (!RoleMatch.admits(role, caller, immutableId)) {
            if (caller.kind() == CallerArn.Kind.USER) {
                throw ApiException.forbidden("the caller is a RAM user, whose own access key cannot log in to a role"
                        + " bound to a RAM role: assume that role first (alicloud-auth login --role-arn"
                        + " acs:ram::<account>:role/<name>), or bind the role to user/ arns");
            }
            throw ApiException.forbidden("the caller's arn does not match the role's arn");
        }
        limit(perRole, key, settings.login().ratePerRole(), "role " + key, true);
        String alias = aliasName(mount.aliasSource(), caller, identity, immutableId);

        // Rule 8: issue the token.
        return tokens.issue(new IssueRequest(role.name, role.policies(), role.tokenNoDefaultPolicy,
                metadata(identity, role.name), "alicloud-" + alias,
                entityId(identity.accountId(), alias), role.tokenType, role.tokenTtl, role.tokenMaxTtl, role.tokenExplicitMaxTtl,
                role.tokenPeriod, role.tokenNumUses, role.boundCidrs(), tokenRole, role.bindingVersion, alias));
    }

    static Map<String, String> metadata(CallerIdentity identity, String roleName) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("account_id", identity.accountId());
        meta.put("user_id", identity.userId());
        meta.put("role_id", identity.roleId());
        meta.put("arn", identity.arn());
        meta.put("identity_type", identity.identityType());
        meta.put("principal_id", identity.principalId());
        meta.put("request_id", identity.requestId());
        meta.put("role_name", roleName);
        return meta;
    }

    /**
     * The identity alias the mount's {@code alias_source} names: {@code principal_id} (Vault's choice),
     * {@code role_arn} (the role ARN without session, or a user's ARN), {@code arn} (the full ARN), or
     * {@code principal_immutable_id} (RoleId or UserId).
     */
    static String aliasName(String source, CallerArn caller, CallerIdentity identity, String immutableId) {
        return switch (source) {
            case "role_arn" -> caller.kind() == CallerArn.Kind.ASSUMED_ROLE ? caller.roleArn() : caller.full();
            case "arn" -> caller.full();
            case "principal_immutable_id" -> immutableId;
            default -> identity.principalId();
        };
    }

    /** A stable entity id per alias within its account: never keyed by a name without its account. */
    private static String entityId(String account, String alias) {
        String key = "alicloud:" + account + ":" + alias;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
