package io.alicloudauth.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An identity-token role (SPEC §9): which key signs, for which audience, with what claims and lifetime. */
@Entity
@Table(name = "oidc_role")
public class OidcRole extends PanacheEntityBase {

    @Id
    public String name;

    @Column(name = "key_name")
    public String keyName;

    /** The claim template as stored: decoded JSON text, or empty. */
    public String template;

    @Column(name = "client_id")
    public String clientId;

    public long ttl;

    /** {@code entity_id} (Vault's), {@code role_arn} or {@code alias}: what {@code sub} is. */
    @Column(name = "subject_source")
    public String subjectSource;

    public long created;

    public long updated;
}
