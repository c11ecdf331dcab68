-- The case file's documents, notes and per-state private content (issue 13).
--
-- CaseEvents gains the DocumentAdded and NoteRecorded types. SQLite cannot change a CHECK constraint in
-- place, so the table is rebuilt once more with its rows, indexes and triggers; this time the list of
-- event types moves from a CHECK into a trigger, so a later event type replaces the trigger instead of
-- rebuilding the table (and losing columns other migrations add to it).
DROP TRIGGER TR_CaseEvents_NoUpdate;
DROP TRIGGER TR_CaseEvents_NoDelete;
CREATE TABLE CaseEvents_v3 (
    CaseId        TEXT    NOT NULL REFERENCES Cases (Id),
    Sequence      INTEGER NOT NULL CHECK (Sequence >= 1),
    Type          TEXT    NOT NULL,
    "Trigger"     TEXT    NULL,
    FromState     TEXT    NULL,
    ToState       TEXT    NULL,
    OccurredAt    TEXT    NOT NULL,
    RecordedAt    TEXT    NOT NULL,
    ActorSubject  TEXT    NOT NULL,
    ActorRole     TEXT    NOT NULL,
    ActorAgency   TEXT    NULL,
    ActorCountry  TEXT    NULL,
    ActorIssuer   TEXT    NULL,
    RequestId     TEXT    NULL,
    ClientAddress TEXT    NULL,
    Note          TEXT    NULL,
    Data          TEXT    NOT NULL,
    PrevHash      TEXT    NOT NULL,
    Hash          TEXT    NOT NULL,
    RulesVersion  INTEGER NULL CHECK (RulesVersion >= 1),
    CONSTRAINT PK_CaseEvents PRIMARY KEY (CaseId, Sequence)
);
INSERT INTO CaseEvents_v3 (CaseId, Sequence, Type, "Trigger", FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole,
    ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash, RulesVersion)
SELECT CaseId, Sequence, Type, "Trigger", FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole,
    ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash, RulesVersion FROM CaseEvents;
DROP TABLE CaseEvents;
ALTER TABLE CaseEvents_v3 RENAME TO CaseEvents;
CREATE INDEX IX_CaseEvents_RecordedAt ON CaseEvents (RecordedAt);
CREATE INDEX IX_CaseEvents_RecordedAtKey ON CaseEvents (RecordedAt, CaseId, Sequence);

CREATE TRIGGER TR_CaseEvents_NoUpdate BEFORE UPDATE ON CaseEvents
BEGIN
    SELECT RAISE(ABORT, 'CaseEvents is append-only');
END;

CREATE TRIGGER TR_CaseEvents_NoDelete BEFORE DELETE ON CaseEvents
BEGIN
    SELECT RAISE(ABORT, 'CaseEvents is append-only');
END;

-- The event types; a later type drops and recreates this trigger.
CREATE TRIGGER TR_CaseEvents_Type BEFORE INSERT ON CaseEvents
WHEN NEW.Type NOT IN ('CaseFiled','CaseUpdated','Transitioned','DeadlineExtended','RulesApplied','DocumentAdded','NoteRecorded')
BEGIN
    SELECT RAISE(ABORT, 'Unknown CaseEvents type');
END;

-- The document register. Documents are immutable: a correction is a new document that supersedes the
-- old one. Sequence is the DocumentAdded event that recorded it. A private document (PrivateTo, the
-- state that recorded it) is committed to in the shared event by a salted SHA-256 of its metadata.
CREATE TABLE Documents (
    Id                TEXT    NOT NULL PRIMARY KEY,
    CaseId            TEXT    NOT NULL REFERENCES Cases (Id),
    Sequence          INTEGER NOT NULL CHECK (Sequence >= 1),
    Kind              TEXT    NOT NULL CHECK (Kind IN ('Request','Section70Certificate','ForeignWarrant','ConvictionRecord','EvidenceBundle',
                          'Translation','IdentityEvidence','Assurance','CourtOrder','ExecutiveOrder','SurrenderWarrant','Correspondence','Other')),
    Title             TEXT    NULL,
    Language          TEXT    NULL,
    TranslationOf     TEXT    NULL REFERENCES Documents (Id),
    AssuranceKind     TEXT    NULL CHECK (AssuranceKind IN ('DeathPenalty','Speciality','Other')),
    ReceivedOn        TEXT    NULL,
    ReceivedFrom      TEXT    NULL,
    FileName          TEXT    NULL,
    MediaType         TEXT    NOT NULL,
    Size              INTEGER NOT NULL CHECK (Size >= 0),
    Sha256            TEXT    NOT NULL CHECK (length(Sha256) = 64),
    Supersedes        TEXT    NULL REFERENCES Documents (Id),
    PrivateTo         TEXT    NULL CHECK (PrivateTo IS NULL OR length(PrivateTo) = 2),
    Salt              TEXT    NULL,
    UploadedAt        TEXT    NOT NULL,
    UploadedBy        TEXT    NOT NULL,
    UploadedByCountry TEXT    NULL
);
CREATE INDEX IX_Documents_CaseSequence ON Documents (CaseId, Sequence);
CREATE INDEX IX_Documents_Supersedes ON Documents (Supersedes) WHERE Supersedes IS NOT NULL;

-- The bytes, apart from the metadata so that lists never touch them. A rowid table: incremental BLOB
-- I/O (SqliteBlob) addresses a value by table, column and rowid, and streams it in and out.
CREATE TABLE DocumentContents (
    DocumentId TEXT NOT NULL UNIQUE REFERENCES Documents (Id),
    Content    BLOB NOT NULL
);

-- Notes and correspondence; Sequence is the NoteRecorded event. Text and RelatedDocuments of a private
-- note (PrivateTo) are committed to in the shared event by a salted SHA-256, and can be erased here.
CREATE TABLE CaseNotes (
    Id                TEXT    NOT NULL PRIMARY KEY,
    CaseId            TEXT    NOT NULL REFERENCES Cases (Id),
    Sequence          INTEGER NOT NULL CHECK (Sequence >= 1),
    Kind              TEXT    NOT NULL CHECK (Kind IN ('Note','DiplomaticNote','Letter','Email','Call')),
    Direction         TEXT    NULL CHECK (Direction IN ('In','Out')),
    Counterpart       TEXT    NULL,
    OccurredAt        TEXT    NOT NULL,
    Text              TEXT    NULL,
    RelatedDocuments  TEXT    NULL,
    PrivateTo         TEXT    NULL CHECK (PrivateTo IS NULL OR length(PrivateTo) = 2),
    Salt              TEXT    NULL,
    RecordedAt        TEXT    NOT NULL,
    RecordedBy        TEXT    NOT NULL,
    RecordedByCountry TEXT    NULL
);
CREATE INDEX IX_CaseNotes_CaseSequence ON CaseNotes (CaseId, Sequence);

-- What stays with one state: asylum claim, health notes, counsel and legal aid. Each value is one row
-- per change, committed to in the shared CaseUpdated event (Sequence) by SHA-256 over its salt and
-- content; erasing blanks Salt and Content, and every chain still verifies.
CREATE TABLE PrivateEntries (
    CaseId     TEXT    NOT NULL REFERENCES Cases (Id),
    Country    TEXT    NOT NULL CHECK (length(Country) = 2),
    Sequence   INTEGER NOT NULL CHECK (Sequence >= 1),
    Member     TEXT    NOT NULL,
    Salt       TEXT    NULL,
    Content    TEXT    NULL,
    Commitment TEXT    NOT NULL CHECK (length(Commitment) = 64),
    RecordedAt TEXT    NOT NULL,
    ErasedAt   TEXT    NULL,
    CONSTRAINT PK_PrivateEntries PRIMARY KEY (CaseId, Country, Member, Sequence)
);
