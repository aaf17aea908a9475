-- A service token is stored under its issue time (11 hex digits) and its SHA-256 (64): see token/Secrets.
-- Tokens issued before keep their 64-character hash.

alter table auth_token alter column token_hash set data type varchar(128);
