-- Each deadline-list statement walks one of these in due order and stops at the page's end.
CREATE INDEX IX_Deadlines_StatusDueAt ON dbo.Deadlines (Status, DueAt, CaseId, Ordinal);
CREATE INDEX IX_Deadlines_DueAt ON dbo.Deadlines (DueAt, CaseId, Ordinal);
GO
