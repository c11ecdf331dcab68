-- Search (issue 14), second step: each SearchTerms row carries what matching, visibility and ranking need,
-- so a query reads only SearchTerms' keys and joins SearchEntries and Cases for the page's cases alone.
-- Weight and TokenCount are the entry's (SearchEntries); RequestingState and RequestedState the case's
-- (fixed at filing: a file edit keeps them, so no row needs updating later). IX_SearchTerms_Rank walks one token's rows best weight first, covering
-- every column the query reads, so ranking stops after a bounded number of candidates.
ALTER TABLE dbo.SearchTerms ADD
    Weight          int      NULL,
    TokenCount      int      NULL,
    RequestingState nchar(2) NULL,
    RequestedState  nchar(2) NULL;
GO

UPDATE t SET t.Weight = e.Weight, t.TokenCount = e.TokenCount, t.RequestingState = c.RequestingState, t.RequestedState = c.RequestedState
FROM dbo.SearchTerms t
JOIN dbo.SearchEntries e ON e.CaseId = t.CaseId AND e.Entry = t.Entry
JOIN dbo.Cases c ON c.Id = t.CaseId;
GO

ALTER TABLE dbo.SearchTerms ALTER COLUMN Weight int NOT NULL;
GO

ALTER TABLE dbo.SearchTerms ALTER COLUMN TokenCount int NOT NULL;
GO

ALTER TABLE dbo.SearchTerms ALTER COLUMN RequestingState nchar(2) NOT NULL;
GO

ALTER TABLE dbo.SearchTerms ALTER COLUMN RequestedState nchar(2) NOT NULL;
GO

ALTER TABLE dbo.SearchTerms ADD CONSTRAINT CK_SearchTerms_TokenCount CHECK (TokenCount >= 1);
GO

CREATE INDEX IX_SearchTerms_Rank ON dbo.SearchTerms (Token, Weight DESC, CaseId, Entry)
    INCLUDE (TokenCount, RequestingState, RequestedState);
GO

