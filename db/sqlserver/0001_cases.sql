-- Cases, their append-only event history and their statutory clocks (SQL Server 2022 / Azure SQL).
-- Human text is nvarchar (names in any script); instants are datetimeoffset(7), always UTC.
CREATE TABLE dbo.Cases (
    Id              uniqueidentifier  NOT NULL CONSTRAINT PK_Cases PRIMARY KEY NONCLUSTERED,
    Reference       nvarchar(40)      NOT NULL,
    RequestingState nchar(2)           NOT NULL,
    RequestedState  nchar(2)           NOT NULL,
    State           nvarchar(24)       NOT NULL,
    StateSince      datetimeoffset(7) NOT NULL,
    Version         int               NOT NULL,
    ReceivedAt      datetimeoffset(7) NOT NULL,
    CreatedAt       datetimeoffset(7) NOT NULL,
    UpdatedAt       datetimeoffset(7) NOT NULL,
    CaseFile        nvarchar(max)     NOT NULL,
    Workflow        nvarchar(max)     NOT NULL,
    HeadHash        nchar(64)          NOT NULL,
    CONSTRAINT UQ_Cases_Reference UNIQUE (Reference),
    CONSTRAINT CK_Cases_Version CHECK (Version >= 1),
    CONSTRAINT CK_Cases_CaseFile CHECK (ISJSON(CaseFile) = 1),
    CONSTRAINT CK_Cases_State CHECK (State IN ('Draft','UnderReview','Lodged','ProvisionalArrest','WarrantIssued',
        'InitialHearing','ExtraditionHearing','HearingAdjourned','ExecutiveDecision','DecisionDeferred',
        'ExtraditionOrdered','AppealPending','SurrenderPostponed','SurrenderArranged','Surrendered',
        'Discharged','Refused','Withdrawn','Closed'))
);
GO

CREATE CLUSTERED INDEX IX_Cases_CreatedAt ON dbo.Cases (CreatedAt, Id);
CREATE INDEX IX_Cases_RequestingState ON dbo.Cases (RequestingState, CreatedAt, Id);
CREATE INDEX IX_Cases_RequestedState ON dbo.Cases (RequestedState, CreatedAt, Id);
CREATE INDEX IX_Cases_State ON dbo.Cases (State, CreatedAt, Id);
GO

-- Append-only ledger table: SQL Server refuses UPDATE and DELETE and keeps a tamper-evident
-- digest (verify with sys.sp_verify_database_ledger). Ledger tables cannot be truncated.
CREATE TABLE dbo.CaseEvents (
    CaseId        uniqueidentifier  NOT NULL,
    Sequence      int               NOT NULL,
    Type          nvarchar(24)       NOT NULL,
    [Trigger]     nvarchar(32)       NULL,
    FromState     nvarchar(24)       NULL,
    ToState       nvarchar(24)       NULL,
    OccurredAt    datetimeoffset(7) NOT NULL,
    RecordedAt    datetimeoffset(7) NOT NULL,
    ActorSubject  nvarchar(200)     NOT NULL,
    ActorRole     nvarchar(16)       NOT NULL,
    ActorAgency   nvarchar(200)     NULL,
    ActorCountry  nchar(2)           NULL,
    RequestId     nvarchar(100)     NULL,
    ClientAddress nvarchar(64)      NULL,
    Note          nvarchar(2000)    NULL,
    Data          nvarchar(max)     NOT NULL,
    PrevHash      nchar(64)          NOT NULL,
    Hash          nchar(64)          NOT NULL,
    CONSTRAINT PK_CaseEvents PRIMARY KEY (CaseId, Sequence),
    CONSTRAINT FK_CaseEvents_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id),
    CONSTRAINT CK_CaseEvents_Sequence CHECK (Sequence >= 1),
    CONSTRAINT CK_CaseEvents_Type CHECK (Type IN ('CaseFiled','CaseUpdated','Transitioned','DeadlineExtended'))
)
WITH (LEDGER = ON (APPEND_ONLY = ON));
GO

CREATE INDEX IX_CaseEvents_RecordedAt ON dbo.CaseEvents (RecordedAt);
GO

CREATE TABLE dbo.Deadlines (
    CaseId    uniqueidentifier  NOT NULL,
    Ordinal   int               NOT NULL,
    Kind      nvarchar(32)       NOT NULL,
    StartedAt datetimeoffset(7) NOT NULL,
    DueAt     datetimeoffset(7) NOT NULL,
    Status    nvarchar(16)       NOT NULL,
    Statute   nvarchar(200)     NOT NULL,
    Advisory  bit               NOT NULL,
    CONSTRAINT PK_Deadlines PRIMARY KEY (CaseId, Ordinal),
    CONSTRAINT FK_Deadlines_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id),
    CONSTRAINT CK_Deadlines_Kind CHECK (Kind IN ('FullRequest','HearingStart','Representations','ExecutiveDecision',
        'AppealWindow','RequestingStateAppealWindow','Surrender','SurrenderAfterAppeal')),
    CONSTRAINT CK_Deadlines_Status CHECK (Status IN ('Pending','Met','Missed','Expired','Extended','Cancelled'))
);
GO

-- Open clocks by due date: what the deadlines list and the overdue filter read.
CREATE INDEX IX_Deadlines_OpenByDueAt ON dbo.Deadlines (DueAt, CaseId) WHERE Status IN ('Pending', 'Extended');
GO

CREATE TABLE dbo.ReferenceCounter (
    Id         int    NOT NULL CONSTRAINT PK_ReferenceCounter PRIMARY KEY,
    NextNumber bigint NOT NULL,
    CONSTRAINT CK_ReferenceCounter_Single CHECK (Id = 1)
);
GO

INSERT INTO dbo.ReferenceCounter (Id, NextNumber) VALUES (1, 1);
GO
