package io.alicloudauth.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

/**
 * Vault's policy endpoints (SPEC §8): {@code sys/policies/acl/:name} and its LIST, and the older
 * {@code sys/policy/:name} and {@code sys/policy} that node-vault's {@code addPolicy}, {@code getPolicy},
 * {@code policies} and {@code removePolicy} use. Who may call them is the ACL's business ({@link AclFilter}).
 */
@Path("/v1/sys")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyStore store;

    public PolicyResource(PolicyStore store) {
        this.store = store;
    }

    @GET
    @Path("policies/acl/{name}")
    public Response read(@RestPath String name) {
        String key = PolicyStore.normaliseName(name);
        return store.read(key).map(text -> Response.ok(Envelope.data(Map.of("name", key, "policy", text))).build())
                .orElseGet(() -> ErrorMappers.error(404, null));
    }

    @POST
    @Path("policies/acl/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response write(@RestPath String name, String body) {
        store.write(name, text(Body.parse(body, false), "policy"));
        return Response.noContent().build();
    }

    @PUT
    @Path("policies/acl/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response writePut(@RestPath String name, String body) {
        return write(name, body);
    }

    @DELETE
    @Path("policies/acl/{name}")
    public Response delete(@RestPath String name) {
        store.delete(name);
        return Response.noContent().build();
    }

    @ListVerb
    @Path("policies/acl")
    public Response list() {
        List<String> names = store.names();
        return names.isEmpty() ? ErrorMappers.error(404, null)
                : Response.ok(Envelope.data(Map.of("keys", names))).build();
    }

    @GET
    @Path("policies/acl")
    public Response listGet(@RestQuery("list") String list) {
        if (!Boolean.TRUE.equals(Body.parseBool(list))) {
            throw new ApiException(405, "unsupported operation");
        }
        return list();
    }

    // ---- the older sys/policy API ------------------------------------------------------------------------------

    @GET
    @Path("policy")
    public Map<String, Object> policies() {
        List<String> names = new ArrayList<>(store.names());
        names.add(PolicyStore.ROOT);
        names.sort(null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("policies", names);
        data.put("keys", names);
        return Envelope.withDataAtTopLevel(data);
    }

    @GET
    @Path("policy/{name}")
    public Response readOld(@RestPath String name) {
        String key = PolicyStore.normaliseName(name);
        return store.read(key).map(text -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", key);
            data.put("rules", text);
            return Response.ok(Envelope.withDataAtTopLevel(data)).build();
        }).orElseGet(() -> ErrorMappers.error(404, null));
    }

    @PUT
    @Path("policy/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response writeOld(@RestPath String name, String body) {
        Body parsed = Body.parse(body, false);
        store.write(name, text(parsed, parsed.has("policy") ? "policy" : "rules"));
        return Response.noContent().build();
    }

    @POST
    @Path("policy/{name}")
    @Consumes(MediaType.WILDCARD)
    public Response writeOldPost(@RestPath String name, String body) {
        return writeOld(name, body);
    }

    @DELETE
    @Path("policy/{name}")
    public Response deleteOld(@RestPath String name) {
        return delete(name);
    }

    private static String text(Body body, String field) {
        String text = body.string(field).orElse("");
        if (text.isBlank()) {
            throw Body.invalid(field, "missing policy text");
        }
        return text;
    }

}
