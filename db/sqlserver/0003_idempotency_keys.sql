-- Responses to writes sent with an Idempotency-Key, stored in the same transaction as the write
-- itself, per caller, for at least 24 hours.
CREATE TABLE dbo.IdempotencyKeys (
    Subject     nvarchar(200)     NOT NULL,
    IdemKey     nvarchar(255)     NOT NULL,
    Fingerprint nchar(64)         NOT NULL,
    Status      int               NOT NULL,
    Body        nvarchar(max)     NOT NULL,
    Location    nvarchar(200)     NULL,
    ETag        nvarchar(20)      NOT NULL,
    CreatedAt   datetimeoffset(7) NOT NULL,
    ExpiresAt   datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_IdempotencyKeys PRIMARY KEY (Subject, IdemKey)
);
GO

CREATE INDEX IX_IdempotencyKeys_ExpiresAt ON dbo.IdempotencyKeys (ExpiresAt);
GO
