package io.alicloudauth.role;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code bound_arns} entry: a RAM ARN with {@code *} globs, e.g. {@code acs:ram::1234:role/app-*},
 * {@code acs:ram::1234:assumed-role/ci-role/build-*}, {@code acs:ram::1234:user/deployer},
 * {@code acs:ram::*:role/x}. A {@code *} matches any run of characters except {@code :} (it may cross {@code /}),
 * so a glob never reaches into another ARN field.
 */
public record ArnPattern(String text, Pattern regex) {

    private static final Pattern WELL_FORMED = Pattern.compile(
            "acs:ram::[0-9*]{1,32}:(?:role/[A-Za-z0-9._*-]{1,128}|assumed-role/[A-Za-z0-9._*-]{1,128}/[\\w.@=,*-]{1,128}"
                    + "|user/[\\w.@*-]{1,128})");

    public static Optional<ArnPattern> parse(String text) {
        if (text == null || !WELL_FORMED.matcher(text).matches()) {
            return Optional.empty();
        }
        StringBuilder regex = new StringBuilder();
        for (String literal : text.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("[^:]*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Optional.of(new ArnPattern(text, Pattern.compile(regex.toString())));
    }

    public boolean matches(String arn) {
        return arn != null && regex.matcher(arn).matches();
    }
}
