package io.alicloudauth.sts;

import java.util.Map;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.rest.client.reactive.Url;

/**
 * STS's RPC endpoint: an empty-body POST with everything in the query. Only {@link StsClient} uses it, built once
 * per total timeout. Blocking and answering a {@link Response}: that is the REST client's one form that streams the
 * body instead of reading it whole, so {@link StsClient} can stop at its cap.
 */
@RegisterRestClient(configKey = "sts")
@Path("/")
interface StsRestClient {

    @POST
    Response call(@Url String baseUrl, @RestQuery Map<String, String> query, @RestHeader Map<String, String> headers);
}
