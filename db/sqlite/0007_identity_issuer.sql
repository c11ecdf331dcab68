-- The caller's identity is issuer + subject (several identity providers, one per state). Nullable:
-- rows written before issuers were recorded have none. An event's ActorIssuer is hashed into its
-- chain when present; an event without one was hashed without the member (see CaseEvent.ComputeHash).
ALTER TABLE CaseEvents ADD COLUMN ActorIssuer TEXT NULL;
ALTER TABLE AccessLog ADD COLUMN Issuer TEXT NULL;
ALTER TABLE IdempotencyKeys ADD COLUMN Issuer TEXT NULL;
