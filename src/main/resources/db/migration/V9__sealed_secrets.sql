-- The seal (SPEC §11): secrets are stored as sealed:v1:<key id>:<base64url(nonce | ciphertext | tag)>, longer than the
-- clear values these columns were sized for. The values themselves are sealed in place at start (seal/SealedColumns),
-- where the seal key is known: a migration never sees it.

alter table batch_token_key alter column secret_key set data type varchar(512);
alter table audit_key alter column hmac_key set data type varchar(512);
alter table root_token alter column token_hash set data type varchar(512);
