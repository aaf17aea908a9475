package io.alicloudauth.token;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

import io.alicloudauth.api.ErrorMappers;

/** Lets a request to an {@link Admin} endpoint through only with the root token. */
@Admin
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminFilter implements ContainerRequestFilter {

    private final RootToken root;

    public AdminFilter(RootToken root) {
        this.root = root;
    }

    @Override
    public void filter(ContainerRequestContext context) {
        if (!root.matches(ClientToken.from(context::getHeaderString))) {
            context.abortWith(ErrorMappers.error(403, "permission denied"));
        }
    }
}
