-- Ownership, linked cases and competing requests (issue 14).
--
-- CaseEvents gains three types: AssigneeChanged (a party state gave the case to one of its officers),
-- CaseLinked (an officer who may see both cases confirmed that they concern one person) and
-- CompetingRequestDetected (two open linked cases requested of one state by different states).
DROP TRIGGER TR_CaseEvents_Type;
CREATE TRIGGER TR_CaseEvents_Type BEFORE INSERT ON CaseEvents
WHEN NEW.Type NOT IN ('CaseFiled','CaseUpdated','Transitioned','DeadlineExtended','RulesApplied','DocumentAdded','NoteRecorded',
                      'AssigneeChanged','CaseLinked','CompetingRequestDetected')
BEGIN
    SELECT RAISE(ABORT, 'Unknown CaseEvents type');
END;

-- Each party state's officer for a case: one row per (case, country), replaced on reassignment (the
-- AssigneeChanged events keep the history). An officer is issuer + subject; the work lists seek
-- IX_CaseAssignees_Officer.
CREATE TABLE CaseAssignees (
    CaseId     TEXT    NOT NULL REFERENCES Cases (Id),
    Country    TEXT    NOT NULL CHECK (length(Country) = 2),
    Issuer     TEXT    NOT NULL,
    Subject    TEXT    NOT NULL,
    AssignedAt TEXT    NOT NULL,
    Sequence   INTEGER NOT NULL CHECK (Sequence >= 1),
    CONSTRAINT PK_CaseAssignees PRIMARY KEY (CaseId, Country)
);
CREATE INDEX IX_CaseAssignees_Officer ON CaseAssignees (Country, Issuer, Subject, CaseId);

-- Confirmed links between two cases of one person, one row per pair (CaseA the lower id as text).
-- Id is the opaque link id the events carry: the chains of both cases are read by both parties of each,
-- so an event names neither the other case nor the other state; this row, read through an
-- access-checked endpoint, does. Links are never edited or removed.
CREATE TABLE CaseLinks (
    Id              TEXT    NOT NULL PRIMARY KEY,
    CaseA           TEXT    NOT NULL REFERENCES Cases (Id),
    CaseB           TEXT    NOT NULL REFERENCES Cases (Id),
    Reason          TEXT    NOT NULL,
    Competing       INTEGER NOT NULL CHECK (Competing IN (0, 1)),
    LinkedAt        TEXT    NOT NULL,
    LinkedBySubject TEXT    NOT NULL,
    LinkedByIssuer  TEXT    NOT NULL,
    LinkedByCountry TEXT    NOT NULL,
    CONSTRAINT UQ_CaseLinks_Pair UNIQUE (CaseA, CaseB),
    CHECK (CaseA <> CaseB)
);
CREATE INDEX IX_CaseLinks_CaseB ON CaseLinks (CaseB);

CREATE TRIGGER TR_CaseLinks_NoUpdate BEFORE UPDATE ON CaseLinks
BEGIN
    SELECT RAISE(ABORT, 'CaseLinks is append-only');
END;

CREATE TRIGGER TR_CaseLinks_NoDelete BEFORE DELETE ON CaseLinks
BEGIN
    SELECT RAISE(ABORT, 'CaseLinks is append-only');
END;
