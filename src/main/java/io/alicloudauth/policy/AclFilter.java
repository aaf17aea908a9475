package io.alicloudauth.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.ClientAddresses;
import io.alicloudauth.api.ErrorMappers;
import io.alicloudauth.token.Caller;
import io.alicloudauth.token.ClientToken;
import io.alicloudauth.token.Token;
import io.alicloudauth.token.TokenService;
import io.smallrye.common.vertx.ContextLocals;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place a protected request is decided (SPEC §8): the token is authenticated once (its use counted), the
 * operation found (GET read, LIST or {@code ?list=true} list on the path with a trailing {@code /}, POST/PUT create
 * when the entry does not exist yet and update otherwise, DELETE delete), sudo added where Vault requires it, and
 * the token's policies asked. A refusal is Vault's 403 {@code permission denied}; the audit line names the
 * operation and the policies consulted. Runs after routing, so unknown paths stay 404 and unserved verbs 405.
 */
public class AclFilter {

    /** Paths anyone may call (SPEC §8). */
    static boolean unauthenticated(String path) {
        return path.equals("auth/alicloud/login") || path.equals("sys/health") || path.equals("sys/seal-status")
                || path.startsWith("identity/oidc/.well-known/");
    }

    private static final Set<String> ENTRY_FAMILIES = Set.of("auth/alicloud/role/", "sys/policies/acl/", "sys/policy/");

    private final TokenService tokens;
    private final ClientAddresses addresses;
    private final PolicyStore policies;
    private final Instance<EntryExistence> entries;
    private final Caller caller;

    public AclFilter(TokenService tokens, ClientAddresses addresses, PolicyStore policies,
            Instance<EntryExistence> entries, Caller caller) {
        this.tokens = tokens;
        this.addresses = addresses;
        this.policies = policies;
        this.entries = entries;
        this.caller = caller;
    }

    /** What the ACL decided on, for the audit line: the operation, the path checked and the policies consulted. */
    public record Decision(String operation, String path, List<String> policies) {
    }

    private static final String DECISION = "alicloud-auth.acl.decision";

    /** This request's decision, if the ACL made one (for {@code audit/AuditFilter}). */
    public static Optional<Decision> decision() {
        return ContextLocals.get(DECISION);
    }

    @ServerRequestFilter
    public Optional<Response> decide(RoutingContext rc) {
        HttpServerRequest http = rc.request();
        String raw = decoded(rc.normalizedPath());
        if (!raw.startsWith("/v1/")) {
            return Optional.empty();
        }
        String path;
        try {
            path = canonical(raw.substring(4));
        } catch (ApiException e) {
            return Optional.of(ErrorMappers.error(e.status(), e.getMessage()));
        }
        if (unauthenticated(path)) {
            return Optional.empty();
        }
        try {
            TokenService.Session session = tokens.use(ClientToken.from(http::getHeader), addresses.of(http));
            String method = http.method().name();
            boolean list = method.equals("LIST")
                    || (method.equals("GET") && Boolean.TRUE.equals(Body.parseBool(http.getParam("list"))));
            Capability operation = operation(method, list, path);
            String checked = list ? path + "/" : path;
            Acl acl;
            if (session.root()) {
                ContextLocals.put(DECISION, new Decision(operation.word(), checked, ROOT));
                acl = Acl.root();
            } else {
                Token token = session.token();
                ContextLocals.put(DECISION, new Decision(operation.word(), checked, token.policyList()));
                acl = policies.aclFor(token.policies, () -> Templates.Identity.of(token));
            }
            if (!acl.allows(checked, operation, sudo(method, path))) {
                return Optional.of(ErrorMappers.error(403, "permission denied"));
            }
            caller.set(session);
            return Optional.empty();
        } catch (ApiException e) {
            return Optional.of(ErrorMappers.error(e.status(), e.getMessage()));
        }
    }

    private static final List<String> ROOT = List.of("root");

    /**
     * The path with every percent-escape decoded, as the resource sees its path parameters (the router's normalised
     * path decodes only unreserved characters): a policy on {@code role/prod-*} holds against {@code role/%70rod-web}.
     */
    static String decoded(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && Character.digit(path.charAt(i + 1), 16) >= 0
                    && Character.digit(path.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The operation Vault maps the request to. */
    private Capability operation(String method, boolean list, String path) {
        if (list) {
            return Capability.LIST;
        }
        return switch (method) {
            case "GET" -> Capability.READ;
            case "DELETE" -> Capability.DELETE;
            case "POST", "PUT" -> exists(path).map(found -> found ? Capability.UPDATE : Capability.CREATE)
                    .orElse(Capability.UPDATE);
            default -> Capability.UPDATE;
        };
    }

    private Optional<Boolean> exists(String path) {
        for (EntryExistence e : entries) {
            Optional<Boolean> found = e.exists(path);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Vault's root-protected paths among ours: {@code sys/auth/*} writes and {@code sys/rotate}. */
    static boolean sudo(String method, String path) {
        return path.equals("sys/rotate") || (path.startsWith("sys/auth/") && !method.equals("GET"));
    }

    /**
     * The path as the service acts on it: no trailing {@code /} (LIST adds one), no empty, {@code .} or {@code ..}
     * segments (a 400), and entry names
     * lowercased as the service stores them, so that a pattern on {@code role/prod-*} holds against
     * {@code role/PROD-web} (which writes {@code prod-web}).
     */
    static String canonical(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw ApiException.badRequest("invalid path");
            }
        }
        for (String family : ENTRY_FAMILIES) {
            if (trimmed.startsWith(family)) {
                return family + trimmed.substring(family.length()).toLowerCase(Locale.ROOT);
            }
        }
        return trimmed;
    }
}
