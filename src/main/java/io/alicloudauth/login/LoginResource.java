package io.alicloudauth.login;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import io.alicloudauth.api.ClientAddresses;
import io.alicloudauth.api.Envelope;
import io.vertx.core.http.HttpServerRequest;

/** {@code auth/alicloud/login}: the one path that needs no token. */
@Path("/v1/auth/alicloud/login")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class LoginResource {

    private final LoginService login;
    private final ClientAddresses addresses;

    public LoginResource(LoginService login, ClientAddresses addresses) {
        this.login = login;
        this.addresses = addresses;
    }

    @POST
    public Envelope post(String body, @Context HttpServerRequest request) {
        return Envelope.auth(login.login(body, addresses.of(request)));
    }

    @PUT
    public Envelope put(String body, @Context HttpServerRequest request) {
        return post(body, request);
    }
}
