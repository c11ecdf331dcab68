-- Search (issue 14): a normalised token index of each case's names, document numbers and references.
-- SearchEntries holds one row per searchable value of a case (a name, a number, a reference, a statute)
-- as recorded, with the weight of a match on it and its token count; SearchTerms one row per token of an
-- entry, keyed by token first so that a query is an index seek per token. Entries from the case file are
-- numbered below 1000000 and rewritten when the file changes; entries from a transition's data are
-- numbered from 1000000 and stay. SearchIndexed says which normalisation version indexed a case, so the
-- start-up step indexes cases filed before this migration or under older rules.
CREATE TABLE dbo.SearchEntries (
    CaseId     uniqueidentifier NOT NULL,
    Entry      int              NOT NULL,
    Field      nvarchar(20)     NOT NULL,
    Label      nvarchar(200)    NOT NULL,
    Text       nvarchar(500)    NOT NULL,
    Weight     int              NOT NULL,
    TokenCount int              NOT NULL,
    CONSTRAINT PK_SearchEntries PRIMARY KEY (CaseId, Entry),
    CONSTRAINT FK_SearchEntries_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id),
    CONSTRAINT CK_SearchEntries_Entry CHECK (Entry >= 1),
    CONSTRAINT CK_SearchEntries_Field CHECK (Field IN ('Reference','IdentityDocument','Warrant','Certificate','Name','Statute')),
    CONSTRAINT CK_SearchEntries_TokenCount CHECK (TokenCount >= 1)
);
GO

-- Binary collation: tokens are already folded, and equality must be exact (no second, looser folding).
CREATE TABLE dbo.SearchTerms (
    Token  nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    CaseId uniqueidentifier NOT NULL,
    Entry  int              NOT NULL,
    CONSTRAINT PK_SearchTerms PRIMARY KEY (Token, CaseId, Entry),
    CONSTRAINT FK_SearchTerms_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id)
);
GO

CREATE INDEX IX_SearchTerms_Case ON dbo.SearchTerms (CaseId, Entry);
GO

CREATE TABLE dbo.SearchIndexed (
    CaseId       uniqueidentifier NOT NULL CONSTRAINT PK_SearchIndexed PRIMARY KEY,
    IndexVersion int              NOT NULL,
    CONSTRAINT FK_SearchIndexed_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id),
    CONSTRAINT CK_SearchIndexed_Version CHECK (IndexVersion >= 1)
);
GO
