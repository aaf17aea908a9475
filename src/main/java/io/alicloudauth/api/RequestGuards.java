package io.alicloudauth.api;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * What every {@code /v1/} request passes before any resource sees it, and Vault's error body for what the HTTP
 * layer refuses on its own:
 * <ul>
 * <li>{@code X-Vault-Wrap-TTL}: 400, since response wrapping does not exist here (a client asking for it must not
 * get a bare token where it expects a single-use wrapping token);</li>
 * <li>{@code OPTIONS}: 405 (no CORS), like every verb a path does not serve;</li>
 * <li>bodies over {@link Body#MAX_BYTES}, declared or chunked: 413 before more is read, never buffered further;</li>
 * <li>anything the router itself refuses (a body it cannot read, a route that fails): Vault's
 * {@code {"errors":[...]}} body and at most one log line (an error only for a 500), never a stack trace.</li>
 * </ul>
 */
@Singleton
public class RequestGuards {

    private static final Logger LOG = Logger.getLogger(RequestGuards.class);

    void install(@Observes Router router) {
        router.route("/v1/*").order(Integer.MIN_VALUE + 10).handler(RequestGuards::refuseUnsupported);
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(Body.MAX_BYTES).setHandleFileUploads(false);
        router.route("/v1/*").order(Integer.MIN_VALUE + 11).handler(ctx -> {
            if (hasBody(ctx)) {
                bodies.handle(ctx);
            } else {
                ctx.next(); // nothing to read: the REST layer sees an empty body as before
            }
        });
        router.route("/v1/*").order(Integer.MIN_VALUE).failureHandler(RequestGuards::errorBody);
    }

    private static void refuseUnsupported(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            answer(ctx, 405, "unsupported operation");
        } else if (ctx.request().headers().contains("X-Vault-Wrap-TTL")) {
            answer(ctx, 400, "response wrapping is not supported: send the request without X-Vault-Wrap-TTL");
        } else {
            ctx.next();
        }
    }

    /**
     * Whether an HTTP/1.x body is still to come. HTTP/2 requests (h2c: Java's HttpClient tries an upgrade on plain
     * http) are left to the REST layer's own limit: the REST layer cannot take an HTTP/2 body read ahead of it.
     */
    private static boolean hasBody(RoutingContext ctx) {
        if (ctx.request().isEnded() || ctx.request().version() == HttpVersion.HTTP_2) {
            return false;
        }
        if (ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            return true;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null && !length.trim().equals("0");
    }

    private static void errorBody(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || ctx.response().ended()) {
            return;
        }
        if (status == 413) {
            answer(ctx, 413, "request body too large");
        } else if (status >= 400 && status < 500) {
            answer(ctx, status, status == 404 ? "unsupported path" : status == 405 ? "unsupported operation"
                    : "invalid request");
        } else {
            LOG.errorf("request to %s failed before reaching a resource (%s)", ctx.normalizedPath(),
                    ctx.failure() == null ? "status " + status : ctx.failure().getClass().getSimpleName());
            answer(ctx, 500, "internal error");
        }
    }

    private static void answer(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (status == 413) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().end(ErrorBody.json(message));
    }
}
