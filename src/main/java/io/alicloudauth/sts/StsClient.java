package io.alicloudauth.sts;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.config.AuthSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vertx.core.Vertx;

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

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final String DISABLE_DEFAULT_MAPPER = "microprofile.rest.client.disable.default.mapper";

    private final Map<Duration, StsRestClient> clients = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final ObjectMapper json;
    private final AuthSettings.StsLimits limits;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public StsClient(Vertx vertx, ObjectMapper json, AuthSettings settings, MeterRegistry registry) {
        this.vertx = vertx;
        this.json = json;
        this.limits = settings.sts();
        int max = Math.max(1, limits.maxConcurrentCalls());
        this.slots = new Semaphore(max, true);
        this.registry = registry;
        Gauge.builder("alicloud_auth_sts_slots_in_use", slots, s -> max - s.availablePermits())
                .description("STS calls in progress").register(registry);
        Gauge.builder("alicloud_auth_sts_slots_queued", waiting, AtomicInteger::get)
                .description("Logins waiting for an STS slot").register(registry);
    }

    /**
     * @param endpoint the configured {@code sts_endpoint}, or empty to send to the request's own host over https
     */
    public CallerIdentity callerIdentity(StsRequest request, String endpoint, Duration timeout) {
        acquireSlot();
        long start = System.nanoTime();
        String result = "garbage";
        try {
            CallerIdentity identity = call(request, endpoint, timeout);
            result = "ok";
            return identity;
        } catch (ApiException e) {
            result = kind(e);
            throw e;
        } finally {
            slots.release();
            timers.computeIfAbsent(result, r -> Timer.builder("alicloud_auth_sts_calls").tag("result", r)
                    .description("GetCallerIdentity calls to STS, by result: ok, refused (STS said no), timeout,"
                            + " 5xx, unreachable, garbage (an answer that is not a caller identity)")
                    .register(registry)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** What kind of failure an STS call ended in, from the errors this class throws. */
    static String kind(ApiException e) {
        String message = e.getMessage();
        if (e.status() == 403) {
            return "refused";
        }
        if (message.contains("did not answer within")) {
            return "timeout";
        }
        if (message.startsWith("STS answered HTTP 5")) {
            return "5xx";
        }
        if (message.equals("STS could not be reached") || message.equals("STS call failed")) {
            return "unreachable";
        }
        return "garbage";
    }

    /** A slot among the allowed concurrent calls: at once, or after a bounded wait in a bounded queue; else 503. */
    private void acquireSlot() {
        if (slots.tryAcquire()) {
            return;
        }
        if (waiting.incrementAndGet() > limits.queue()) {
            waiting.decrementAndGet();
            noSlot();
            throw ApiException.unavailable("too many logins in progress; try again shortly");
        }
        try {
            if (!slots.tryAcquire(limits.queueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                noSlot();
                throw ApiException.unavailable("too many logins in progress; try again shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting to call STS");
        } finally {
            waiting.decrementAndGet();
        }
    }

    private void noSlot() {
        registry.counter("alicloud_auth_sts_no_slot").increment();
    }

    private CallerIdentity call(StsRequest request, String endpoint, Duration timeout) {
        String base = (endpoint == null || endpoint.isEmpty() ? "https://" + request.host() : stripSlash(endpoint)) + "/";
        long deadline = System.nanoTime() + timeout.toNanos();
        Response response;
        try {
            response = client(timeout).call(base, request.query(), request.headers());
        } catch (RuntimeException e) {
            if (isTimeout(e)) {
                throw ApiException.badGateway("STS did not answer within " + timeout.toSeconds() + "s");
            }
            LOG.debugf("STS call to %s failed: %s", base, e.getClass().getSimpleName());
            throw ApiException.badGateway(isConnect(e) ? "STS could not be reached" : "STS call failed");
        }
        try (Response r = response) {
            return read(r.getStatus(), readBody(r, deadline, timeout));
        }
    }

    /**
     * At most {@link #MAX_RESPONSE_BYTES} of the answer, read from the stream before the deadline; an answer that
     * declares or turns out to be longer, or that is still arriving at the deadline, is abandoned (the connection
     * is reset, the rest never read) and is a 502.
     */
    private String readBody(Response response, long deadline, Duration timeout) {
        int status = response.getStatus();
        if (!response.hasEntity()) {
            return "";
        }
        InputStream in = response.readEntity(InputStream.class);
        int declared = response.getLength(); // -1: not declared (chunked)
        if (declared > MAX_RESPONSE_BYTES) {
            abort(in);
            throw ApiException.badGateway("STS answered with an oversized body (HTTP " + status + ")");
        }
        long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        AtomicBoolean late = new AtomicBoolean();
        long timer = vertx.setTimer(remaining, id -> {
            late.set(true);
            abort(in);
        });
        try {
            // read as much as the answer declares (STS's is under 1 KiB), else up to the cap: asked for the cap,
            // readNBytes takes a 16 KiB buffer for every login (7% of the bytes a login allocated)
            byte[] body = in.readNBytes(declared >= 0 ? declared + 1 : MAX_RESPONSE_BYTES + 1);
            if (body.length > MAX_RESPONSE_BYTES) {
                abort(in);
                throw ApiException.badGateway("STS answered with an oversized body (HTTP " + status + ")");
            }
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException a) {
                throw a;
            }
            abort(in);
            throw ApiException.badGateway(late.get() ? "STS did not answer within " + timeout.toSeconds() + "s"
                    : "STS answered with an unreadable body (HTTP " + status + ")");
        } finally {
            vertx.cancelTimer(timer);
        }
    }

    private static void abort(InputStream body) {
        if (body instanceof BoundedBody bounded) {
            bounded.abort();
        }
    }

    /** One REST client per total timeout (1s to 300s, so few): the idle timeout of its connection is the total. */
    private StsRestClient client(Duration timeout) {
        return clients.computeIfAbsent(timeout, t -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create("http://127.0.0.1:9")) // every call names its own base URL (@Url)
                .connectTimeout(Math.min(CONNECT_TIMEOUT.toMillis(), t.toMillis()), TimeUnit.MILLISECONDS)
                .readTimeout(t.toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .property(DISABLE_DEFAULT_MAPPER, true)
                .register(new BoundedBody.Filter())
                .build(StsRestClient.class));
    }

    private CallerIdentity read(int status, String body) {
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
        return new CallerIdentity(bounded("Arn", arn, 256), bounded("AccountId", account, 32),
                bounded("IdentityType", type, 32), bounded("PrincipalId", principal, 256),
                bounded("UserId", orEmpty(field(node, "UserId")), 64),
                bounded("RoleId", orEmpty(field(node, "RoleId")), 64),
                bounded("RequestId", orEmpty(field(node, "RequestId")), 64));
    }

    /**
     * Every value taken from STS is bounded and printable ASCII before it goes anywhere (a column, a log line, a
     * token's metadata): real values are far shorter (an ARN is about 100 characters).
     */
    static String bounded(String name, String value, int max) {
        if (value.length() > max) {
            throw ApiException.badGateway("STS answered with an oversized " + name + " (" + value.length()
                    + " characters, at most " + max + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw ApiException.badGateway("STS answered with a " + name + " that is not printable ASCII");
            }
        }
        return value;
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
        return causedBy(e, ConnectException.class, "Connect");
    }

    private static boolean isTimeout(Throwable e) {
        return causedBy(e, java.util.concurrent.TimeoutException.class, "Timeout");
    }

    /** Whether {@code e} or a cause is a {@code type}, or a class whose simple name contains {@code name}. */
    private static boolean causedBy(Throwable e, Class<? extends Throwable> type, String name) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (type.isInstance(t) || t.getClass().getSimpleName().contains(name)) {
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
