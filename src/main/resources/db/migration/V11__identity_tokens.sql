-- Identity tokens (SPEC §9): the issuer, named keys, their key pairs, and roles. oidc_epoch counts every change to
-- them, so that every instance on one database serves the same JWKS and signs with the same key from its next
-- request on.

create table oidc_config (
    id     integer       not null primary key,
    issuer varchar(1024) not null
);

insert into oidc_config (id, issuer) values (1, '');

create table oidc_key (
    name               varchar(128)  not null primary key,
    algorithm          varchar(16)   not null,
    rotation_period    bigint        not null,
    verification_ttl   bigint        not null,
    -- a JSON array of client ids; "*" allows every role
    allowed_client_ids varchar(16384) not null,
    -- epoch seconds of the next scheduled rotation; 0 while the key has no material (the default key until a
    -- role names it)
    next_rotation      bigint        not null,
    -- when the last role naming the key stopped naming it: its keys stay published until every token they
    -- signed has expired; null while a role names it or none ever did
    released           bigint,
    created            bigint        not null,
    updated            bigint        not null
);

-- Vault's default key: RS256, 24h / 24h, every client id; its material is made when a role first names it.
insert into oidc_key (name, algorithm, rotation_period, verification_ttl, allowed_client_ids, next_rotation,
                      released, created, updated)
values ('default', 'RS256', 86400, 86400, '["*"]', 0, null, 0, 0);

create table oidc_signing_key (
    kid         varchar(64)   not null primary key,
    key_name    varchar(128)  not null,
    algorithm   varchar(16)   not null,
    -- current (signs), next (published, signs after the next rotation), retired (published until expire_at)
    state       varchar(8)    not null,
    -- the private JWK, sealed (SPEC §11); null once retired
    private_key varchar(16384),
    public_jwk  varchar(4096) not null,
    created     bigint        not null,
    expire_at   bigint
);

create index oidc_signing_key_name on oidc_signing_key (key_name);

create table oidc_role (
    name           varchar(128)  not null primary key,
    key_name       varchar(128)  not null,
    template       varchar(65536) not null,
    client_id      varchar(256)  not null,
    ttl            bigint        not null,
    subject_source varchar(16)   not null,
    created        bigint        not null,
    updated        bigint        not null
);

create table oidc_epoch (
    id    integer not null primary key,
    epoch bigint  not null
);

insert into oidc_epoch (id, epoch) values (1, 0);
