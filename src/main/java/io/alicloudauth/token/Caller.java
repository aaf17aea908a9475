package io.alicloudauth.token;

import jakarta.enterprise.context.RequestScoped;

import io.alicloudauth.api.ApiException;

/**
 * The authenticated caller of this request: the session the ACL filter ({@code policy/AclFilter}) opened, once, for
 * the token the request presents (its use counted once). Resources read it; none authenticates by itself.
 */
@RequestScoped
public class Caller {

    private TokenService.Session session;

    public void set(TokenService.Session session) {
        this.session = session;
    }

    /** The caller's session; a 403 when the request was not authenticated (an unauthenticated path). */
    public TokenService.Session session() {
        if (session == null) {
            throw ApiException.permissionDenied();
        }
        return session;
    }
}
