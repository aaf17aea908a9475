-- Valid on H2 2.x and PostgreSQL 12+. Times are epoch seconds; lists are comma-joined text.

create table auth_role (
    name                    varchar(256)  not null primary key,
    arn                     varchar(1024) not null,
    token_policies          varchar(4096) not null default '',
    token_ttl               bigint        not null default 0,
    token_max_ttl           bigint        not null default 0,
    token_explicit_max_ttl  bigint        not null default 0,
    token_period            bigint        not null default 0,
    token_num_uses          integer       not null default 0,
    token_no_default_policy boolean       not null default false,
    token_type              varchar(16)   not null default 'default',
    token_bound_cidrs       varchar(4096) not null default '',
    legacy_fields           varchar(128)  not null default '',
    version                 bigint        not null default 0
);

create table mount_config (
    id           integer       not null primary key,
    sts_endpoint varchar(2048) not null default '',
    sts_timeout  bigint        not null,
    version      bigint        not null default 0
);

-- token_hash is the SHA-256 (hex) of the token: the token itself is never stored.
create table auth_token (
    token_hash       varchar(64)   not null primary key,
    accessor         varchar(64)   not null unique,
    role_name        varchar(256)  not null,
    policies         varchar(4096) not null,
    meta             varchar(8192) not null,
    display_name     varchar(512)  not null,
    entity_id        varchar(64)   not null,
    token_type       varchar(16)   not null,
    renewable        boolean       not null,
    creation_time    bigint        not null,
    creation_ttl     bigint        not null,
    expire_time      bigint        not null,
    max_expire_time  bigint        not null default 0,
    explicit_max_ttl bigint        not null default 0,
    period           bigint        not null default 0,
    num_uses         integer       not null default 0,
    bound_cidrs      varchar(4096) not null default ''
);

create index auth_token_role_idx on auth_token (role_name);
create index auth_token_expire_idx on auth_token (expire_time);

create table root_token (
    id         integer     not null primary key,
    token_hash varchar(64) not null,
    created    bigint      not null
);
