package io.alicloudauth.sys;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Text;
import io.alicloudauth.token.BatchTokens;

/**
 * The few {@code sys/} paths Vault's walkthrough and probing tools touch: enabling the (always present) alicloud
 * mount, the mount table, health/seal status, and the rotation of the batch-token key.
 */
@Path("/v1/sys")
@Produces(MediaType.APPLICATION_JSON)
public class SysResource {

    static final String VERSION = "1.15.0+alicloud-auth";
    /** The alicloud mount's accessor, as {@code sys/auth} shows it and templated policies name it. */
    public static final String ALICLOUD_ACCESSOR = "auth_alicloud_0001";

    private final BatchTokens batchTokens;

    public SysResource(BatchTokens batchTokens) {
        this.batchTokens = batchTokens;
    }

    /**
     * {@code vault operator rotate}: a new key for batch tokens. Unlike Vault, which keeps old keys in its keyring,
     * every batch token issued so far stops working (on every instance within seconds).
     */
    @POST
    @Path("rotate")
    @Consumes(MediaType.WILDCARD)
    public Response rotatePost(String body) {
        Body.parse(body, true);
        batchTokens.rotate();
        return Response.noContent().build();
    }

    @PUT
    @Path("rotate")
    @Consumes(MediaType.WILDCARD)
    public Response rotatePut(String body) {
        return rotatePost(body);
    }

    @POST
    @Path("auth/alicloud")
    @Consumes(MediaType.WILDCARD)
    public Response enablePost(String body) {
        return enable(body);
    }

    @PUT
    @Path("auth/alicloud")
    @Consumes(MediaType.WILDCARD)
    public Response enablePut(String body) {
        return enable(body);
    }

    @GET
    @Path("auth")
    public Map<String, Object> mounts() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("alicloud/", mount("alicloud", "AliCloud RAM identities, served by alicloud-auth", ALICLOUD_ACCESSOR));
        table.put("token/", mount("token", "token based credentials", "auth_token_0001"));
        return io.alicloudauth.api.Envelope.withDataAtTopLevel(table);
    }

    @GET
    @Path("health")
    public Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("initialized", true);
        body.put("sealed", false);
        body.put("standby", false);
        body.put("performance_standby", false);
        body.put("replication_performance_mode", "disabled");
        body.put("replication_dr_mode", "disabled");
        body.put("server_time_utc", Instant.now().getEpochSecond());
        body.put("version", VERSION);
        body.put("cluster_name", "alicloud-auth");
        return body;
    }

    @GET
    @Path("seal-status")
    public Map<String, Object> sealStatus() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "shamir");
        body.put("initialized", true);
        body.put("sealed", false);
        body.put("t", 1);
        body.put("n", 1);
        body.put("progress", 0);
        body.put("nonce", "");
        body.put("version", VERSION);
        body.put("migration", false);
        body.put("cluster_name", "alicloud-auth");
        body.put("recovery_seal", false);
        body.put("storage_type", "alicloud-auth");
        return body;
    }

    private static Response enable(String raw) {
        String type = Body.parse(raw, false).string("type").map(String::trim).orElse("");
        if (type.isEmpty()) {
            throw ApiException.badRequest("missing type: this service provides the alicloud auth method");
        }
        if (!type.equals("alicloud")) {
            throw ApiException.badRequest("unsupported auth method type \"" + Text.shorten(type)
                    + "\": this service provides only alicloud");
        }
        return Response.noContent().build();
    }

    private static Map<String, Object> mount(String type, String description, String accessor) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("default_lease_ttl", 0);
        config.put("max_lease_ttl", 0);
        config.put("token_type", "default-service");
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("type", type);
        mount.put("description", description);
        mount.put("accessor", accessor);
        mount.put("config", config);
        mount.put("local", false);
        mount.put("seal_wrap", false);
        mount.put("external_entropy_access", false);
        mount.put("options", null);
        return mount;
    }
}
