-- The caller's identity is issuer + subject (several identity providers, one per state). Nullable:
-- rows written before issuers were recorded have none, and an append-only ledger table accepts only
-- nullable new columns. An event's ActorIssuer is hashed into its chain when present; an event
-- without one was hashed without the member (see CaseEvent.ComputeHash).
ALTER TABLE dbo.CaseEvents ADD ActorIssuer nvarchar(400) NULL;
GO

ALTER TABLE dbo.AccessLog ADD Issuer nvarchar(400) NULL;
GO

ALTER TABLE dbo.IdempotencyKeys ADD Issuer nvarchar(400) NULL;
GO
