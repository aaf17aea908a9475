package io.alicloudauth.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.alicloudauth.api.Body;
import io.alicloudauth.api.Envelope;

/** {@code auth/alicloud/config} (SPEC §5). */
@Path("/v1/auth/alicloud/config")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {

    private final ConfigService config;

    public ConfigResource(ConfigService config) {
        this.config = config;
    }

    @GET
    public Envelope read() {
        ConfigService.Settings settings = config.current();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sts_endpoint", settings.stsEndpoint());
        data.put("sts_timeout", settings.stsTimeout().toSeconds());
        data.put("alias_source", settings.aliasSource());
        data.put("vault_token_role", settings.vaultTokenRole());
        data.put("server_id", settings.serverId());
        return Envelope.data(data);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post(String body) {
        return write(body);
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response put(String body) {
        return write(body);
    }

    private Response write(String raw) {
        List<String> ignored = config.write(Body.parse(raw, false));
        if (ignored.isEmpty()) {
            return Response.noContent().build();
        }
        return Response.ok(Envelope.warnings(List.of("Endpoint ignored these unrecognized parameters: " + ignored)))
                .build();
    }
}
