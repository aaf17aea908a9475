package io.alicloudauth.identity;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.alicloudauth.policy.EntryExistence;

/** Named keys and roles are entries: writing a new one needs {@code create}, changing one {@code update} (SPEC §8). */
@ApplicationScoped
public class OidcEntries implements EntryExistence {

    private static final String KEYS = "identity/oidc/key/";
    private static final String ROLES = "identity/oidc/role/";

    private final Keys keys;
    private final OidcRoles roles;

    public OidcEntries(Keys keys, OidcRoles roles) {
        this.keys = keys;
        this.roles = roles;
    }

    @Override
    public Optional<Boolean> exists(String path) {
        String key = name(path, KEYS);
        if (key != null) {
            return Optional.of(keys.exists(key));
        }
        String role = name(path, ROLES);
        if (role != null) {
            return Optional.of(roles.exists(role));
        }
        return Optional.empty(); // identity/oidc/key/:name/rotate and the rest: update
    }

    /** The entry name {@code path} names under {@code prefix}; null for anything else. */
    private static String name(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? null : rest;
    }
}
