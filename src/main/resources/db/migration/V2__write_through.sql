-- Write-through to Vault/OpenBao: the optional token role a role mints with, and the login records of tokens
-- that live in Vault. Only the accessor is kept: the token itself stays with Vault and the caller.

alter table auth_role add column vault_token_role varchar(256) not null default '';

create table vault_token (
    accessor      varchar(128)  not null primary key,
    role_name     varchar(256)  not null,
    meta          varchar(8192) not null,
    display_name  varchar(512)  not null,
    creation_time bigint        not null,
    expire_time   bigint        not null
);

create index vault_token_role_idx on vault_token (role_name);
