package io.alicloudauth.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The key batch tokens are sealed with, base64, itself sealed ({@code Seal}); one row (id 1). Never leaves the service. */
@Entity
@Table(name = "batch_token_key")
public class BatchKey extends PanacheEntityBase {

    static final String TABLE = "batch_token_key";
    static final String COLUMN = "secret_key";

    @Id
    public int id;

    @Column(name = "secret_key", nullable = false)
    public String secretKey;

    @Column(nullable = false)
    public long created;

    @Override
    public String toString() {
        return "BatchKey[created=" + created + "]";
    }
}
