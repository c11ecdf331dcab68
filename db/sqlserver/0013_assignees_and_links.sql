-- Ownership, linked cases and competing requests (issue 14).
--
-- CaseEvents (an append-only ledger table) gains three types: AssigneeChanged (a party state gave the
-- case to one of its officers), CaseLinked (an officer who may see both cases confirmed that they
-- concern one person) and CompetingRequestDetected (two open linked cases requested of one state by
-- different states).
ALTER TABLE dbo.CaseEvents DROP CONSTRAINT CK_CaseEvents_Type;
ALTER TABLE dbo.CaseEvents ADD CONSTRAINT CK_CaseEvents_Type CHECK (Type IN ('CaseFiled','CaseUpdated','Transitioned','DeadlineExtended',
    'RulesApplied','DocumentAdded','NoteRecorded','AssigneeChanged','CaseLinked','CompetingRequestDetected'));
GO

-- Each party state's officer for a case: one row per (case, country), replaced on reassignment (the
-- AssigneeChanged events keep the history). An officer is issuer + subject, compared exactly (binary
-- collation: "alice" is not "Alice"); the work lists seek IX_CaseAssignees_Officer.
CREATE TABLE dbo.CaseAssignees (
    CaseId     uniqueidentifier  NOT NULL,
    Country    nchar(2)          NOT NULL,
    Issuer     nvarchar(400)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    Subject    nvarchar(200)     COLLATE Latin1_General_100_BIN2 NOT NULL,
    AssignedAt datetimeoffset(7) NOT NULL,
    Sequence   int               NOT NULL,
    CONSTRAINT PK_CaseAssignees PRIMARY KEY (CaseId, Country),
    CONSTRAINT FK_CaseAssignees_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id),
    CONSTRAINT CK_CaseAssignees_Sequence CHECK (Sequence >= 1)
);
GO

CREATE INDEX IX_CaseAssignees_Officer ON dbo.CaseAssignees (Country, Issuer, Subject, CaseId);
GO

-- Confirmed links between two cases of one person, one row per pair (CaseA the lower id as text).
-- Id is the opaque link id the events carry: the chains of both cases are read by both parties of each,
-- so an event names neither the other case nor the other state; this row, read through an
-- access-checked endpoint, does. Links are never edited or removed.
CREATE TABLE dbo.CaseLinks (
    Id              uniqueidentifier  NOT NULL CONSTRAINT PK_CaseLinks PRIMARY KEY,
    CaseA           uniqueidentifier  NOT NULL,
    CaseB           uniqueidentifier  NOT NULL,
    Reason          nvarchar(500)     NOT NULL,
    Competing       bit               NOT NULL,
    LinkedAt        datetimeoffset(7) NOT NULL,
    LinkedBySubject nvarchar(200)     NOT NULL,
    LinkedByIssuer  nvarchar(400)     NOT NULL,
    LinkedByCountry nchar(2)          NOT NULL,
    CONSTRAINT FK_CaseLinks_CaseA FOREIGN KEY (CaseA) REFERENCES dbo.Cases (Id),
    CONSTRAINT FK_CaseLinks_CaseB FOREIGN KEY (CaseB) REFERENCES dbo.Cases (Id),
    CONSTRAINT UQ_CaseLinks_Pair UNIQUE (CaseA, CaseB),
    CONSTRAINT CK_CaseLinks_Pair CHECK (CaseA <> CaseB)
);
GO

CREATE INDEX IX_CaseLinks_CaseB ON dbo.CaseLinks (CaseB);
GO

-- Least privilege (0010): assignments are replaced; links, like events, are only ever added.
GRANT INSERT, UPDATE ON dbo.CaseAssignees TO extradition_service;
GRANT INSERT ON dbo.CaseLinks TO extradition_service;
DENY UPDATE, DELETE ON dbo.CaseLinks TO extradition_service;
GO
