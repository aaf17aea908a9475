package io.alicloudauth.api;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.alicloudauth.config.AuthSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
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
 * <li>a {@code Transfer-Encoding} other than exactly {@code chunked}: 501 and the connection closed (the codec
 * would otherwise read no body and wait on what follows);</li>
 * <li>bodies over the endpoint's cap ({@link #TOKEN_CAP} for login and {@code auth/token/*}, {@link #ADMIN_CAP}
 * otherwise): 413 and the connection closed, before a byte is read when the length is declared, as soon as the cap
 * is passed when it is chunked;</li>
 * <li>a body that does not fit the instance's {@link BodyBudget} of bytes in flight: 503 and the connection
 * closed;</li>
 * <li>a body not received in full within {@code alicloud-auth.http.body-timeout}: 408 and the connection closed
 * (HTTP/2: the stream reset);</li>
 * <li>anything the router itself refuses (a body it cannot read, a route that fails): Vault's
 * {@code {"errors":[...]}} body and at most one log line (an error only for a 500), never a stack trace.</li>
 * </ul>
 * HTTP/2 streams (h2c is on) get the same declared-length caps, budget and deadline; their body is read by the REST
 * layer (which cannot take one read ahead of it), within {@code quarkus.http.limits.max-body-size} (256 KiB); a
 * stream that declares no length reserves its endpoint's cap.
 */
@Singleton
public class RequestGuards {

    private static final Logger LOG = Logger.getLogger(RequestGuards.class);

    /** Login and token endpoints: a login body is 2-4 KB. */
    public static final int TOKEN_CAP = 64 * 1024;
    /** Admin writes (roles, config, policies). */
    public static final int ADMIN_CAP = 256 * 1024;

    private final BodyBudget budget;
    private final long timeoutMillis;
    private final Vertx vertx;
    private final Counter tooLarge;
    private final Counter busy;
    private final Counter timedOut;

    public RequestGuards(AuthSettings settings, Vertx vertx, MeterRegistry registry) {
        this.vertx = vertx;
        this.budget = new BodyBudget(settings.http().bodyBudget());
        this.timeoutMillis = Math.max(1, settings.http().bodyTimeout().toMillis());
        Gauge.builder("alicloud_auth_http_body_bytes_in_flight", budget, BodyBudget::inFlight)
                .description("Request body bytes reserved by requests whose exchange has not ended").register(registry);
        this.tooLarge = refusals(registry, "too_large");
        this.busy = refusals(registry, "budget");
        this.timedOut = refusals(registry, "timeout");
    }

    private static Counter refusals(MeterRegistry registry, String reason) {
        return Counter.builder("alicloud_auth_http_bodies_refused").tag("reason", reason)
                .description("Request bodies refused before they were read in full").register(registry);
    }

    void install(@Observes Router router) {
        router.route("/v1/*").order(Integer.MIN_VALUE + 10).handler(this::refuseUnsupported);
        BodyHandler tokenBodies = BodyHandler.create(false).setBodyLimit(TOKEN_CAP).setHandleFileUploads(false);
        BodyHandler adminBodies = BodyHandler.create(false).setBodyLimit(ADMIN_CAP).setHandleFileUploads(false);
        router.route("/v1/*").order(Integer.MIN_VALUE + 11).handler(ctx -> {
            if (!hasBody(ctx.request())) {
                ctx.next(); // nothing to read: the REST layer sees an empty body as before
                return;
            }
            int cap = cap(ctx.normalizedPath());
            if (admitted(ctx, cap)) {
                if (ctx.request().version() == HttpVersion.HTTP_2) {
                    ctx.next();
                } else {
                    (cap == TOKEN_CAP ? tokenBodies : adminBodies).handle(ctx);
                }
            }
        });
        router.route("/v1/*").order(Integer.MIN_VALUE).failureHandler(this::errorBody);
    }

    /** The body cap of a path: login and token endpoints take small bodies, admin writes larger ones. */
    static int cap(String path) {
        return path.startsWith("/v1/auth/alicloud/login") || path.startsWith("/v1/auth/token/") ? TOKEN_CAP : ADMIN_CAP;
    }

    /**
     * Checks the declared length against the cap, reserves the body's bytes from the budget and starts its deadline;
     * answers false when the request was refused (and answered) instead.
     */
    private boolean admitted(RoutingContext ctx, int cap) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                refuse(ctx, 400, "invalid Content-Length");
                return false;
            }
        }
        if (declared > cap) {
            tooLarge.increment();
            refuse(ctx, 413, "request body too large: at most " + cap / 1024 + " KiB here");
            return false;
        }
        long reserved = declared >= 0 ? declared : cap;
        if (!budget.tryReserve(reserved)) {
            busy.increment();
            refuse(ctx, 503, "the server is busy reading other requests; try again");
            return false;
        }
        AtomicBoolean done = new AtomicBoolean();
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (!request.isEnded() && !ctx.response().ended()) {
                timedOut.increment();
                refuse(ctx, 408, "the request body did not arrive in time");
            }
        });
        ctx.addEndHandler(ended -> {
            if (done.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                budget.release(reserved);
            }
        });
        return true;
    }

    private void refuseUnsupported(RoutingContext ctx) {
        List<String> encodings = ctx.request().headers().getAll(HttpHeaders.TRANSFER_ENCODING);
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            answer(ctx, 405, "unsupported operation");
        } else if (!encodings.isEmpty() && !(encodings.size() == 1
                && encodings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked"))) {
            refuse(ctx, 501, "unsupported Transfer-Encoding: only chunked is accepted");
        } else if (ctx.request().headers().contains("X-Vault-Wrap-TTL")) {
            answer(ctx, 400, "response wrapping is not supported: send the request without X-Vault-Wrap-TTL");
        } else {
            ctx.next();
        }
    }

    /** Whether a body is still to come. */
    private static boolean hasBody(HttpServerRequest request) {
        if (request.isEnded()) {
            return false;
        }
        if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            return true;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        // An HTTP/2 stream says whether data follows only in its frames: a write may carry a body.
        return request.version() == HttpVersion.HTTP_2
                && (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT);
    }

    private void errorBody(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || ctx.response().ended()) {
            return;
        }
        if (status == 413) {
            refuse(ctx, 413, "request body too large");
        } else if (status >= 400 && status < 500) {
            answer(ctx, status, status == 404 ? "unsupported path" : status == 405 ? "unsupported operation"
                    : "invalid request");
        } else if (ctx.failure() instanceof HttpClosedException) {
            // The client hung up (a timeout of its own, a load generator stopping): nobody is left to answer, and it
            // is not the service's error.
            LOG.debugf("the client closed its connection before its request to %s was read", ctx.normalizedPath());
        } else {
            LOG.errorf("request to %s failed before reaching a resource (%s)", ctx.normalizedPath(),
                    ctx.failure() == null ? "status " + status : ctx.failure().getClass().getSimpleName());
            answer(ctx, 500, "internal error");
        }
    }

    /**
     * Answers and ends the exchange without reading what is left of the body: the connection is closed after the
     * answer (HTTP/1.x), or the stream reset (HTTP/2), so an unread body is never waited for.
     */
    private void refuse(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) {
            return;
        }
        HttpServerRequest request = ctx.request();
        if (ctx.response().headWritten()) {
            closeOrReset(request, CANCEL);
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (request.version() == HttpVersion.HTTP_2) {
            // The stream ends cleanly only once the client has sent its body: what is left is dropped as it
            // arrives (nothing is kept), and a client that never finishes is reset at its deadline (status 408).
            if (!request.isEnded() && status != 408) {
                request.handler(dropped -> { });
                request.endHandler(ended -> { });
                request.resume();
                vertx.setTimer(timeoutMillis, id -> {
                    if (!request.isEnded()) {
                        closeOrReset(request, CANCEL);
                    }
                });
            }
            ctx.response().end(ErrorBody.json(message)).onComplete(written -> {
                if (status == 408) {
                    closeOrReset(request, CANCEL);
                }
            });
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.response().end(ErrorBody.json(message)).onComplete(written -> closeOrReset(request, CANCEL));
    }

    /** The HTTP/2 reset code for a stream given up on. */
    private static final long CANCEL = 8;

    private static void closeOrReset(HttpServerRequest request, long code) {
        if (request.version() == HttpVersion.HTTP_2) {
            request.response().reset(code);
        } else if (request.connection() != null) {
            request.connection().close();
        }
    }

    private static void answer(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        ctx.response().end(ErrorBody.json(message));
    }
}
