package io.alicloudauth.identity;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.alicloudauth.api.Body;
import io.alicloudauth.api.Envelope;
import io.alicloudauth.token.Caller;

/**
 * Identity tokens themselves (SPEC §9): {@code GET identity/oidc/token/:name} for the caller's entity,
 * {@code identity/oidc/introspect} (Vault's raw answer), and the unauthenticated discovery and JWKS documents, both
 * from memory.
 */
@Path("/v1/identity/oidc")
@Produces(MediaType.APPLICATION_JSON)
public class OidcTokenResource {

    private final IdentityTokens tokens;
    private final Caller caller;

    public OidcTokenResource(IdentityTokens tokens, Caller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @GET
    @Path("token/{name}")
    public Envelope token(@RestPath String name) {
        IdentityTokens.Minted m = tokens.mint(caller.session(), name);
        return Envelope.of(Map.of("client_id", m.clientId(), "token", m.token(), "ttl", m.ttl()), m.warnings(),
                OidcResource.MOUNT_TYPE);
    }

    @POST
    @Path("introspect")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> introspect(String raw) {
        Body body = Body.parse(raw, true);
        return tokens.introspect(body.string("token").orElse(""), body.string("client_id").orElse(""));
    }

    @PUT
    @Path("introspect")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> introspectPut(String raw) {
        return introspect(raw);
    }

    @GET
    @Path(".well-known/openid-configuration")
    public Response discovery() {
        return Response.ok(tokens.discovery()).header("Cache-Control", "max-age=3600").build();
    }

    /**
     * The JWKS, cached by relying parties for a random time below the shortest rotation period and verification
     * ttl of the published keys (as Vault): every cache then holds a superset of the keys that sign.
     */
    @GET
    @Path(".well-known/keys")
    public Response keys() {
        IdentityTokens.Published p = tokens.published();
        Response.ResponseBuilder out = Response.ok(p.jwks(), MediaType.APPLICATION_JSON);
        return (p.maxAgeBound() > 0 ? out.header("Cache-Control",
                "max-age=" + ThreadLocalRandom.current().nextLong(p.maxAgeBound()))
                : out.header("Cache-Control", "no-store")).build();
    }
}
