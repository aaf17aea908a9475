-- How long a write-through token can live in Vault (its lease may be renewed there, out of our sight): its login
-- record is purged only after that. Existing records: their lease end plus Vault's default max TTL (32 days).

alter table vault_token add column max_expire_time bigint not null default 0;
update vault_token set max_expire_time = expire_time + 2764800;

create index vault_token_max_expire_idx on vault_token (max_expire_time);
