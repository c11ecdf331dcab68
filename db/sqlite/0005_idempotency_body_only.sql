-- A replay needs only the stored body: the status, the Location and the ETag follow from it at the
-- edge, as they did for the first response. SQLite serves one process, so the columns go now.
ALTER TABLE IdempotencyKeys DROP COLUMN Status;
ALTER TABLE IdempotencyKeys DROP COLUMN Location;
ALTER TABLE IdempotencyKeys DROP COLUMN ETag;
