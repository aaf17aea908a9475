package io.alicloudauth.sts;

import java.util.Map;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;

/** STS's RPC endpoint: an empty-body POST with everything in the query. Only {@link StsClient} uses it. */
@RegisterRestClient(configKey = "sts")
@Path("/")
interface StsRestClient {

    @POST
    Uni<Response> call(@Url String baseUrl, @RestQuery Map<String, String> query,
            @RestHeader Map<String, String> headers);
}
