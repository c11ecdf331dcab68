-- Responses to writes sent with an Idempotency-Key, stored in the same transaction as the write
-- itself, per caller, for at least 24 hours.
-- KeyHash is SHA-256 of subject, newline, key: exact (the default collation would compare keys
-- case-insensitively) and within the 900-byte key limit whatever the key's length.
CREATE TABLE dbo.IdempotencyKeys (
    KeyHash     nchar(64)         NOT NULL,
    Subject     nvarchar(200)     NOT NULL,
    IdemKey     nvarchar(255)     NOT NULL,
    Fingerprint nchar(64)         NOT NULL,
    Status      int               NOT NULL,
    Body        nvarchar(max)     NOT NULL,
    Location    nvarchar(200)     NULL,
    ETag        nvarchar(20)      NOT NULL,
    CreatedAt   datetimeoffset(7) NOT NULL,
    ExpiresAt   datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_IdempotencyKeys PRIMARY KEY (KeyHash)
);
GO

CREATE INDEX IX_IdempotencyKeys_ExpiresAt ON dbo.IdempotencyKeys (ExpiresAt);
GO
