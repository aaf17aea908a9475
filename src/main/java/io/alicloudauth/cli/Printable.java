package io.alicloudauth.cli;

/** Text from outside (a file, an answer, the environment) made safe for one line on a terminal. */
final class Printable {

    static final int MAX = 200;

    private Printable() {
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
