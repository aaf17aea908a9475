package io.alicloudauth.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The caller's IP address, for bound CIDRs, rate limits and the audit log. Without proxy address forwarding it is
 * the connection's peer. With {@code quarkus.http.proxy.proxy-address-forwarding=true}, forwarded headers count
 * only when the peer is one of {@code quarkus.http.proxy.trusted-proxies} (IP addresses or CIDR blocks), and the
 * client is the nearest hop that is not a trusted proxy, walking {@code X-Forwarded-For} (or {@code Forwarded},
 * with {@code allow-forwarded}) from the right: a proxy appends the address it saw, so whatever the client wrote
 * further left is never believed. Quarkus' own rewrite of the remote address (leftmost entry) is not used.
 */
@Singleton
public class ClientAddresses {

    private static final Logger LOG = Logger.getLogger(ClientAddresses.class);
    static final int MAX_HOPS = 32;

    private final boolean forwarding;
    private final boolean useForwarded;
    private final boolean useXForwarded;
    private final List<String> trusted;

    public ClientAddresses(
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.allow-forwarded", defaultValue = "false") boolean allowForwarded,
            @ConfigProperty(name = "quarkus.http.proxy.allow-x-forwarded") Optional<Boolean> allowXForwarded,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trustedProxies) {
        this.trusted = parseTrusted(trustedProxies.orElse(List.of()));
        this.forwarding = forwarding && !trusted.isEmpty();
        this.useForwarded = allowForwarded;
        this.useXForwarded = allowXForwarded.orElse(!allowForwarded);
        if (forwarding && trusted.isEmpty()) {
            LOG.warn("quarkus.http.proxy.proxy-address-forwarding is on but quarkus.http.proxy.trusted-proxies is"
                    + " empty: forwarded headers are ignored (client addresses are the connections' peers)");
        }
    }

    /** Trusted proxies as CIDR blocks; anything but an IP address or a CIDR block stops the service. */
    static List<String> parseTrusted(List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            String normal = Cidrs.normalise(entry.trim());
            if (normal == null) {
                throw new IllegalStateException("quarkus.http.proxy.trusted-proxies: \"" + Text.shorten(entry)
                        + "\" is not an IP address or a CIDR block (host names and ports are not supported here)");
            }
            out.add(normal);
        }
        return List.copyOf(out);
    }

    public String of(HttpServerRequest request) {
        if (request == null) {
            return null;
        }
        SocketAddress peer = request.connection() == null ? request.remoteAddress()
                : request.connection().remoteAddress();
        String address = peer == null ? null : peer.hostAddress();
        if (!forwarding || address == null || !Cidrs.contains(trusted, address)) {
            return address;
        }
        List<String> hops = null;
        if (useForwarded) {
            hops = forwardedFor(request.headers().getAll("Forwarded"));
        }
        if ((hops == null || hops.isEmpty()) && useXForwarded) {
            hops = xForwardedFor(request.headers().getAll("X-Forwarded-For"));
        }
        return hops == null ? address : nearestUntrusted(hops, address, trusted);
    }

    /**
     * Walks from the peer leftwards through the hops while each is a trusted proxy; the first that is not is the
     * client. An entry that is not an IP address ends the walk as the client's address, which no CIDR contains.
     */
    static String nearestUntrusted(List<String> hops, String peer, List<String> trusted) {
        String current = peer;
        for (int i = hops.size() - 1; i >= 0 && Cidrs.contains(trusted, current); i--) {
            current = hops.get(i);
            if (Cidrs.literal(current) == null) {
                return Text.shorten(current);
            }
        }
        return current;
    }

    /** Every X-Forwarded-For entry, in order, over all header lines; null when there are too many. */
    static List<String> xForwardedFor(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String part : line.split(",")) {
                hops.add(stripPort(part.trim()));
            }
        }
        return hops.size() > MAX_HOPS ? tail(hops) : hops;
    }

    /** The {@code for=} of every element of RFC 7239 {@code Forwarded} lines, in order. */
    static List<String> forwardedFor(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String element : line.split(",")) {
                String found = "unknown";
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                        String value = pair.substring(eq + 1).trim();
                        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                            value = value.substring(1, value.length() - 1);
                        }
                        found = stripPort(value);
                    }
                }
                hops.add(found);
            }
        }
        return hops.size() > MAX_HOPS ? tail(hops) : hops;
    }

    /** Only the last hops matter (the walk starts at the right); a flood of entries is cut, not walked. */
    private static List<String> tail(List<String> hops) {
        return hops.subList(hops.size() - MAX_HOPS, hops.size());
    }

    /** {@code 1.2.3.4:80} → {@code 1.2.3.4}; {@code [::1]:80} → {@code ::1}; a bare IPv6 address stays. */
    static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close > 0 ? hop.substring(1, close) : hop;
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
