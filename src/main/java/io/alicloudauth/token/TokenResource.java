package io.alicloudauth.token;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.context.ManagedExecutor;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.ClientAddresses;
import io.alicloudauth.api.Envelope;
import io.vertx.core.http.HttpServerRequest;

/** {@code auth/token/*}: what a token holder may do with its own token, and the admin's lookups and revocations. */
@Path("/v1/auth/token")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class TokenResource {

    static final String TIDY_STARTED = "Tidy operation successfully started. Any information from the operation will"
            + " be printed to Vault's server logs.";

    private final TokenService tokens;
    private final ClientAddresses addresses;
    private final Purge purge;
    private final WriteThroughTokens writeThrough;
    private final ManagedExecutor executor;

    public TokenResource(TokenService tokens, ClientAddresses addresses, Purge purge, ManagedExecutor executor,
            WriteThroughTokens writeThrough) {
        this.writeThrough = writeThrough;
        this.tokens = tokens;
        this.addresses = addresses;
        this.purge = purge;
        this.executor = executor;
    }

    @GET
    @Path("lookup-self")
    public Envelope lookupSelf(@Context HttpHeaders headers, @Context HttpServerRequest request) {
        return Envelope.data(tokens.lookup(session(headers, request), true));
    }

    @POST
    @Path("renew-self")
    public Envelope renewSelfPost(@Context HttpHeaders headers, @Context HttpServerRequest request, String body) {
        return renewSelf(headers, request, body);
    }

    @PUT
    @Path("renew-self")
    public Envelope renewSelfPut(@Context HttpHeaders headers, @Context HttpServerRequest request, String body) {
        return renewSelf(headers, request, body);
    }

    @POST
    @Path("revoke-self")
    public Response revokeSelfPost(@Context HttpHeaders headers, @Context HttpServerRequest request, String body) {
        return revokeSelf(headers, request, body);
    }

    @PUT
    @Path("revoke-self")
    public Response revokeSelfPut(@Context HttpHeaders headers, @Context HttpServerRequest request, String body) {
        return revokeSelf(headers, request, body);
    }

    @Admin
    @POST
    @Path("lookup")
    public Envelope lookup(String body) {
        Token token = tokens.byToken(required(body, "token")).orElseThrow(() -> ApiException.forbidden("bad token"));
        return Envelope.data(tokens.lookup(token));
    }

    @Admin
    @POST
    @Path("lookup-accessor")
    public Envelope lookupAccessor(String body) {
        Token token = tokens.byAccessor(required(body, "accessor"))
                .orElseThrow(() -> ApiException.badRequest("invalid accessor"));
        return Envelope.data(tokens.lookup(token));
    }

    @Admin
    @POST
    @Path("revoke")
    public Response revoke(String body) {
        tokens.byToken(required(body, "token")).ifPresent(tokens::revoke);
        return Response.noContent().build();
    }

    @Admin
    @POST
    @Path("revoke-accessor")
    public Response revokeAccessor(String body) {
        String accessor = required(body, "accessor");
        Token token = tokens.byAccessor(accessor).orElse(null);
        if (token != null) {
            tokens.revoke(token);
        } else if (!writeThrough.revoke(accessor)) {
            throw ApiException.badRequest("invalid accessor");
        }
        return Response.noContent().build();
    }

    /** {@code vault write -f auth/token/tidy}: the purge, started now in the background; 202 as Vault answers. */
    @Admin
    @POST
    @Path("tidy")
    public Response tidy(String body) {
        Body.parse(body, true);
        executor.execute(purge::run);
        return Response.accepted(Envelope.warnings(List.of(TIDY_STARTED))).build();
    }

    @Admin
    @PUT
    @Path("tidy")
    public Response tidyPut(String body) {
        return tidy(body);
    }

    private Envelope renewSelf(HttpHeaders headers, HttpServerRequest request, String raw) {
        long increment = Body.parse(raw, true).duration("increment").orElse(0L);
        return Envelope.auth(tokens.renew(session(headers, request), increment));
    }

    private Response revokeSelf(HttpHeaders headers, HttpServerRequest request, String raw) {
        Body.parse(raw, true);
        TokenService.Session session = session(headers, request);
        if (session.root()) {
            throw ApiException.badRequest("the configured root token cannot be revoked");
        }
        tokens.revoke(session.token());
        return Response.noContent().build();
    }

    private TokenService.Session session(HttpHeaders headers, HttpServerRequest request) {
        return tokens.use(ClientToken.from(headers::getHeaderString), addresses.of(request));
    }

    private static String required(String raw, String field) {
        String value = Body.parse(raw, false).string(field).map(String::trim).orElse("");
        if (value.isEmpty()) {
            throw Body.invalid(field, "missing " + field);
        }
        return value;
    }
}
