-- The change feed: one row per recorded event per audience, an audience being each party country of
-- the case plus '**' for auditors. Seq is dense per audience and assigned inside the write
-- transaction under an update lock on the audience's last key (see ChangeFeedSql), so a position
-- becomes visible only after every lower one has committed: no gaps under concurrent writers, and
-- a cursor leaks nothing of other countries' activity.
CREATE TABLE dbo.ChangeFeed (
    Audience   nchar(2)          NOT NULL,
    Seq        bigint            NOT NULL,
    CaseId     uniqueidentifier  NOT NULL,
    Reference  nvarchar(40)      NOT NULL,
    Version    int               NOT NULL,
    State      nvarchar(24)      NOT NULL,
    Type       nvarchar(24)      NOT NULL,
    OccurredAt datetimeoffset(7) NOT NULL,
    RecordedAt datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_ChangeFeed PRIMARY KEY (Audience, Seq),
    CONSTRAINT FK_ChangeFeed_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id)
);
GO

-- Events recorded before the feed existed, in the order they were recorded.
INSERT INTO dbo.ChangeFeed (Audience, Seq, CaseId, Reference, Version, State, Type, OccurredAt, RecordedAt)
SELECT a.Audience,
       ROW_NUMBER() OVER (PARTITION BY a.Audience ORDER BY e.RecordedAt, e.CaseId, e.Sequence),
       e.CaseId, c.Reference, e.Sequence, COALESCE(e.ToState, c.State), e.Type, e.OccurredAt, e.RecordedAt
FROM dbo.CaseEvents e
JOIN dbo.Cases c ON c.Id = e.CaseId
JOIN (SELECT Id, RequestingState AS Audience FROM dbo.Cases
      UNION ALL SELECT Id, RequestedState FROM dbo.Cases
      UNION ALL SELECT Id, N'**' FROM dbo.Cases) a ON a.Id = e.CaseId;
GO

-- Who touched which case or the feed, and every failed authentication (NIST SP 800-53 AU-3).
CREATE TABLE dbo.AccessLog (
    Id            bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_AccessLog PRIMARY KEY,
    At            datetimeoffset(7) NOT NULL,
    Subject       nvarchar(200)     NULL,
    Role          nvarchar(16)      NULL,
    Country       nchar(2)          NULL,
    CaseId        uniqueidentifier  NULL,
    Method        nvarchar(10)      NOT NULL,
    Endpoint      nvarchar(200)     NOT NULL,
    Status        int               NOT NULL,
    TraceId       nvarchar(64)      NULL,
    ClientAddress nvarchar(64)      NULL
);
GO

CREATE INDEX IX_AccessLog_At ON dbo.AccessLog (At, Id);
CREATE INDEX IX_AccessLog_CaseId ON dbo.AccessLog (CaseId, Id);
CREATE INDEX IX_CaseEvents_RecordedAtKey ON dbo.CaseEvents (RecordedAt, CaseId, Sequence);
GO
