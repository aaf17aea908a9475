package io.alicloudauth.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An ACL policy: its name (lowercase) and its text, exactly as written. */
@Entity
@Table(name = "acl_policy")
public class AclPolicy extends PanacheEntityBase {

    @Id
    public String name;

    @Column(nullable = false)
    public String policy;

    @Column(nullable = false)
    public long created;

    @Column(nullable = false)
    public long updated;

    @Version
    public long version;
}
