package io.alicloudauth.login;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.role.RoleArn;

/**
 * The caller's ARN as STS reports it, {@code acs:ram::<account>:assumed-role/<role>/<session>}. Only assumed-role
 * callers may log in (as Vault): RAM users and the root account are refused.
 */
public record CallerArn(String account, String roleName, String session) {

    private static final Pattern ASSUMED_ROLE =
            Pattern.compile("acs:ram::([^:/]+):assumed-role/([^/]+)/(.+)");

    /** The parsed ARN, or a 403 saying why this caller cannot log in. */
    public static CallerArn parse(String arn) {
        Matcher m = ASSUMED_ROLE.matcher(arn == null ? "" : arn);
        if (!m.matches()) {
            throw ApiException.forbidden("only assumed-role callers may log in, but STS reported "
                    + (arn == null ? "no arn" : describe(arn)));
        }
        return new CallerArn(m.group(1), m.group(2), m.group(3));
    }

    /** Vault's "IsMemberOf": same account, same role name (case-sensitive); the session is not checked. */
    public boolean matches(RoleArn role) {
        return account.equals(role.account()) && roleName.equals(role.roleName());
    }

    private static String describe(String arn) {
        if (arn.matches("acs:ram::[^:]+:user/.*")) {
            return "a RAM user";
        }
        if (arn.matches("acs:ram::[^:]+:root")) {
            return "the root account";
        }
        return "an arn of another kind";
    }
}
