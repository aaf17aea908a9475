package io.alicloudauth.config;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The mount's configuration (SPEC §5): one row, id 1. */
@Entity
@Table(name = "mount_config")
public class MountConfig extends PanacheEntityBase {

    public static final long DEFAULT_STS_TIMEOUT = 10;

    @Id
    public int id = 1;

    @Column(name = "sts_endpoint", nullable = false)
    public String stsEndpoint = "";

    /** Seconds. */
    @Column(name = "sts_timeout", nullable = false)
    public long stsTimeout = DEFAULT_STS_TIMEOUT;

    /** Which caller attribute names the identity alias (entity id, display name): see {@code ConfigService}. */
    @Column(name = "alias_source", nullable = false)
    public String aliasSource = "principal_id";

    /** Write-through: the Vault token role roles mint with unless they name their own; empty for none. */
    @Column(name = "vault_token_role", nullable = false)
    public String vaultTokenRole = "";

    /** SPEC §10: the value every login must sign in {@code x-acs-vault-server-id}; empty for none. */
    @Column(name = "server_id", nullable = false)
    public String serverId = "";

    @Version
    public long version;
}
