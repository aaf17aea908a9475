-- The key batch tokens (hvb.) are sealed with (AES-256-GCM). One row; a new row invalidates every batch token.

create table batch_token_key (
    id         integer     not null primary key,
    secret_key varchar(64) not null,
    created    bigint      not null
);
