-- Cases, their append-only event history and their statutory clocks (SQLite dialect).
-- Instants are TEXT in RFC 3339 UTC with milliseconds ('2026-11-20T10:00:00.000Z'), so they sort as text.
CREATE TABLE Cases (
    Id              TEXT    NOT NULL PRIMARY KEY,
    Reference       TEXT    NOT NULL,
    RequestingState TEXT    NOT NULL CHECK (length(RequestingState) = 2),
    RequestedState  TEXT    NOT NULL CHECK (length(RequestedState) = 2),
    State           TEXT    NOT NULL CHECK (State IN ('Draft','UnderReview','Lodged','ProvisionalArrest','WarrantIssued',
                        'InitialHearing','ExtraditionHearing','HearingAdjourned','ExecutiveDecision','DecisionDeferred',
                        'ExtraditionOrdered','AppealPending','SurrenderPostponed','SurrenderArranged','Surrendered',
                        'Discharged','Refused','Withdrawn','Closed')),
    StateSince      TEXT    NOT NULL,
    Version         INTEGER NOT NULL CHECK (Version >= 1),
    ReceivedAt      TEXT    NOT NULL,
    CreatedAt       TEXT    NOT NULL,
    UpdatedAt       TEXT    NOT NULL,
    CaseFile        TEXT    NOT NULL,
    Workflow        TEXT    NOT NULL,
    HeadHash        TEXT    NOT NULL,
    CONSTRAINT UQ_Cases_Reference UNIQUE (Reference)
);

CREATE INDEX IX_Cases_CreatedAt ON Cases (CreatedAt, Id);
CREATE INDEX IX_Cases_RequestingState ON Cases (RequestingState, CreatedAt, Id);
CREATE INDEX IX_Cases_RequestedState ON Cases (RequestedState, CreatedAt, Id);
CREATE INDEX IX_Cases_State ON Cases (State, CreatedAt, Id);

CREATE TABLE CaseEvents (
    CaseId        TEXT    NOT NULL REFERENCES Cases (Id),
    Sequence      INTEGER NOT NULL CHECK (Sequence >= 1),
    Type          TEXT    NOT NULL CHECK (Type IN ('CaseFiled','CaseUpdated','Transitioned','DeadlineExtended')),
    "Trigger"     TEXT    NULL,
    FromState     TEXT    NULL,
    ToState       TEXT    NULL,
    OccurredAt    TEXT    NOT NULL,
    RecordedAt    TEXT    NOT NULL,
    ActorSubject  TEXT    NOT NULL,
    ActorRole     TEXT    NOT NULL,
    ActorAgency   TEXT    NULL,
    ActorCountry  TEXT    NULL,
    RequestId     TEXT    NULL,
    ClientAddress TEXT    NULL,
    Note          TEXT    NULL,
    Data          TEXT    NOT NULL,
    PrevHash      TEXT    NOT NULL,
    Hash          TEXT    NOT NULL,
    CONSTRAINT PK_CaseEvents PRIMARY KEY (CaseId, Sequence)
);

CREATE INDEX IX_CaseEvents_RecordedAt ON CaseEvents (RecordedAt);

-- The history is append-only: SQLite has no ledger tables, so refuse changes outright.
CREATE TRIGGER TR_CaseEvents_NoUpdate BEFORE UPDATE ON CaseEvents
BEGIN
    SELECT RAISE(ABORT, 'CaseEvents is append-only');
END;

CREATE TRIGGER TR_CaseEvents_NoDelete BEFORE DELETE ON CaseEvents
BEGIN
    SELECT RAISE(ABORT, 'CaseEvents is append-only');
END;

CREATE TABLE Deadlines (
    CaseId    TEXT    NOT NULL REFERENCES Cases (Id),
    Ordinal   INTEGER NOT NULL,
    Kind      TEXT    NOT NULL CHECK (Kind IN ('FullRequest','HearingStart','Representations','ExecutiveDecision',
                  'AppealWindow','RequestingStateAppealWindow','Surrender','SurrenderAfterAppeal')),
    StartedAt TEXT    NOT NULL,
    DueAt     TEXT    NOT NULL,
    Status    TEXT    NOT NULL CHECK (Status IN ('Pending','Met','Missed','Expired','Extended','Cancelled')),
    Statute   TEXT    NOT NULL,
    Advisory  INTEGER NOT NULL CHECK (Advisory IN (0, 1)),
    CONSTRAINT PK_Deadlines PRIMARY KEY (CaseId, Ordinal)
);

-- Open clocks by due date: what the deadlines list and the overdue filter read.
CREATE INDEX IX_Deadlines_OpenByDueAt ON Deadlines (DueAt, CaseId) WHERE Status IN ('Pending', 'Extended');

CREATE TABLE ReferenceCounter (
    Id         INTEGER NOT NULL PRIMARY KEY CHECK (Id = 1),
    NextNumber INTEGER NOT NULL
);

INSERT INTO ReferenceCounter (Id, NextNumber) VALUES (1, 1);
