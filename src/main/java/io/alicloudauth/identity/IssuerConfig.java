package io.alicloudauth.identity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** {@code identity/oidc/config}: the one row holding the configured issuer ({@code ""}: none). */
@Entity
@Table(name = "oidc_config")
public class IssuerConfig extends PanacheEntityBase {

    @Id
    public Integer id;

    public String issuer;
}
