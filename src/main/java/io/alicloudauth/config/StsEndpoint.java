package io.alicloudauth.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Validation of {@code sts_endpoint}: an https base URL, or plain http to a loopback address only. */
public final class StsEndpoint {

    private StsEndpoint() {
    }

    /** Null when valid, else the reason. */
    public static String problem(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be an https URL";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return "must name a host, with no user info";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            return "must be a base URL with no path, query or fragment";
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            return "must be https unless it points at a loopback address";
        }
        return null;
    }

    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
