-- Issue 20, scale: the deadline lists walk IX_Deadlines_StatusDueAt in page order and join each clock's case by Id
-- for the caller's country and the reference. With the clock's other columns included, and the case's parties
-- and reference in IX_Cases_Parties, they read the two indexes alone, with no key lookup per clock or per case
-- (SQLite's 0020 has the measurement).
DROP INDEX IX_Deadlines_StatusDueAt ON dbo.Deadlines;
GO

CREATE INDEX IX_Deadlines_StatusDueAt ON dbo.Deadlines (Status, DueAt, CaseId, Ordinal)
    INCLUDE (Kind, StartedAt, Statute, Advisory);
GO

CREATE UNIQUE INDEX IX_Cases_Parties ON dbo.Cases (Id)
    INCLUDE (RequestingState, RequestedState, Reference);
GO
