-- Search (issue 14), second step: each SearchTerms row carries what matching, visibility and ranking need,
-- so a query reads only SearchTerms' keys and joins SearchEntries and Cases for the page's cases alone.
-- Weight and TokenCount are the entry's (SearchEntries); RequestingState and RequestedState the case's
-- (fixed at filing: a file edit keeps them, so no row needs updating later). IX_SearchTerms_Rank walks one token's rows best weight first, covering
-- every column the query reads, so ranking stops after a bounded number of candidates.
CREATE TABLE SearchTerms_0017 (
    Token           TEXT    NOT NULL,
    CaseId          TEXT    NOT NULL REFERENCES Cases (Id),
    Entry           INTEGER NOT NULL,
    Weight          INTEGER NOT NULL,
    TokenCount      INTEGER NOT NULL CHECK (TokenCount >= 1),
    RequestingState TEXT    NOT NULL CHECK (length(RequestingState) = 2),
    RequestedState  TEXT    NOT NULL CHECK (length(RequestedState) = 2),
    CONSTRAINT PK_SearchTerms PRIMARY KEY (Token, CaseId, Entry)
) WITHOUT ROWID;

INSERT INTO SearchTerms_0017 (Token, CaseId, Entry, Weight, TokenCount, RequestingState, RequestedState)
SELECT t.Token, t.CaseId, t.Entry, e.Weight, e.TokenCount, c.RequestingState, c.RequestedState
FROM SearchTerms t
JOIN SearchEntries e ON e.CaseId = t.CaseId AND e.Entry = t.Entry
JOIN Cases c ON c.Id = t.CaseId;

DROP TABLE SearchTerms;
ALTER TABLE SearchTerms_0017 RENAME TO SearchTerms;
CREATE INDEX IX_SearchTerms_Case ON SearchTerms (CaseId, Entry);
CREATE INDEX IX_SearchTerms_Rank ON SearchTerms (Token, Weight DESC, CaseId, Entry, TokenCount, RequestingState, RequestedState);
