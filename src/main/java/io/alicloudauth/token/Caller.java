package io.alicloudauth.token;

import jakarta.inject.Singleton;

import io.alicloudauth.api.ApiException;
import io.smallrye.common.vertx.ContextLocals;

/**
 * The authenticated caller of this request: the session the ACL filter ({@code policy/AclFilter}) opened, once, for
 * the token the request presents (its use counted once). Resources read it; none authenticates by itself. Kept in
 * the request's own Vert.x context (a request-scoped bean would make every request start a CDI request context).
 */
@Singleton
public class Caller {

    private static final String KEY = "alicloud-auth.caller";

    public void set(TokenService.Session session) {
        ContextLocals.put(KEY, session);
    }

    /** The caller's session; a 403 when the request was not authenticated (an unauthenticated path). */
    public TokenService.Session session() {
        return ContextLocals.<TokenService.Session>get(KEY).orElseThrow(ApiException::permissionDenied);
    }
}
