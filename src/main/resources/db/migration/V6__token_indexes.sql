-- Local tokens are never looked up by role: one index less to write on every login.

drop index auth_token_role_idx;
