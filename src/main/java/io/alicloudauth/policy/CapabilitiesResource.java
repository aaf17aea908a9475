package io.alicloudauth.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.token.Caller;
import io.alicloudauth.token.Token;
import io.alicloudauth.token.TokenService;

/**
 * {@code sys/capabilities-self} and {@code sys/capabilities} (SPEC §8): what {@code vault token capabilities} shows,
 * per path, computed as Vault's {@code ACL.Capabilities} (sorted; {@code ["root"]} for the root token,
 * {@code ["deny"]} where nothing is granted).
 */
@Path("/v1/sys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class CapabilitiesResource {

    private static final int MAX_PATHS = 256;

    private final Caller caller;
    private final TokenService tokens;
    private final PolicyStore policies;

    public CapabilitiesResource(Caller caller, TokenService tokens, PolicyStore policies) {
        this.caller = caller;
        this.tokens = tokens;
        this.policies = policies;
    }

    @POST
    @Path("capabilities-self")
    public Map<String, Object> self(String body) {
        TokenService.Session session = caller.session();
        return answer(paths(Body.parse(body, false)), session.root() ? null : session.token());
    }

    @PUT
    @Path("capabilities-self")
    public Map<String, Object> selfPut(String body) {
        return self(body);
    }

    @POST
    @Path("capabilities")
    public Map<String, Object> other(String body) {
        Body parsed = Body.parse(body, false);
        String presented = parsed.string("token").map(String::trim).orElse("");
        if (presented.isEmpty()) {
            throw Body.invalid("token", "missing token");
        }
        List<String> paths = paths(parsed);
        if (tokens.isRoot(presented)) {
            return answer(paths, null);
        }
        Token token = tokens.byToken(presented).orElseThrow(() -> ApiException.badRequest("invalid token"));
        return answer(paths, token);
    }

    @PUT
    @Path("capabilities")
    public Map<String, Object> otherPut(String body) {
        return other(body);
    }

    /** {@code paths} (a list or a comma string), or Vault's older single {@code path}. */
    private static List<String> paths(Body body) {
        List<String> paths = body.list("paths").orElseGet(() -> body.list("path").orElse(List.of()));
        if (paths.isEmpty()) {
            throw Body.invalid("paths", "missing paths");
        }
        if (paths.size() > MAX_PATHS) {
            throw Body.invalid("paths", "at most " + MAX_PATHS + " paths");
        }
        return paths;
    }

    /** Each path's capabilities for {@code token} (the root token when null), at top level and under data. */
    private Map<String, Object> answer(List<String> paths, Token token) {
        Acl acl = token == null ? Acl.root()
                : policies.aclFor(token.policies, () -> Templates.Identity.of(token));
        Map<String, Object> data = new LinkedHashMap<>();
        for (String raw : paths) {
            String path = raw.startsWith("/") ? raw.substring(1) : raw;
            data.put(raw, acl.isRoot() ? List.of("root") : Capability.words(acl.capabilities(path, true)));
        }
        if (paths.size() == 1) {
            data.put("capabilities", data.get(paths.get(0)));
        }
        return io.alicloudauth.api.Envelope.withDataAtTopLevel(data);
    }
}
