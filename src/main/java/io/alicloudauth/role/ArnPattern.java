package io.alicloudauth.role;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code bound_arns} entry: a RAM ARN with {@code *} globs, e.g. {@code acs:ram::1234:role/app-*},
 * {@code acs:ram::1234:assumed-role/ci-role/build-*}, {@code acs:ram::1234:user/deployer},
 * {@code acs:ram::*:role/x}. A {@code *} matches any run of characters except {@code :} (it may cross {@code /}),
 * so a glob never reaches into another ARN field.
 *
 * <p>Matching is by hand, not by regular expression: pattern and ARN are split at {@code :} into the same number of
 * fields and each field is matched with a greedy two-pointer glob, which backtracks only to the last {@code *}. Its
 * cost is bounded by the product of the two lengths whatever the number of stars (a regex of 14 {@code [^:]*}
 * doubled its time per star).
 */
public record ArnPattern(String text) {

    private static final Pattern WELL_FORMED = Pattern.compile(
            "acs:ram::[0-9*]{1,32}:(?:role/[A-Za-z0-9._*-]{1,128}|assumed-role/[A-Za-z0-9._*-]{1,128}/[\\w.@=,*-]{1,128}"
                    + "|user/[\\w.@*-]{1,128})");

    public static Optional<ArnPattern> parse(String text) {
        if (text == null || !WELL_FORMED.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ArnPattern(text));
    }

    public boolean matches(String arn) {
        if (arn == null) {
            return false;
        }
        int p = 0;
        int s = 0;
        while (true) {
            int pEnd = text.indexOf(':', p);
            int sEnd = arn.indexOf(':', s);
            if ((pEnd < 0) != (sEnd < 0)) {
                return false; // different numbers of fields
            }
            int pStop = pEnd < 0 ? text.length() : pEnd;
            int sStop = sEnd < 0 ? arn.length() : sEnd;
            if (!fieldMatches(text, p, pStop, arn, s, sStop)) {
                return false;
            }
            if (pEnd < 0) {
                return true;
            }
            p = pEnd + 1;
            s = sEnd + 1;
        }
    }

    /** {@code pattern[pFrom, pTo)} against {@code text[sFrom, sTo)}, {@code *} matching any run (no {@code :} here). */
    static boolean fieldMatches(String pattern, int pFrom, int pTo, String text, int sFrom, int sTo) {
        int p = pFrom;
        int s = sFrom;
        int star = -1;
        int resume = 0;
        while (s < sTo) {
            if (p < pTo && pattern.charAt(p) == '*') {
                star = p++;
                resume = s;
            } else if (p < pTo && pattern.charAt(p) == text.charAt(s)) {
                p++;
                s++;
            } else if (star >= 0) {
                p = star + 1;
                s = ++resume;
            } else {
                return false;
            }
        }
        while (p < pTo && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pTo;
    }
}
