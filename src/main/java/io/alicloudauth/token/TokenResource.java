package io.alicloudauth.token;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.context.ManagedExecutor;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Envelope;

/** {@code auth/token/*}: what a token holder may do with its own token, and the admin's lookups and revocations. */
@Path("/v1/auth/token")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class TokenResource {

    static final String TIDY_STARTED = "Tidy operation successfully started. Any information from the operation will"
            + " be printed to Vault's server logs.";

    private final TokenService tokens;
    private final Caller caller;
    private final Purge purge;
    private final WriteThroughTokens writeThrough;
    private final ManagedExecutor executor;

    public TokenResource(TokenService tokens, Caller caller, Purge purge, ManagedExecutor executor,
            WriteThroughTokens writeThrough) {
        this.writeThrough = writeThrough;
        this.tokens = tokens;
        this.caller = caller;
        this.purge = purge;
        this.executor = executor;
    }

    @GET
    @Path("lookup-self")
    public Envelope lookupSelf() {
        return Envelope.data(tokens.lookup(caller.session(), true));
    }

    @POST
    @Path("renew-self")
    public Envelope renewSelfPost(String body) {
        return renewSelf(body);
    }

    @PUT
    @Path("renew-self")
    public Envelope renewSelfPut(String body) {
        return renewSelf(body);
    }

    @POST
    @Path("revoke-self")
    public Response revokeSelfPost(String body) {
        return revokeSelf(body);
    }

    @PUT
    @Path("revoke-self")
    public Response revokeSelfPut(String body) {
        return revokeSelf(body);
    }

    @POST
    @Path("lookup")
    public Envelope lookup(String body) {
        Token token = tokens.byToken(required(body, "token")).orElseThrow(() -> ApiException.forbidden("bad token"));
        return Envelope.data(tokens.lookup(token));
    }

    @POST
    @Path("lookup-accessor")
    public Envelope lookupAccessor(String body) {
        Token token = tokens.byAccessor(required(body, "accessor"))
                .orElseThrow(() -> ApiException.badRequest("invalid accessor"));
        return Envelope.data(tokens.lookup(token));
    }

    @POST
    @Path("revoke")
    public Response revoke(String body) {
        tokens.byToken(required(body, "token")).ifPresent(tokens::revoke);
        return Response.noContent().build();
    }

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
    @POST
    @Path("tidy")
    public Response tidy(String body) {
        Body.parse(body, true);
        executor.execute(purge::run);
        return Response.accepted(Envelope.warnings(List.of(TIDY_STARTED))).build();
    }

    @PUT
    @Path("tidy")
    public Response tidyPut(String body) {
        return tidy(body);
    }

    private Envelope renewSelf(String raw) {
        long increment = Body.parse(raw, true).duration("increment").orElse(0L);
        return Envelope.auth(tokens.renew(caller.session(), increment));
    }

    private Response revokeSelf(String raw) {
        Body.parse(raw, true);
        TokenService.Session session = caller.session();
        if (session.root()) {
            throw ApiException.badRequest("the configured root token cannot be revoked");
        }
        tokens.revoke(session.token());
        return Response.noContent().build();
    }

    private static String required(String raw, String field) {
        String value = Body.parse(raw, false).string(field).map(String::trim).orElse("");
        if (value.isEmpty()) {
            throw Body.invalid(field, "missing " + field);
        }
        return value;
    }
}
