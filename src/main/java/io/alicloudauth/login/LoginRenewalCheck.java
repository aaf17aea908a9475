package io.alicloudauth.login;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.role.Role;
import io.alicloudauth.role.RoleService;
import io.alicloudauth.token.RenewalCheck;

/** Renewal as Vault's {@code AuthRenew}: the role must still exist and still admit the token's caller ARN. */
@ApplicationScoped
public class LoginRenewalCheck implements RenewalCheck {

    private final RoleService roles;

    public LoginRenewalCheck(RoleService roles) {
        this.roles = roles;
    }

    @Override
    public Terms check(String roleName, Map<String, String> metadata) {
        Role role = roles.find(roleName)
                .orElseThrow(() -> ApiException.forbidden("role entry not found: the token can no longer be renewed"));
        CallerArn caller = CallerArn.parse(metadata.get("arn"));
        String immutableId = RoleMatch.immutableId(caller, metadata.get("role_id"), metadata.get("user_id"),
                metadata.get("principal_id"));
        if (!RoleMatch.admits(role, caller, immutableId)) {
            throw ApiException.forbidden("the caller's arn does not match the role's arn");
        }
        return new Terms(role.tokenTtl, role.tokenMaxTtl, role.tokenPeriod);
    }
}
