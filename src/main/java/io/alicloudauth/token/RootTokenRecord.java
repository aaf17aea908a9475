package io.alicloudauth.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The hash of a generated root token: one row, id 1. */
@Entity
@Table(name = "root_token")
public class RootTokenRecord extends PanacheEntityBase {

    @Id
    public int id;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    @Column(nullable = false)
    public long created;
}
