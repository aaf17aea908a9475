package io.alicloudauth.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

/**
 * Vault's identity-token administration (SPEC §9): {@code identity/oidc/config}, {@code identity/oidc/key/:name}
 * (and its LIST and {@code rotate}), {@code identity/oidc/role/:name} (and its LIST). Who may call them is the
 * ACL's business ({@code policy/AclFilter}).
 */
@Path("/v1/identity/oidc")
@Produces(MediaType.APPLICATION_JSON)
public class OidcResource {

    static final String MOUNT_TYPE = "identity";

    private final Issuer issuer;
    private final Keys keys;
    private final OidcRoles roles;

    public OidcResource(Issuer issuer, Keys keys, OidcRoles roles) {
        this.issuer = issuer;
        this.keys = keys;
        this.roles = roles;
    }

    @GET
    @Path("config")
    public Envelope readConfig() {
        String configured = issuer.configured();
        return Envelope.of(Map.of("issuer", configured), issuer.readWarnings(configured), MOUNT_TYPE);
    }

    @POST
    @Path("config")
    @Consumes(MediaType.WILDCARD)
    public Response writeConfig(String raw) {
        Body body = Body.parse(raw, true);
        if (!body.has("issuer")) {
            return Response.noContent().build(); // Vault: a write without "issuer" changes nothing
        }
        return written(issuer.write(body.string("issuer").orElse("")));
    }

    @PUT
    @Path("config")
    @Consumes(MediaType.WILDCARD)
    public Response writeConfigPut(String raw) {
        return writeConfig(raw);
    }

    // ---- keys ---------------------------------------------------------------------------------------------------

    @GET
    @Path("key/{name}")
    public Response readKey(@RestPath String name) {
        return found(keys.read(name).map(Keys::view));
    }

    @POST
    @Path("key/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response writeKey(@RestPath String name, String raw) {
        return written(keys.write(name, Body.parse(raw, true)));
    }

    @PUT
    @Path("key/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response writeKeyPut(@RestPath String name, String raw) {
        return writeKey(name, raw);
    }

    @DELETE
    @Path("key/{name}")
    public Response deleteKey(@RestPath String name) {
        keys.delete(name);
        return Response.noContent().build();
    }

    @ListVerb
    @Path("key")
    public Response listKeys() {
        return list(keys.names());
    }

    @GET
    @Path("key")
    public Response listKeysGet(@RestQuery("list") String list) {
        return listIfAsked(list, keys.names());
    }

    @POST
    @Path("key/{name}/rotate")
    @Consumes(MediaType.WILDCARD)
    public Response rotate(@RestPath String name, String raw) {
        keys.rotate(name, Body.parse(raw, true).duration("verification_ttl"));
        return Response.noContent().build();
    }

    @PUT
    @Path("key/{name}/rotate")
    @Consumes(MediaType.WILDCARD)
    public Response rotatePut(@RestPath String name, String raw) {
        return rotate(name, raw);
    }

    // ---- roles --------------------------------------------------------------------------------------------------

    @GET
    @Path("role/{name}")
    public Response readRole(@RestPath String name) {
        return found(roles.read(name));
    }

    @POST
    @Path("role/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response writeRole(@RestPath String name, String raw) {
        return written(roles.write(name, Body.parse(raw, true)));
    }

    @PUT
    @Path("role/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response writeRolePut(@RestPath String name, String raw) {
        return writeRole(name, raw);
    }

    @DELETE
    @Path("role/{name}")
    public Response deleteRole(@RestPath String name) {
        roles.delete(name);
        return Response.noContent().build();
    }

    @ListVerb
    @Path("role")
    public Response listRoles() {
        return list(roles.names());
    }

    @GET
    @Path("role")
    public Response listRolesGet(@RestQuery("list") String list) {
        return listIfAsked(list, roles.names());
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Response written(List<String> warnings) {
        return warnings.isEmpty() ? Response.noContent().build()
                : Response.ok(Envelope.of(null, warnings, MOUNT_TYPE)).build();
    }

    private static Response found(Optional<Map<String, Object>> data) {
        return data.map(d -> Response.ok(Envelope.of(d, null, MOUNT_TYPE)).build())
                .orElseGet(() -> ErrorMappers.error(404, null));
    }

    /** Vault: a LIST with nothing in it is a 404. */
    private static Response list(List<String> names) {
        return names.isEmpty() ? ErrorMappers.error(404, null)
                : Response.ok(Envelope.of(Map.of("keys", names), null, MOUNT_TYPE)).build();
    }

    private static Response listIfAsked(String list, List<String> names) {
        if (!Boolean.TRUE.equals(Body.parseBool(list))) {
            throw new ApiException(405, "unsupported operation");
        }
        return list(names);
    }
}
