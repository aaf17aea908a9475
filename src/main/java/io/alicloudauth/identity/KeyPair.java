package io.alicloudauth.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One key pair of a named key: the {@code current} one signs, the {@code next} one is published ahead of its use,
 * {@code retired} ones are published (public part only: the private one is erased at retirement) until every
 * token they signed has expired. The private JWK is sealed (SPEC §11) and leaves this package only as a signer.
 */
@Entity
@Table(name = "oidc_signing_key")
public class KeyPair extends PanacheEntityBase {

    static final String CURRENT = "current";
    static final String NEXT = "next";
    static final String RETIRED = "retired";
    static final String TABLE = "oidc_signing_key";
    static final String PRIVATE_COLUMN = "private_key";

    @Id
    public String kid;

    @Column(name = "key_name")
    public String keyName;

    public String algorithm;

    public String state;

    /** Sealed under the seal key, bound to this table, kid and column; null once retired. */
    @Column(name = "private_key")
    public String privateKey;

    @Column(name = "public_jwk")
    public String publicJwk;

    public long created;

    /** Retired keys: published until then (epoch seconds). */
    @Column(name = "expire_at")
    public Long expireAt;

    @Override
    public String toString() {
        return "KeyPair[" + kid + ", " + keyName + ", " + state + "]";
    }
}
