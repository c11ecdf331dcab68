-- Issue 20 (filing): SearchTerms becomes one B-tree in the order the search walks (token, best weight first),
-- so a filing writes each term once instead of into the primary key and the covering IX_SearchTerms_Rank
-- (two scattered pages per term, each written to the WAL and synced at commit). Weight is the entry's, so
-- (Token, Weight, CaseId, Entry) is as unique as (Token, CaseId, Entry) was, and a probe for another token of
-- the same entry is a seek on the whole key (the search passes the driving row's weight). TokenCount and the
-- case's states ride in the row. IX_SearchTerms_Case stays for a file edit's and a rebuild's deletes.
CREATE TABLE SearchTerms_0018 (
    Token           TEXT    NOT NULL,
    Weight          INTEGER NOT NULL,
    CaseId          TEXT    NOT NULL REFERENCES Cases (Id),
    Entry           INTEGER NOT NULL,
    TokenCount      INTEGER NOT NULL CHECK (TokenCount >= 1),
    RequestingState TEXT    NOT NULL CHECK (length(RequestingState) = 2),
    RequestedState  TEXT    NOT NULL CHECK (length(RequestedState) = 2),
    CONSTRAINT PK_SearchTerms PRIMARY KEY (Token, Weight DESC, CaseId, Entry)
) WITHOUT ROWID;

INSERT INTO SearchTerms_0018 (Token, Weight, CaseId, Entry, TokenCount, RequestingState, RequestedState)
SELECT Token, Weight, CaseId, Entry, TokenCount, RequestingState, RequestedState FROM SearchTerms;

DROP TABLE SearchTerms;
ALTER TABLE SearchTerms_0018 RENAME TO SearchTerms;
CREATE INDEX IX_SearchTerms_Case ON SearchTerms (CaseId, Entry);
