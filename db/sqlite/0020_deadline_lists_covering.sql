-- Issue 20, scale: the deadline lists walk IX_Deadlines_StatusDueAt in page order, read each clock's other columns
-- from its table row, and join its case by Id for the caller's country and the reference. A commit by any other
-- connection (the access log's, after nearly every request) empties every SQLite reader's page cache, so each
-- list reads those pages from the file again: per clock walked, a Deadlines leaf, a leaf of the Cases key and a
-- Cases table leaf, each a different page at 100,000 cases. With the listed columns in IX_Deadlines_StatusDueAt
-- and the case's parties and reference in IX_Cases_Parties (named by the lists' SQLite statements with INDEXED BY,
-- since the planner prefers the unique key), an officer's overdue clocks read 50 pages from a cold cache at
-- 100,000 cases instead of 325 (28 instead of 125 at 1,000).
DROP INDEX IX_Deadlines_StatusDueAt;
CREATE INDEX IX_Deadlines_StatusDueAt ON Deadlines (Status, DueAt, CaseId, Ordinal, Kind, StartedAt, Statute, Advisory);
CREATE INDEX IX_Cases_Parties ON Cases (Id, RequestingState, RequestedState, Reference);
