-- The change feed: one row per recorded event per audience, an audience being each party country of
-- the case plus '**' for auditors. Seq is dense per audience and assigned inside the write
-- transaction (writers are serialised), so it follows commit order and a cursor leaks nothing of
-- other countries' activity.
CREATE TABLE ChangeFeed (
    Audience   TEXT    NOT NULL,
    Seq        INTEGER NOT NULL,
    CaseId     TEXT    NOT NULL REFERENCES Cases (Id),
    Reference  TEXT    NOT NULL,
    Version    INTEGER NOT NULL,
    State      TEXT    NOT NULL,
    Type       TEXT    NOT NULL,
    OccurredAt TEXT    NOT NULL,
    RecordedAt TEXT    NOT NULL,
    CONSTRAINT PK_ChangeFeed PRIMARY KEY (Audience, Seq)
) WITHOUT ROWID;

-- Events recorded before the feed existed, in the order they were recorded.
INSERT INTO ChangeFeed (Audience, Seq, CaseId, Reference, Version, State, Type, OccurredAt, RecordedAt)
SELECT a.Audience,
       ROW_NUMBER() OVER (PARTITION BY a.Audience ORDER BY e.RecordedAt, e.CaseId, e.Sequence),
       e.CaseId, c.Reference, e.Sequence, COALESCE(e.ToState, c.State), e.Type, e.OccurredAt, e.RecordedAt
FROM CaseEvents e
JOIN Cases c ON c.Id = e.CaseId
JOIN (SELECT Id, RequestingState AS Audience FROM Cases
      UNION ALL SELECT Id, RequestedState FROM Cases
      UNION ALL SELECT Id, '**' FROM Cases) a ON a.Id = e.CaseId;

-- Who touched which case or the feed, and every failed authentication (NIST SP 800-53 AU-3).
CREATE TABLE AccessLog (
    Id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    At            TEXT    NOT NULL,
    Subject       TEXT    NULL,
    Role          TEXT    NULL,
    Country       TEXT    NULL,
    CaseId        TEXT    NULL,
    Method        TEXT    NOT NULL,
    Endpoint      TEXT    NOT NULL,
    Status        INTEGER NOT NULL,
    TraceId       TEXT    NULL,
    ClientAddress TEXT    NULL
);

CREATE INDEX IX_AccessLog_At ON AccessLog (At, Id);
CREATE INDEX IX_AccessLog_CaseId ON AccessLog (CaseId, Id);
CREATE INDEX IX_CaseEvents_RecordedAtKey ON CaseEvents (RecordedAt, CaseId, Sequence);
