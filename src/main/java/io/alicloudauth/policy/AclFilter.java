package io.alicloudauth.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.ClientAddresses;
import io.alicloudauth.api.ErrorMappers;
import io.alicloudauth.sys.SysResource;
import io.alicloudauth.token.Caller;
import io.alicloudauth.token.ClientToken;
import io.alicloudauth.token.Token;
import io.alicloudauth.token.TokenService;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one place a protected request is decided (SPEC §8): the token is authenticated once (its use counted), the
 * operation found (GET read, LIST or {@code ?list=true} list on the path with a trailing {@code /}, POST/PUT create
 * when the entry does not exist yet and update otherwise, DELETE delete), sudo added where Vault requires it, and
 * the token's policies asked. A refusal is Vault's 403 {@code permission denied}; the audit line names the
 * operation and the policies consulted. Runs after routing, so unknown paths stay 404 and unserved verbs 405.
 */
public class AclFilter {

    static final String OPERATION = "alicloud-auth.acl.operation";
    static final String POLICIES = "alicloud-auth.acl.policies";
    static final String PATH = "alicloud-auth.acl.path";

    /** Paths anyone may call (SPEC §8). */
    static boolean unauthenticated(String path) {
        return path.equals("auth/alicloud/login") || path.equals("sys/health") || path.equals("sys/seal-status")
                || path.startsWith("identity/oidc/.well-known/");
    }

    private static final Set<String> ENTRY_FAMILIES = Set.of("auth/alicloud/role/", "sys/policies/acl/", "sys/policy/");
    private static final ObjectMapper JSON = new ObjectMapper();

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

    @ServerRequestFilter
    public Optional<Response> decide(ContainerRequestContext request, HttpServerRequest http) {
        String raw = request.getUriInfo().getPath();
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
            TokenService.Session session = tokens.use(ClientToken.from(request::getHeaderString), addresses.of(http));
            String method = request.getMethod();
            boolean list = method.equals("LIST") || (method.equals("GET")
                    && Boolean.TRUE.equals(Body.parseBool(request.getUriInfo().getQueryParameters().getFirst("list"))));
            Capability operation = operation(method, list, path);
            String checked = list && !path.endsWith("/") ? path + "/" : path;
            request.setProperty(OPERATION, operation.word());
            request.setProperty(PATH, checked);
            Acl acl;
            if (session.root()) {
                request.setProperty(POLICIES, List.of("root"));
                acl = Acl.root();
            } else {
                Token token = session.token();
                request.setProperty(POLICIES, token.policyList());
                acl = policies.aclFor(token.policyList(), () -> identity(token));
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
     * The path as the service acts on it: no empty, {@code .} or {@code ..} segments (a 400), and entry names
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
            if (path.startsWith(family)) {
                return family + path.substring(family.length()).toLowerCase(Locale.ROOT);
            }
        }
        return path;
    }

    /** What templates see of a token: its entity, and its alias and metadata on the alicloud mount. */
    static Templates.Identity identity(Token token) {
        Map<String, String> meta;
        try {
            meta = JSON.readValue(token.meta, new TypeReference<Map<String, String>>() {
            });
        } catch (java.io.IOException e) {
            meta = Map.of();
        }
        String entity = token.entityId == null ? "" : token.entityId;
        String alias = token.displayName != null && token.displayName.startsWith("alicloud-")
                ? token.displayName.substring("alicloud-".length()) : "";
        return new Templates.Identity(entity, entity.isEmpty() ? "" : "entity_" + entity.substring(0, Math.min(8,
                entity.length())), SysResource.ALICLOUD_ACCESSOR, alias, meta);
    }
}
