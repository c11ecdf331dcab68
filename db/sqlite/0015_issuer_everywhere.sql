-- The caller's identity is issuer + subject everywhere (issue 15, with issue 18): documents, notes and webhook
-- subscriptions kept only the uploader's or creator's subject. Nullable columns, added in place (no table
-- rebuild, so columns other migrations add to these tables are kept). A document's and a note's uploader is
-- the actor of the event that recorded it (same case and sequence), whose issuer the event already stores:
-- copied from there. A subscription has no event; one created before this migration keeps a NULL issuer.
ALTER TABLE Documents ADD COLUMN UploadedByIssuer TEXT NULL;
ALTER TABLE CaseNotes ADD COLUMN RecordedByIssuer TEXT NULL;
ALTER TABLE WebhookSubscriptions ADD COLUMN CreatedByIssuer TEXT NULL;

UPDATE Documents SET UploadedByIssuer =
    (SELECT e.ActorIssuer FROM CaseEvents e WHERE e.CaseId = Documents.CaseId AND e.Sequence = Documents.Sequence);
UPDATE CaseNotes SET RecordedByIssuer =
    (SELECT e.ActorIssuer FROM CaseEvents e WHERE e.CaseId = CaseNotes.CaseId AND e.Sequence = CaseNotes.Sequence);
