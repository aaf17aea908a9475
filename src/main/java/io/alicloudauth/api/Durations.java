package io.alicloudauth.api;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Vault's duration fields: integer seconds, or a Go duration string ({@code 90s}, {@code 1h30m}, {@code 1.5h}, {@code 2d}). */
public final class Durations {

    /** 100 years: anything longer is a mistake, and it keeps every sum of seconds far from overflow. */
    public static final long MAX_SECONDS = 100L * 366 * 24 * 3600;

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");

    private Durations() {
    }

    public static long parseSeconds(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return 0;
        }
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("cannot be negative");
        }
        if (s.chars().allMatch(Character::isDigit)) {
            if (s.length() > 12) {
                throw new IllegalArgumentException("out of range");
            }
            return checkRange(Long.parseLong(s));
        }
        if (s.length() > 64 || !WHOLE.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid duration \"" + abbreviate(s) + "\"");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(s);
        while (m.find()) {
            BigDecimal amount = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
        }
        BigDecimal seconds = nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000_000L));
        if (seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
            throw new IllegalArgumentException("out of range");
        }
        return seconds.longValueExact();
    }

    public static long checkRange(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("cannot be negative");
        }
        if (seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("out of range");
        }
        return seconds;
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }
}
