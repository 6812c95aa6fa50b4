-- The last TOTP time step a user logged in with: a code is refused once its step has been used,
-- so a code seen over someone's shoulder cannot be replayed within its validity window.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
