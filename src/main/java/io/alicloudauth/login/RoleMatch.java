package io.alicloudauth.login;

import io.alicloudauth.role.Role;

/**
 * Whether a role admits a caller (SPEC §4 rule 7 and issue #5): an assumed role of the bound {@code arn} (as
 * Vault), or any caller whose ARN or derived role ARN matches a {@code bound_arns} pattern; and, when
 * {@code bound_principal_ids} is set, only a caller whose immutable id (RoleId or UserId) is listed, so that a
 * deleted and recreated RAM role of the same name does not inherit access.
 */
final class RoleMatch {

    private RoleMatch() {
    }

    static boolean admits(Role role, CallerArn caller, String immutableId) {
        boolean byArn = role.roleArn().map(caller::matches).orElse(false);
        boolean byPattern = caller.matchesAny(role.arnPatterns());
        if (!byArn && !byPattern) {
            return false;
        }
        return role.principalIds().isEmpty() || role.principalIds().contains(immutableId);
    }

    /**
     * The caller's immutable id: the RoleId of an assumed role, the UserId of a RAM user; derived from the
     * PrincipalId ({@code <RoleId>:<session>} or the UserId) when STS leaves the field empty.
     */
    static String immutableId(CallerArn caller, String roleId, String userId, String principalId) {
        String p = principalId == null ? "" : principalId;
        if (caller.kind() == CallerArn.Kind.ASSUMED_ROLE) {
            return roleId != null && !roleId.isEmpty() ? roleId : p.contains(":") ? p.substring(0, p.indexOf(':')) : p;
        }
        return userId != null && !userId.isEmpty() ? userId : p;
    }
}
