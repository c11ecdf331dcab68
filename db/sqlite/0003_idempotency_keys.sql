-- Responses to writes sent with an Idempotency-Key, stored in the same transaction as the write
-- itself, per caller, for at least 24 hours.
-- KeyHash is SHA-256 of subject, newline, key: exact (case-sensitive) and of fixed size in both dialects.
CREATE TABLE IdempotencyKeys (
    KeyHash     TEXT    NOT NULL,
    Subject     TEXT    NOT NULL,
    IdemKey     TEXT    NOT NULL,
    Fingerprint TEXT    NOT NULL,
    Status      INTEGER NOT NULL,
    Body        TEXT    NOT NULL,
    Location    TEXT    NULL,
    ETag        TEXT    NOT NULL,
    CreatedAt   TEXT    NOT NULL,
    ExpiresAt   TEXT    NOT NULL,
    CONSTRAINT PK_IdempotencyKeys PRIMARY KEY (KeyHash)
) WITHOUT ROWID;

CREATE INDEX IX_IdempotencyKeys_ExpiresAt ON IdempotencyKeys (ExpiresAt);
