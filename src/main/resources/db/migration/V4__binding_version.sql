-- Which binding (arn, bound_arns, bound_principal_ids) of its role a write-through token was minted under: when the
-- binding changes, tokens minted under an older one are revoked in Vault.

alter table auth_role add column binding_version bigint not null default 0;
alter table vault_token add column binding_version bigint not null default 0;
