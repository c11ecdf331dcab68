-- The caller's identity is issuer + subject everywhere (issue 15, with issue 18): documents, notes and webhook
-- subscriptions kept only the uploader's or creator's subject. Nullable columns. A document's and a note's
-- uploader is the actor of the event that recorded it (same case and sequence), whose issuer the event already
-- stores: copied from there. A subscription has no event; one created before this migration keeps a NULL issuer.
ALTER TABLE dbo.Documents ADD UploadedByIssuer nvarchar(400) NULL;
GO

ALTER TABLE dbo.CaseNotes ADD RecordedByIssuer nvarchar(400) NULL;
GO

ALTER TABLE dbo.WebhookSubscriptions ADD CreatedByIssuer nvarchar(400) NULL;
GO

UPDATE d SET UploadedByIssuer = e.ActorIssuer
FROM dbo.Documents AS d JOIN dbo.CaseEvents AS e ON e.CaseId = d.CaseId AND e.Sequence = d.Sequence;
GO

UPDATE n SET RecordedByIssuer = e.ActorIssuer
FROM dbo.CaseNotes AS n JOIN dbo.CaseEvents AS e ON e.CaseId = n.CaseId AND e.Sequence = n.Sequence;
GO

-- Least privilege (issue 15): 0010 created the service's role and granted the tables it knew; the tables of
-- documents and notes (0008), webhooks (0009) and search (0012) were left ungranted, so the service's own login
-- could not write them. Each is granted exactly the verbs its statements use (a test derives them from the code).
GRANT INSERT ON dbo.Documents TO extradition_service;
GRANT INSERT ON dbo.DocumentContents TO extradition_service;
GRANT INSERT ON dbo.CaseNotes TO extradition_service;
GRANT INSERT, UPDATE ON dbo.PrivateEntries TO extradition_service;
GRANT INSERT, UPDATE ON dbo.WebhookSubscriptions TO extradition_service;
GRANT INSERT, UPDATE ON dbo.WebhookDeliveries TO extradition_service;
GRANT INSERT ON dbo.WebhookAttempts TO extradition_service;
GRANT INSERT ON dbo.WebhookDeadlineNotices TO extradition_service;
GRANT INSERT, DELETE ON dbo.SearchEntries TO extradition_service;
GRANT INSERT, DELETE ON dbo.SearchTerms TO extradition_service;
GRANT INSERT, UPDATE ON dbo.SearchIndexed TO extradition_service;
GO
