package io.alicloudauth.role;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a role read returns: every {@code token_*} field and {@code arn}; deprecated names only while in use. */
public final class RoleView {

    private RoleView() {
    }

    public static Map<String, Object> of(Role role) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("arn", role.arn);
        data.put("bound_arns", Role.split(role.boundArns));
        data.put("bound_principal_ids", role.principalIds());
        data.put("token_bound_cidrs", role.boundCidrs());
        data.put("token_explicit_max_ttl", role.tokenExplicitMaxTtl);
        data.put("token_max_ttl", role.tokenMaxTtl);
        data.put("token_no_default_policy", role.tokenNoDefaultPolicy);
        data.put("token_num_uses", role.tokenNumUses);
        data.put("token_period", role.tokenPeriod);
        data.put("token_policies", role.policies());
        data.put("token_ttl", role.tokenTtl);
        data.put("token_type", role.tokenType);
        data.put("vault_token_role", role.vaultTokenRole);
        List<String> legacy = role.legacy();
        if (legacy.contains("policies") && !role.policies().isEmpty()) {
            data.put("policies", role.policies());
        }
        if (legacy.contains("bound_cidrs") && !role.boundCidrs().isEmpty()) {
            data.put("bound_cidrs", role.boundCidrs());
        }
        if (legacy.contains("ttl") && role.tokenTtl > 0) {
            data.put("ttl", role.tokenTtl);
        }
        if (legacy.contains("max_ttl") && role.tokenMaxTtl > 0) {
            data.put("max_ttl", role.tokenMaxTtl);
        }
        if (legacy.contains("period") && role.tokenPeriod > 0) {
            data.put("period", role.tokenPeriod);
        }
        return data;
    }
}
