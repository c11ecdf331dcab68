-- The corrected law (rules version 2): the LeaveToAppeal clock (s.114), RulesApplied events, and the
-- rules version each event was made under. SQLite cannot change a CHECK constraint in place, so the
-- Deadlines and CaseEvents tables are rebuilt with their rows, indexes and triggers.
-- RulesVersion: NULL on events recorded before the rules were versioned (version 1).

CREATE TABLE Deadlines_v2 (
    CaseId    TEXT    NOT NULL REFERENCES Cases (Id),
    Ordinal   INTEGER NOT NULL,
    Kind      TEXT    NOT NULL CHECK (Kind IN ('FullRequest','HearingStart','Representations','ExecutiveDecision',
                  'AppealWindow','RequestingStateAppealWindow','LeaveToAppeal','Surrender','SurrenderAfterAppeal')),
    StartedAt TEXT    NOT NULL,
    DueAt     TEXT    NOT NULL,
    Status    TEXT    NOT NULL CHECK (Status IN ('Pending','Met','Missed','Expired','Extended','Cancelled')),
    Statute   TEXT    NOT NULL,
    Advisory  INTEGER NOT NULL CHECK (Advisory IN (0, 1)),
    CONSTRAINT PK_Deadlines PRIMARY KEY (CaseId, Ordinal)
);
INSERT INTO Deadlines_v2 (CaseId, Ordinal, Kind, StartedAt, DueAt, Status, Statute, Advisory)
SELECT CaseId, Ordinal, Kind, StartedAt, DueAt, Status, Statute, Advisory FROM Deadlines;
DROP TABLE Deadlines;
ALTER TABLE Deadlines_v2 RENAME TO Deadlines;
CREATE INDEX IX_Deadlines_OpenByDueAt ON Deadlines (DueAt, CaseId) WHERE Status IN ('Pending', 'Extended');
CREATE INDEX IX_Deadlines_StatusDueAt ON Deadlines (Status, DueAt, CaseId, Ordinal);
CREATE INDEX IX_Deadlines_DueAt ON Deadlines (DueAt, CaseId, Ordinal);

DROP TRIGGER TR_CaseEvents_NoUpdate;
DROP TRIGGER TR_CaseEvents_NoDelete;
CREATE TABLE CaseEvents_v2 (
    CaseId        TEXT    NOT NULL REFERENCES Cases (Id),
    Sequence      INTEGER NOT NULL CHECK (Sequence >= 1),
    Type          TEXT    NOT NULL CHECK (Type IN ('CaseFiled','CaseUpdated','Transitioned','DeadlineExtended','RulesApplied')),
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
    RulesVersion  INTEGER NULL CHECK (RulesVersion >= 1),
    CONSTRAINT PK_CaseEvents PRIMARY KEY (CaseId, Sequence)
);
INSERT INTO CaseEvents_v2 (CaseId, Sequence, Type, "Trigger", FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole,
    ActorAgency, ActorCountry, RequestId, ClientAddress, Note, Data, PrevHash, Hash)
SELECT CaseId, Sequence, Type, "Trigger", FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole,
    ActorAgency, ActorCountry, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM CaseEvents;
DROP TABLE CaseEvents;
ALTER TABLE CaseEvents_v2 RENAME TO CaseEvents;
CREATE INDEX IX_CaseEvents_RecordedAt ON CaseEvents (RecordedAt);
CREATE INDEX IX_CaseEvents_RecordedAtKey ON CaseEvents (RecordedAt, CaseId, Sequence);

-- The history is append-only: SQLite has no ledger tables, so refuse changes outright.
CREATE TRIGGER TR_CaseEvents_NoUpdate BEFORE UPDATE ON CaseEvents
BEGIN
    SELECT RAISE(ABORT, 'CaseEvents is append-only');
END;

CREATE TRIGGER TR_CaseEvents_NoDelete BEFORE DELETE ON CaseEvents
BEGIN
    SELECT RAISE(ABORT, 'CaseEvents is append-only');
END;

-- The rules version a case's clocks and facts were last computed under; the start-up step that applies
-- the corrected rules to cases recorded before (RulesApplied events) moves it to the current version.
ALTER TABLE Cases ADD COLUMN RulesVersion INTEGER NOT NULL DEFAULT 1;
