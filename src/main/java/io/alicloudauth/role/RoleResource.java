package io.alicloudauth.role;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Envelope;
import io.alicloudauth.api.ErrorMappers;
import io.alicloudauth.api.ListVerb;

/** {@code auth/alicloud/role/:name} and the role lists, as Vault's {@code path_role.go}. */
@Path("/v1/auth/alicloud")
@Produces(MediaType.APPLICATION_JSON)
public class RoleResource {

    private final RoleService roles;

    public RoleResource(RoleService roles) {
        this.roles = roles;
    }

    @GET
    @Path("role/{name}")
    public Response read(@RestPath String name) {
        return roles.find(RoleService.normaliseName(name))
                .map(role -> Response.ok(Envelope.data(RoleView.of(role))).build())
                .orElseGet(() -> ErrorMappers.error(404, null));
    }

    @POST
    @Path("role/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response post(@RestPath String name, String body) {
        return write(name, body);
    }

    @PUT
    @Path("role/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response put(@RestPath String name, String body) {
        return write(name, body);
    }

    @DELETE
    @Path("role/{name}")
    public Response delete(@RestPath String name) {
        roles.delete(name);
        return Response.noContent().build();
    }

    @ListVerb
    @Path("role")
    public Response listRole() {
        return list();
    }

    @ListVerb
    @Path("roles")
    public Response listRoles() {
        return list();
    }

    @GET
    @Path("role")
    public Response getRole(@RestQuery("list") String list) {
        return listIfAsked(list);
    }

    @GET
    @Path("roles")
    public Response getRoles(@RestQuery("list") String list) {
        return listIfAsked(list);
    }

    private Response write(String name, String raw) {
        RoleService.WriteResult result = roles.write(name, Body.parse(raw, false));
        if (result.ignoredFields().isEmpty()) {
            return Response.noContent().build();
        }
        return Response.ok(Envelope.warnings(
                List.of("Endpoint ignored these unrecognized parameters: " + result.ignoredFields()))).build();
    }

    private Response listIfAsked(String list) {
        if (!Boolean.TRUE.equals(Body.parseBool(list))) {
            throw new ApiException(405, "unsupported operation");
        }
        return list();
    }

    private Response list() {
        List<String> names = roles.names();
        if (names.isEmpty()) {
            return ErrorMappers.error(404, null);
        }
        return Response.ok(Envelope.data(Map.of("keys", names))).build();
    }
}
