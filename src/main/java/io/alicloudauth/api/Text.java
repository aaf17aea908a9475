package io.alicloudauth.api;

/** Quoting caller input in a message: printable ASCII only, at most 64 characters. */
public final class Text {

    private Text() {
    }

    public static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }
}
