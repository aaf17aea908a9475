package io.alicloudauth.cli;

/** Text from outside (a file, an answer, the environment) made safe for one line on a terminal. */
final class Printable {

    static final int MAX = 200;

    private Printable() {
    }

    /**
     * A URL as it may be shown: scheme, host and port only. Its user info (a password, a token), path and query may
     * carry secrets and are never printed.
     */
    static String uri(java.net.URI uri) {
        if (uri == null || uri.getHost() == null) {
            return "a URL";
        }
        return of(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : ""));
    }

    /** {@link #uri(java.net.URI)} of text that may not even be a URL. */
    static String uri(String text) {
        try {
            return uri(java.net.URI.create(text.trim()));
        } catch (RuntimeException e) {
            return "a URL";
        }
    }

    /** Printable ASCII only, at most {@link #MAX} characters; {@code null} stays "null". */
    static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > MAX ? out + "..." : out.toString();
    }
}
