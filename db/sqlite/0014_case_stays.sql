-- Reports (issue 17): the stays of each case in each state, kept by the case store in the transaction that
-- writes each event, so that time per stage reads an index instead of pairing every event with the one before.
-- A stay begins with a step into a state (an event with a ToState that is not a self-transition; its Sequence)
-- and ends with the case's next such step (LeftAt, Ms: whole milliseconds between the two occurredAt); an open
-- stay has neither. A step into Surrendered also writes a 'FilingToSurrender' row from the CaseFiled event.
-- RequestingState, RequestedState and ReceivedAt never change for a case; Basis and Categories (the file's distinct
-- offence categories in ordinal order, as ',Fraud,Terrorism,') follow the case file: every filter a report takes is
-- on the row, so the percentiles read one index and join nothing.
-- CaseOffenceCategories holds the distinct offence categories of each case's file, rewritten when it changes.
CREATE TABLE CaseStays (
    CaseId          TEXT    NOT NULL REFERENCES Cases (Id),
    Sequence        INTEGER NOT NULL CHECK (Sequence >= 1),
    Stage           TEXT    NOT NULL,
    EnteredAt       TEXT    NOT NULL,
    LeftAt          TEXT    NULL,
    Ms              INTEGER NULL,
    RequestingState TEXT    NOT NULL,
    RequestedState  TEXT    NOT NULL,
    ReceivedAt      TEXT    NOT NULL,
    Basis           TEXT    NULL,
    Categories      TEXT    NULL,
    CONSTRAINT PK_CaseStays PRIMARY KEY (CaseId, Sequence, Stage),
    CONSTRAINT CK_CaseStays_Ended CHECK ((LeftAt IS NULL) = (Ms IS NULL))
) WITHOUT ROWID;

-- Ended stays in rank order per stage, with every filter column: the percentiles read this index alone.
CREATE INDEX IX_CaseStays_Ended ON CaseStays (Stage, Ms, LeftAt, RequestingState, RequestedState, ReceivedAt, Basis, Categories) WHERE LeftAt IS NOT NULL;
-- Steps into a state by stage: a case's outcome is its latest step into an outcome state.
CREATE INDEX IX_CaseStays_Entered ON CaseStays (Stage, EnteredAt);

CREATE TABLE CaseOffenceCategories (
    CaseId   TEXT NOT NULL REFERENCES Cases (Id),
    Category TEXT NOT NULL,
    CONSTRAINT PK_CaseOffenceCategories PRIMARY KEY (CaseId, Category)
) WITHOUT ROWID;
CREATE INDEX IX_CaseOffenceCategories_Category ON CaseOffenceCategories (Category, CaseId);

-- Backfill from the history (the same statements as CaseStays.Sql.BackfillStays and BackfillCategories, which a
-- test holds equal to this text): cases with no stay yet, and cases with no category row yet.
INSERT INTO CaseStays (CaseId, Sequence, Stage, EnteredAt, LeftAt, Ms, RequestingState, RequestedState, ReceivedAt, Basis, Categories)
SELECT st.CaseId, st.Sequence, st.Stage, st.EnteredAt, st.LeftAt,
       CASE WHEN st.LeftAt IS NULL THEN NULL ELSE CAST(ROUND((julianday(st.LeftAt) - julianday(st.EnteredAt)) * 86400000.0) AS INTEGER) END,
       c.RequestingState, c.RequestedState, c.ReceivedAt, json_extract(c.CaseFile, '$.basis'),
       (SELECT ',' || group_concat(k.Category, ',' ORDER BY k.Category) || ','
        FROM (SELECT DISTINCT json_extract(oo.value, '$.category') AS Category FROM json_each(c.CaseFile, '$.offences') oo) k)
FROM (
    SELECT e.CaseId, e.Sequence, e.ToState AS Stage, e.OccurredAt AS EnteredAt,
           LEAD(e.OccurredAt) OVER (PARTITION BY e.CaseId ORDER BY e.Sequence) AS LeftAt
    FROM CaseEvents e WHERE e.ToState IS NOT NULL AND (e.FromState IS NULL OR e.FromState <> e.ToState)
    UNION ALL
    SELECT sv.CaseId, sv.Sequence, 'FilingToSurrender', fi.OccurredAt, sv.OccurredAt
    FROM CaseEvents sv JOIN CaseEvents fi ON fi.CaseId = sv.CaseId AND fi.Sequence = 1
    WHERE sv.ToState = 'Surrendered' AND sv.FromState <> 'Surrendered'
) st JOIN Cases c ON c.Id = st.CaseId
WHERE NOT EXISTS (SELECT 1 FROM CaseStays x WHERE x.CaseId = st.CaseId);

INSERT INTO CaseOffenceCategories (CaseId, Category)
SELECT DISTINCT c.Id, json_extract(oo.value, '$.category')
FROM Cases c JOIN json_each(c.CaseFile, '$.offences') oo
WHERE json_extract(oo.value, '$.category') IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM CaseOffenceCategories x WHERE x.CaseId = c.Id);
