-- Search (issue 14): a normalised token index of each case's names, document numbers and references.
-- SearchEntries holds one row per searchable value of a case (a name, a number, a reference, a statute)
-- as recorded, with the weight of a match on it and its token count; SearchTerms one row per token of an
-- entry, keyed by token first so that a query is an index seek per token. Entries from the case file are
-- numbered below 1000000 and rewritten when the file changes; entries from a transition's data are
-- numbered from 1000000 and stay. SearchIndexed says which normalisation version indexed a case, so the
-- start-up step indexes cases filed before this migration or under older rules.
CREATE TABLE SearchEntries (
    CaseId     TEXT    NOT NULL REFERENCES Cases (Id),
    Entry      INTEGER NOT NULL CHECK (Entry >= 1),
    Field      TEXT    NOT NULL CHECK (Field IN ('Reference','IdentityDocument','Warrant','Certificate','Name','Statute')),
    Label      TEXT    NOT NULL,
    Text       TEXT    NOT NULL,
    Weight     INTEGER NOT NULL,
    TokenCount INTEGER NOT NULL CHECK (TokenCount >= 1),
    CONSTRAINT PK_SearchEntries PRIMARY KEY (CaseId, Entry)
);

CREATE TABLE SearchTerms (
    Token  TEXT    NOT NULL,
    CaseId TEXT    NOT NULL REFERENCES Cases (Id),
    Entry  INTEGER NOT NULL,
    CONSTRAINT PK_SearchTerms PRIMARY KEY (Token, CaseId, Entry)
) WITHOUT ROWID;
CREATE INDEX IX_SearchTerms_Case ON SearchTerms (CaseId, Entry);

CREATE TABLE SearchIndexed (
    CaseId       TEXT    NOT NULL PRIMARY KEY REFERENCES Cases (Id),
    IndexVersion INTEGER NOT NULL CHECK (IndexVersion >= 1)
);
