package io.alicloudauth.token;

import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An issued token. The id is the token's issue time and SHA-256 ({@link Secrets#key}); the token itself is never
 * stored. Times in epoch seconds.
 */
@Entity
@Table(name = "auth_token")
public class Token extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(nullable = false, unique = true)
    public String accessor;

    @Column(name = "role_name", nullable = false)
    public String roleName;

    @Column(nullable = false)
    public String policies;

    /** The login metadata (SPEC §4) as a JSON object. */
    @Column(nullable = false)
    public String meta;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "entity_id", nullable = false)
    public String entityId;

    @Column(name = "token_type", nullable = false)
    public String tokenType;

    @Column(nullable = false)
    public boolean renewable;

    @Column(name = "creation_time", nullable = false)
    public long creationTime;

    @Column(name = "creation_ttl", nullable = false)
    public long creationTtl;

    @Column(name = "expire_time", nullable = false)
    public long expireTime;

    /** The latest expiry renewal may reach; 0 for a periodic token without an explicit max TTL. */
    @Column(name = "max_expire_time", nullable = false)
    public long maxExpireTime;

    @Column(name = "explicit_max_ttl", nullable = false)
    public long explicitMaxTtl;

    @Column(nullable = false)
    public long period;

    /** Uses left; 0 = unlimited. */
    @Column(name = "num_uses", nullable = false)
    public int numUses;

    @Column(name = "bound_cidrs", nullable = false)
    public String boundCidrs;

    public List<String> policyList() {
        return split(policies);
    }

    public List<String> cidrList() {
        return split(boundCidrs);
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
