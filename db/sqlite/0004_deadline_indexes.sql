-- Each deadline-list statement walks one of these in due order and stops at the page's end.
CREATE INDEX IX_Deadlines_StatusDueAt ON Deadlines (Status, DueAt, CaseId, Ordinal);
CREATE INDEX IX_Deadlines_DueAt ON Deadlines (DueAt, CaseId, Ordinal);
