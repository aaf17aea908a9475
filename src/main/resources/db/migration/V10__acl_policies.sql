-- ACL policies (SPEC §8), stored as written. policy_epoch counts every policy change: each request reads it, so a
-- policy changed on one instance governs the next request on every other.

create table acl_policy (
    name    varchar(128)    not null primary key,
    policy  varchar(262144) not null,
    created bigint          not null,
    updated bigint          not null,
    version bigint          not null default 0
);

create table policy_epoch (
    id    integer not null primary key,
    epoch bigint  not null
);

insert into policy_epoch (id, epoch) values (1, 0);

-- Vault's default policy, for the paths this service serves: token holders may do what they could before policies
-- (look up, renew and revoke their own token), and ask what they may do.
insert into acl_policy (name, policy, created, updated) values ('default', '
# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own entity by id or name
path "identity/entity/id/{{identity.entity.id}}" {
  capabilities = ["read"]
}
path "identity/entity/name/{{identity.entity.name}}" {
  capabilities = ["read"]
}
', 0, 0);
