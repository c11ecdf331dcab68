-- A replay needs only the stored body: the status, the Location and the ETag follow from it at the
-- edge, as they did for the first response. During a rolling update the previous release still writes
-- these columns, so they become optional now and are dropped by a later release, not here.
ALTER TABLE dbo.IdempotencyKeys ALTER COLUMN Status int NULL;
GO

ALTER TABLE dbo.IdempotencyKeys ALTER COLUMN ETag nvarchar(20) NULL;
GO
