package io.alicloudauth.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The login record of a token that lives in Vault (write-through): its accessor, never the token. */
@Entity
@Table(name = "vault_token")
public class WriteThroughToken extends PanacheEntityBase {

    @Id
    public String accessor;

    @Column(name = "role_name", nullable = false)
    public String roleName;

    @Column(nullable = false)
    public String meta;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "creation_time", nullable = false)
    public long creationTime;

    @Column(name = "expire_time", nullable = false)
    public long expireTime;

    /**
     * The latest time the token can live in Vault (its lease may be renewed there): the role's max TTL from
     * creation, else Vault's default of 32 days; its lease end when it is not renewable. Purged after it.
     */
    @Column(name = "max_expire_time", nullable = false)
    public long maxExpireTime;

    /** The role's binding version when this token was minted ({@code Role.bindingVersion}). */
    @Column(name = "binding_version", nullable = false)
    public long bindingVersion;
}
