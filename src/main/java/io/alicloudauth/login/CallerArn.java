package io.alicloudauth.login;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.role.ArnPattern;
import io.alicloudauth.role.RoleArn;

/**
 * The caller's ARN as STS reports it: an assumed role ({@code acs:ram::<account>:assumed-role/<role>/<session>}),
 * a RAM user ({@code acs:ram::<account>:user/<name>}), or something that may never log in (the root account).
 */
public record CallerArn(String full, String account, Kind kind, String name, String session) {

    public enum Kind { ASSUMED_ROLE, USER }

    private static final Pattern ASSUMED_ROLE = Pattern.compile("acs:ram::([^:/]+):assumed-role/([^/]+)/(.+)");
    private static final Pattern USER = Pattern.compile("acs:ram::([^:/]+):user/(.+)");

    /** The parsed ARN, or a 403 saying why this caller cannot log in. */
    public static CallerArn parse(String arn) {
        String text = arn == null ? "" : arn;
        Matcher m = ASSUMED_ROLE.matcher(text);
        if (m.matches()) {
            return new CallerArn(text, m.group(1), Kind.ASSUMED_ROLE, m.group(2), m.group(3));
        }
        m = USER.matcher(text);
        if (m.matches()) {
            return new CallerArn(text, m.group(1), Kind.USER, m.group(2), "");
        }
        throw ApiException.forbidden("only assumed-role callers and RAM users may log in, but STS reported "
                + (text.matches("acs:ram::[^:]+:root") ? "the root account" : "an arn of another kind"));
    }

    /** The role ARN an assumed-role caller derives from (session dropped); null for a user. */
    public String roleArn() {
        return kind == Kind.ASSUMED_ROLE ? "acs:ram::" + account + ":role/" + name : null;
    }

    /** Vault's "IsMemberOf": an assumed role of the same account and role name (case-sensitive). */
    public boolean matches(RoleArn role) {
        return kind == Kind.ASSUMED_ROLE && account.equals(role.account()) && name.equals(role.roleName());
    }

    /**
     * Whether a {@code bound_arns} pattern admits this caller: its own ARN, or for an assumed role the role ARN it
     * derives from. RAM users match only {@code user/} patterns, since a pattern's resource type is literal.
     */
    public boolean matchesAny(List<ArnPattern> patterns) {
        for (ArnPattern pattern : patterns) {
            if (pattern.matches(full) || (kind == Kind.ASSUMED_ROLE && pattern.matches(roleArn()))) {
                return true;
            }
        }
        return false;
    }
}
