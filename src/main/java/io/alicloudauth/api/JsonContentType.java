package io.alicloudauth.api;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Answers {@code Content-Type: application/json} exactly, as Vault does: some clients (vault-java-driver) refuse
 * anything else, {@code ;charset=UTF-8} included.
 */
public class JsonContentType {

    @ServerResponseFilter
    public void exactJson(ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (response.hasEntity() && (type == null || MediaType.APPLICATION_JSON_TYPE.isCompatible(type))) {
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
