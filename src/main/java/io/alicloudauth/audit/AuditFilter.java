package io.alicloudauth.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.ClientAddresses;
import io.alicloudauth.api.ErrorBody;
import io.alicloudauth.token.ClientToken;
import io.vertx.core.http.HttpServerRequest;

/** One audit line per request to a protected path (every {@code /v1/} path but login and the health probes). */
public class AuditFilter {

    private final AuditLog audit;
    private final ClientAddresses addresses;

    public AuditFilter(AuditLog audit, ClientAddresses addresses) {
        this.audit = audit;
        this.addresses = addresses;
    }

    @ServerResponseFilter
    public void audit(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!audit.enabled() || !isProtected(path)) {
            return;
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("method", request.getMethod());
        entry.put("path", path);
        entry.put("client_address", addresses.of(http));
        entry.put("token", audit.hmac(ClientToken.from(request::getHeaderString)));
        // What the ACL decided on (policy/AclFilter): the operation, the path checked and the policies consulted.
        io.alicloudauth.policy.AclFilter.decision().ifPresent(d -> {
            entry.put("operation", d.operation());
            entry.put("acl_path", d.path());
            entry.put("policies", d.policies());
        });
        entry.put("status", response.getStatus());
        if (response.getEntity() instanceof ErrorBody error && !error.errors().isEmpty()) {
            entry.put("error", String.join("; ", error.errors()));
        }
        try {
            audit.write("request", entry);
        } catch (ApiException e) {
            // Logged by AuditLog; the request has already been carried out.
        }
    }

    static boolean isProtected(String path) {
        return path.startsWith("/v1/") && !path.startsWith("/v1/auth/alicloud/login")
                && !path.equals("/v1/sys/health") && !path.equals("/v1/sys/seal-status");
    }
}
