package io.alicloudauth.role;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A RAM role ARN, {@code acs:ram::<account>:role/<name>}: the only kind a role may be bound to. */
public record RoleArn(String account, String roleName) {

    private static final Pattern ROLE_ARN = Pattern.compile("acs:ram::(\\d{1,32}):role/([A-Za-z0-9._-]{1,128})");

    public static Optional<RoleArn> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = ROLE_ARN.matcher(text);
        return m.matches() ? Optional.of(new RoleArn(m.group(1), m.group(2))) : Optional.empty();
    }

    @Override
    public String toString() {
        return "acs:ram::" + account + ":role/" + roleName;
    }
}
