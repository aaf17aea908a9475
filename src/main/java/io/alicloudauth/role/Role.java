package io.alicloudauth.role;

import java.util.Optional;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A role as stored: lists as comma-joined text, durations in seconds. Never serialised: see {@link RoleView}. */
@Entity
@Table(name = "auth_role")
public class Role extends PanacheEntityBase {

    @Id
    public String name;

    @Column(nullable = false)
    public String arn;

    @Column(name = "token_policies", nullable = false)
    public String tokenPolicies = "";

    @Column(name = "token_ttl", nullable = false)
    public long tokenTtl;

    @Column(name = "token_max_ttl", nullable = false)
    public long tokenMaxTtl;

    @Column(name = "token_explicit_max_ttl", nullable = false)
    public long tokenExplicitMaxTtl;

    @Column(name = "token_period", nullable = false)
    public long tokenPeriod;

    @Column(name = "token_num_uses", nullable = false)
    public int tokenNumUses;

    @Column(name = "token_no_default_policy", nullable = false)
    public boolean tokenNoDefaultPolicy;

    @Column(name = "token_type", nullable = false)
    public String tokenType = "default";

    @Column(name = "token_bound_cidrs", nullable = false)
    public String tokenBoundCidrs = "";

    /** {@code bound_arns}: comma-joined ARN glob patterns ({@link ArnPattern}). */
    @Column(name = "bound_arns", nullable = false)
    public String boundArns = "";

    /** {@code bound_principal_ids}: comma-joined RoleId/UserId values; empty for no restriction. */
    @Column(name = "bound_principal_ids", nullable = false)
    public String boundPrincipalIds = "";

    /** With write-through on: the Vault token role to mint with ({@code auth/token/create/<role>}); empty for none. */
    @Column(name = "vault_token_role", nullable = false)
    public String vaultTokenRole = "";

    /** Which deprecated names ({@code policies}, {@code ttl}, ...) were last written, so reads echo them as Vault does. */
    @Column(name = "legacy_fields", nullable = false)
    public String legacyFields = "";

    /** Raised whenever {@code arn}, {@code bound_arns} or {@code bound_principal_ids} change. */
    @Column(name = "binding_version", nullable = false)
    public long bindingVersion;

    @Version
    public long version;

    public List<String> policies() {
        return split(tokenPolicies);
    }

    public List<String> boundCidrs() {
        return split(tokenBoundCidrs);
    }

    public List<String> legacy() {
        return split(legacyFields);
    }

    /** The bound role ARN; empty when the role binds through {@code bound_arns} only. */
    public Optional<RoleArn> roleArn() {
        return RoleArn.parse(arn);
    }

    public List<ArnPattern> arnPatterns() {
        return split(boundArns).stream().map(p -> ArnPattern.parse(p).orElseThrow()).toList();
    }

    public List<String> principalIds() {
        return split(boundPrincipalIds);
    }

    static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
