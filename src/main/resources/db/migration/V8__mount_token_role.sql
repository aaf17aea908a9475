-- Write-through: the Vault token role every role of the mount mints with unless it names its own.

alter table mount_config add column vault_token_role varchar(256) not null default '';
