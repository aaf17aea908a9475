package io.alicloudauth.sts;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.config.AuthSettings;
import io.smallrye.mutiny.TimeoutException;

/**
 * Replays a validated GetCallerIdentity request and turns STS's answer into a {@link CallerIdentity} or an error:
 * 403 when STS refuses the signature (naming its code), 502 when STS cannot be reached, times out, answers 5xx or
 * anything that is not a well-formed identity. Never retried: a replayed request fails on its nonce.
 */
@ApplicationScoped
public class StsClient {

    private static final Logger LOG = Logger.getLogger(StsClient.class);
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9.]{1,64}");

    private final StsRestClient rest;
    private final ObjectMapper json;
    private final AuthSettings.StsLimits limits;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();

    public StsClient(@RestClient StsRestClient rest, ObjectMapper json, AuthSettings settings) {
        this.rest = rest;
        this.json = json;
        this.limits = settings.sts();
        this.slots = new Semaphore(Math.max(1, limits.maxConcurrentCalls()), true);
    }

    /**
     * @param endpoint the configured {@code sts_endpoint}, or empty to send to the request's own host over https
     */
    public CallerIdentity callerIdentity(StsRequest request, String endpoint, Duration timeout) {
        acquireSlot();
        try {
            return call(request, endpoint, timeout);
        } finally {
            slots.release();
        }
    }

    /** A slot among the allowed concurrent calls: at once, or after a bounded wait in a bounded queue; else 503. */
    private void acquireSlot() {
        if (slots.tryAcquire()) {
            return;
        }
        if (waiting.incrementAndGet() > limits.queue()) {
            waiting.decrementAndGet();
            throw ApiException.unavailable("too many logins in progress; try again shortly");
        }
        try {
            if (!slots.tryAcquire(limits.queueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw ApiException.unavailable("too many logins in progress; try again shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting to call STS");
        } finally {
            waiting.decrementAndGet();
        }
    }

    private CallerIdentity call(StsRequest request, String endpoint, Duration timeout) {
        String base = (endpoint == null || endpoint.isEmpty() ? "https://" + request.host() : stripSlash(endpoint)) + "/";
        Response response;
        try {
            response = rest.call(base, request.query(), request.headers()).await().atMost(timeout);
        } catch (WebApplicationException e) {
            response = e.getResponse();
        } catch (TimeoutException e) {
            throw ApiException.badGateway("STS did not answer within " + timeout.toSeconds() + "s");
        } catch (RuntimeException e) {
            LOG.debugf("STS call to %s failed: %s", base, e.getClass().getSimpleName());
            throw ApiException.badGateway(isConnect(e) ? "STS could not be reached" : "STS call failed");
        }
        try (Response r = response) {
            return read(r);
        }
    }

    private CallerIdentity read(Response response) {
        int status = response.getStatus();
        if (response.getLength() > MAX_RESPONSE_BYTES) {
            throw ApiException.badGateway("STS answered with an oversized body (HTTP " + status + ")");
        }
        String body;
        try {
            body = response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException e) {
            throw ApiException.badGateway("STS answered with an unreadable body (HTTP " + status + ")");
        }
        if (body.length() > MAX_RESPONSE_BYTES) {
            throw ApiException.badGateway("STS answered with an oversized body (HTTP " + status + ")");
        }
        JsonNode node = parse(body);
        if (status >= 400 && status < 500) {
            String code = field(node, "Code");
            if (code != null && ERROR_CODE.matcher(code).matches()) {
                throw ApiException.forbidden("STS refused the request: " + code);
            }
            throw ApiException.badGateway("STS answered HTTP " + status + " without an error code");
        }
        if (status != 200) {
            throw ApiException.badGateway("STS answered HTTP " + status);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badGateway("STS answered with a body that is not a JSON object");
        }
        String arn = field(node, "Arn");
        String account = field(node, "AccountId");
        String type = field(node, "IdentityType");
        String principal = field(node, "PrincipalId");
        if (isBlank(arn) || isBlank(account) || isBlank(type) || isBlank(principal)) {
            throw ApiException.badGateway("STS answer lacks Arn, AccountId, IdentityType or PrincipalId");
        }
        return new CallerIdentity(arn, account, type, principal, orEmpty(field(node, "UserId")),
                orEmpty(field(node, "RoleId")), orEmpty(field(node, "RequestId")));
    }

    private JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : json.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /** A string field matched case-insensitively (as Go's decoder does); null if absent or not a string. */
    private static String field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return e.getValue().isTextual() ? e.getValue().asText() : null;
            }
        }
        return null;
    }

    private static boolean isConnect(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConnectException || t.getClass().getSimpleName().contains("Connect")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
