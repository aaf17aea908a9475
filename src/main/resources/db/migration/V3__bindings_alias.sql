-- Bindings beyond one role ARN (glob patterns, immutable principal ids) and the alias source of the mount.

alter table auth_role add column bound_arns varchar(4096) not null default '';
alter table auth_role add column bound_principal_ids varchar(4096) not null default '';
alter table mount_config add column alias_source varchar(32) not null default 'principal_id';

-- The per-install key that audit lines hash tokens, accessors and signatures with (HMAC-SHA256).
create table audit_key (
    id      integer      not null primary key,
    hmac_key varchar(128) not null,
    created bigint       not null
);
