-- The case file's documents, notes and per-state private content (issue 13).
-- CaseEvents (an append-only ledger table) gains the DocumentAdded and NoteRecorded types.
ALTER TABLE dbo.CaseEvents DROP CONSTRAINT CK_CaseEvents_Type;
ALTER TABLE dbo.CaseEvents ADD CONSTRAINT CK_CaseEvents_Type CHECK (Type IN ('CaseFiled','CaseUpdated','Transitioned','DeadlineExtended',
    'RulesApplied','DocumentAdded','NoteRecorded'));
GO

-- The document register. Documents are immutable: a correction is a new document that supersedes the
-- old one. Sequence is the DocumentAdded event that recorded it. A private document (PrivateTo, the
-- state that recorded it) is committed to in the shared event by a salted SHA-256 of its metadata.
CREATE TABLE dbo.Documents (
    Id                uniqueidentifier  NOT NULL CONSTRAINT PK_Documents PRIMARY KEY,
    CaseId            uniqueidentifier  NOT NULL,
    Sequence          int               NOT NULL,
    Kind              nvarchar(32)      NOT NULL,
    Title             nvarchar(500)     NULL,
    Language          nvarchar(35)      NULL,
    TranslationOf     uniqueidentifier  NULL,
    AssuranceKind     nvarchar(16)      NULL,
    ReceivedOn        date              NULL,
    ReceivedFrom      nvarchar(500)     NULL,
    FileName          nvarchar(255)     NULL,
    MediaType         nvarchar(100)     NOT NULL,
    Size              bigint            NOT NULL,
    Sha256            char(64)          NOT NULL,
    Supersedes        uniqueidentifier  NULL,
    PrivateTo         nchar(2)          NULL,
    Salt              char(64)          NULL,
    UploadedAt        datetimeoffset(7) NOT NULL,
    UploadedBy        nvarchar(200)     NOT NULL,
    UploadedByCountry nchar(2)          NULL,
    CONSTRAINT FK_Documents_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id),
    CONSTRAINT FK_Documents_TranslationOf FOREIGN KEY (TranslationOf) REFERENCES dbo.Documents (Id),
    CONSTRAINT FK_Documents_Supersedes FOREIGN KEY (Supersedes) REFERENCES dbo.Documents (Id),
    CONSTRAINT CK_Documents_Kind CHECK (Kind IN ('Request','Section70Certificate','ForeignWarrant','ConvictionRecord','EvidenceBundle',
        'Translation','IdentityEvidence','Assurance','CourtOrder','ExecutiveOrder','SurrenderWarrant','Correspondence','Other')),
    CONSTRAINT CK_Documents_AssuranceKind CHECK (AssuranceKind IN ('DeathPenalty','Speciality','Other')),
    CONSTRAINT CK_Documents_Size CHECK (Size >= 0),
    CONSTRAINT CK_Documents_Sequence CHECK (Sequence >= 1)
);
GO

CREATE INDEX IX_Documents_CaseSequence ON dbo.Documents (CaseId, Sequence);
CREATE INDEX IX_Documents_Supersedes ON dbo.Documents (Supersedes) WHERE Supersedes IS NOT NULL;
GO

-- The bytes, apart from the metadata so that lists never touch them; written from a streamed parameter
-- and read with SequentialAccess, never buffered whole.
CREATE TABLE dbo.DocumentContents (
    DocumentId uniqueidentifier NOT NULL CONSTRAINT PK_DocumentContents PRIMARY KEY,
    Content    varbinary(max)   NOT NULL,
    CONSTRAINT FK_DocumentContents_Documents FOREIGN KEY (DocumentId) REFERENCES dbo.Documents (Id)
);
GO

-- Notes and correspondence; Sequence is the NoteRecorded event. Text and RelatedDocuments of a private
-- note (PrivateTo) are committed to in the shared event by a salted SHA-256, and can be erased here.
CREATE TABLE dbo.CaseNotes (
    Id                uniqueidentifier  NOT NULL CONSTRAINT PK_CaseNotes PRIMARY KEY,
    CaseId            uniqueidentifier  NOT NULL,
    Sequence          int               NOT NULL,
    Kind              nvarchar(16)      NOT NULL,
    Direction         nvarchar(3)       NULL,
    Counterpart       nvarchar(500)     NULL,
    OccurredAt        datetimeoffset(7) NOT NULL,
    Text              nvarchar(max)     NULL,
    RelatedDocuments  nvarchar(max)     NULL,
    PrivateTo         nchar(2)          NULL,
    Salt              char(64)          NULL,
    RecordedAt        datetimeoffset(7) NOT NULL,
    RecordedBy        nvarchar(200)     NOT NULL,
    RecordedByCountry nchar(2)          NULL,
    CONSTRAINT FK_CaseNotes_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id),
    CONSTRAINT CK_CaseNotes_Kind CHECK (Kind IN ('Note','DiplomaticNote','Letter','Email','Call')),
    CONSTRAINT CK_CaseNotes_Direction CHECK (Direction IN ('In','Out'))
);
GO

CREATE INDEX IX_CaseNotes_CaseSequence ON dbo.CaseNotes (CaseId, Sequence);
GO

-- What stays with one state: asylum claim, health notes, counsel and legal aid. Each value is one row
-- per change, committed to in the shared CaseUpdated event (Sequence) by SHA-256 over its salt and
-- content; erasing blanks Salt and Content, and every chain still verifies.
CREATE TABLE dbo.PrivateEntries (
    CaseId     uniqueidentifier  NOT NULL,
    Country    nchar(2)          NOT NULL,
    Sequence   int               NOT NULL,
    Member     nvarchar(100)     NOT NULL,
    Salt       char(64)          NULL,
    Content    nvarchar(max)     NULL,
    Commitment char(64)          NOT NULL,
    RecordedAt datetimeoffset(7) NOT NULL,
    ErasedAt   datetimeoffset(7) NULL,
    CONSTRAINT PK_PrivateEntries PRIMARY KEY (CaseId, Country, Member, Sequence),
    CONSTRAINT FK_PrivateEntries_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id)
);
GO
