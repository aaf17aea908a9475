-- SPEC §10: the server id a login must be signed for (V3, x-acs-vault-server-id); empty = not required.
alter table mount_config add column server_id varchar(255) not null default '';
