-- Reports (issue 17): the stays of each case in each state, kept by the case store in the transaction that
-- writes each event, so that time per stage reads an index instead of pairing every event with the one before.
-- A stay begins with a step into a state (an event with a ToState that is not a self-transition; its Sequence)
-- and ends with the case's next such step (LeftAt, Ms: whole milliseconds between the two occurredAt); an open
-- stay has neither. A step into Surrendered also writes a 'FilingToSurrender' row from the CaseFiled event.
-- RequestingState, RequestedState and ReceivedAt never change for a case; Basis and Categories (the file's distinct
-- offence categories in ordinal order, as ',Fraud,Terrorism,') follow the case file: every filter a report takes is
-- on the row, so the percentiles read one index and join nothing.
-- CaseOffenceCategories holds the distinct offence categories of each case's file, rewritten when it changes.
CREATE TABLE dbo.CaseStays (
    CaseId          uniqueidentifier  NOT NULL,
    Sequence        int               NOT NULL,
    Stage           nvarchar(24)      NOT NULL,
    EnteredAt       datetimeoffset(7) NOT NULL,
    LeftAt          datetimeoffset(7) NULL,
    Ms              bigint            NULL,
    RequestingState nchar(2)          NOT NULL,
    RequestedState  nchar(2)          NOT NULL,
    ReceivedAt      datetimeoffset(7) NOT NULL,
    Basis           nvarchar(40)      NULL,
    Categories      nvarchar(500)     NULL,
    CONSTRAINT PK_CaseStays PRIMARY KEY (CaseId, Sequence, Stage),
    CONSTRAINT FK_CaseStays_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id),
    CONSTRAINT CK_CaseStays_Sequence CHECK (Sequence >= 1),
    CONSTRAINT CK_CaseStays_Ended CHECK ((LeftAt IS NULL AND Ms IS NULL) OR (LeftAt IS NOT NULL AND Ms IS NOT NULL))
);
GO

-- Ended stays in rank order per stage, with every filter column: the percentiles read this index alone.
CREATE INDEX IX_CaseStays_Ended ON dbo.CaseStays (Stage, Ms) INCLUDE (LeftAt, RequestingState, RequestedState, ReceivedAt, Basis, Categories) WHERE LeftAt IS NOT NULL;
-- Steps into a state by stage: a case's outcome is its latest step into an outcome state.
CREATE INDEX IX_CaseStays_Entered ON dbo.CaseStays (Stage, EnteredAt);
GO

CREATE TABLE dbo.CaseOffenceCategories (
    CaseId   uniqueidentifier NOT NULL,
    Category nvarchar(40)     NOT NULL,
    CONSTRAINT PK_CaseOffenceCategories PRIMARY KEY (CaseId, Category),
    CONSTRAINT FK_CaseOffenceCategories_Cases FOREIGN KEY (CaseId) REFERENCES dbo.Cases (Id)
);
GO

CREATE INDEX IX_CaseOffenceCategories_Category ON dbo.CaseOffenceCategories (Category, CaseId);
GO

-- The service keeps both tables: it opens and closes stays and rewrites a case's categories.
GRANT INSERT, UPDATE ON dbo.CaseStays TO extradition_service;
GRANT INSERT, DELETE ON dbo.CaseOffenceCategories TO extradition_service;
GO

-- Backfill from the history (the same statements as CaseStays.Sql.BackfillStays and BackfillCategories, which a
-- test holds equal to this text): cases with no stay yet, and cases with no category row yet.
INSERT INTO dbo.CaseStays (CaseId, Sequence, Stage, EnteredAt, LeftAt, Ms, RequestingState, RequestedState, ReceivedAt, Basis, Categories)
SELECT st.CaseId, st.Sequence, st.Stage, st.EnteredAt, st.LeftAt,
       CASE WHEN st.LeftAt IS NULL THEN NULL ELSE DATEDIFF_BIG(millisecond, st.EnteredAt, st.LeftAt) END,
       c.RequestingState, c.RequestedState, c.ReceivedAt, JSON_VALUE(c.CaseFile, '$.basis'),
       (SELECT N',' + STRING_AGG(k.Category, N',') WITHIN GROUP (ORDER BY k.Category COLLATE Latin1_General_100_BIN2) + N','
        FROM (SELECT DISTINCT oo.Category FROM OPENJSON(c.CaseFile, '$.offences') WITH (Category nvarchar(40) '$.category') oo) k)
FROM (
    SELECT e.CaseId, e.Sequence, e.ToState AS Stage, e.OccurredAt AS EnteredAt,
           LEAD(e.OccurredAt) OVER (PARTITION BY e.CaseId ORDER BY e.Sequence) AS LeftAt
    FROM dbo.CaseEvents e WHERE e.ToState IS NOT NULL AND (e.FromState IS NULL OR e.FromState <> e.ToState)
    UNION ALL
    SELECT sv.CaseId, sv.Sequence, N'FilingToSurrender', fi.OccurredAt, sv.OccurredAt
    FROM dbo.CaseEvents sv JOIN dbo.CaseEvents fi ON fi.CaseId = sv.CaseId AND fi.Sequence = 1
    WHERE sv.ToState = 'Surrendered' AND sv.FromState <> 'Surrendered'
) st JOIN dbo.Cases c ON c.Id = st.CaseId
WHERE NOT EXISTS (SELECT 1 FROM dbo.CaseStays x WHERE x.CaseId = st.CaseId);
GO

INSERT INTO dbo.CaseOffenceCategories (CaseId, Category)
SELECT DISTINCT c.Id, oo.Category
FROM dbo.Cases c CROSS APPLY OPENJSON(c.CaseFile, '$.offences') WITH (Category nvarchar(40) '$.category') oo
WHERE oo.Category IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM dbo.CaseOffenceCategories x WHERE x.CaseId = c.Id);
GO
