package io.alicloudauth.role;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.alicloudauth.policy.EntryExistence;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Roles are entries: writing a new one needs {@code create}, changing one {@code update} (SPEC §8). */
@ApplicationScoped
public class RoleEntries implements EntryExistence {

    private static final String PREFIX = "auth/alicloud/role/";

    private final RoleService roles;

    public RoleEntries(RoleService roles) {
        this.roles = roles;
    }

    @Override
    public Optional<Boolean> exists(String path) {
        if (!path.startsWith(PREFIX) || path.length() == PREFIX.length() || path.indexOf('/', PREFIX.length()) >= 0) {
            return Optional.empty();
        }
        String name = path.substring(PREFIX.length());
        try {
            String key = RoleService.normaliseName(name);
            return Optional.of(QuarkusTransaction.requiringNew().call(() -> roles.find(key).isPresent()));
        } catch (RuntimeException invalidName) {
            return Optional.of(false); // the write itself refuses the name
        }
    }
}
