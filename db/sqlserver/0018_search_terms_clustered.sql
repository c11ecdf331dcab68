-- Issue 20 (filing): SearchTerms is clustered in the order the search walks (token, best weight first), so a
-- filing writes each term once instead of into the clustered key and the covering IX_SearchTerms_Rank. Weight
-- is the entry's, so (Token, Weight, CaseId, Entry) is as unique as (Token, CaseId, Entry) was, and a probe for
-- another token of the same entry is a seek on the whole key (the search passes the driving row's weight).
-- IX_SearchTerms_Case stays for deletes; it is dropped first and rebuilt once on the new clustered key.
DROP INDEX IX_SearchTerms_Rank ON dbo.SearchTerms;
GO

DROP INDEX IX_SearchTerms_Case ON dbo.SearchTerms;
GO

ALTER TABLE dbo.SearchTerms DROP CONSTRAINT PK_SearchTerms;
GO

ALTER TABLE dbo.SearchTerms ADD CONSTRAINT PK_SearchTerms PRIMARY KEY CLUSTERED (Token, Weight DESC, CaseId, Entry);
GO

CREATE INDEX IX_SearchTerms_Case ON dbo.SearchTerms (CaseId, Entry);
GO
