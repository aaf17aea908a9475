package io.alicloudauth.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A named signing key's settings (SPEC §9); its key pairs are {@link KeyPair} rows. Never serialised. */
@Entity
@Table(name = "oidc_key")
public class NamedKey extends PanacheEntityBase {

    @Id
    public String name;

    public String algorithm;

    @Column(name = "rotation_period")
    public long rotationPeriod;

    @Column(name = "verification_ttl")
    public long verificationTtl;

    /** A JSON array of client ids. */
    @Column(name = "allowed_client_ids")
    public String allowedClientIds;

    /** Epoch seconds of the next rotation; 0 while the key has no material yet. */
    @Column(name = "next_rotation")
    public long nextRotation;

    /** When the last role naming this key let go of it; null while a role names it, or none ever did. */
    public Long released;

    public long created;

    public long updated;

    boolean hasMaterial() {
        return nextRotation > 0;
    }
}
