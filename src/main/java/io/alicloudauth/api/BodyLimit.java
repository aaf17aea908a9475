package io.alicloudauth.api;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Refuses a request whose declared Content-Length exceeds {@link Body#MAX_BYTES} with a 413 in Vault's error
 * body, before anything reads it. (Quarkus's own {@code quarkus.http.limits.max-body-size}, set higher, stays as
 * the backstop for chunked bodies, and answers those without a body.)
 */
@Singleton
public class BodyLimit {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(length)) {
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"errors\":[\"request body too large\"]}");
                return;
            }
            ctx.next();
        });
    }

    private static boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > Body.MAX_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
