package io.alicloudauth.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The per-install HMAC key of the audit log: one row, id 1, shared by every instance on the database. */
@Entity
@Table(name = "audit_key")
public class AuditKey extends PanacheEntityBase {

    static final String TABLE = "audit_key";
    static final String COLUMN = "hmac_key";

    @Id
    public int id;

    /** 256 random bits, hex, sealed ({@code Seal}). */
    @Column(name = "hmac_key", nullable = false)
    public String hmacKey;

    @Column(nullable = false)
    public long created;

    static AuditKey generate(String hex) {
        AuditKey key = new AuditKey();
        key.id = 1;
        key.hmacKey = hex;
        key.created = Instant.now().getEpochSecond();
        return key;
    }
}
