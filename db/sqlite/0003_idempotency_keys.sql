-- Responses to writes sent with an Idempotency-Key, stored in the same transaction as the write
-- itself, per caller, for at least 24 hours.
CREATE TABLE IdempotencyKeys (
    Subject     TEXT    NOT NULL,
    IdemKey     TEXT    NOT NULL,
    Fingerprint TEXT    NOT NULL,
    Status      INTEGER NOT NULL,
    Body        TEXT    NOT NULL,
    Location    TEXT    NULL,
    ETag        TEXT    NOT NULL,
    CreatedAt   TEXT    NOT NULL,
    ExpiresAt   TEXT    NOT NULL,
    CONSTRAINT PK_IdempotencyKeys PRIMARY KEY (Subject, IdemKey)
) WITHOUT ROWID;

CREATE INDEX IX_IdempotencyKeys_ExpiresAt ON IdempotencyKeys (ExpiresAt);
