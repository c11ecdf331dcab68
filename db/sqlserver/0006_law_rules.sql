-- The corrected law (rules version 2): the LeaveToAppeal clock (s.114), RulesApplied events, and the
-- rules version each event was made under. CaseEvents is an append-only ledger table: only a nullable
-- column may be added, so RulesVersion is NULL on events recorded before the rules were versioned (version 1).
ALTER TABLE dbo.Deadlines DROP CONSTRAINT CK_Deadlines_Kind;
ALTER TABLE dbo.Deadlines ADD CONSTRAINT CK_Deadlines_Kind CHECK (Kind IN ('FullRequest','HearingStart','Representations',
    'ExecutiveDecision','AppealWindow','RequestingStateAppealWindow','LeaveToAppeal','Surrender','SurrenderAfterAppeal'));
GO

ALTER TABLE dbo.CaseEvents DROP CONSTRAINT CK_CaseEvents_Type;
ALTER TABLE dbo.CaseEvents ADD CONSTRAINT CK_CaseEvents_Type CHECK (Type IN ('CaseFiled','CaseUpdated','Transitioned','DeadlineExtended','RulesApplied'));
ALTER TABLE dbo.CaseEvents ADD RulesVersion int NULL CONSTRAINT CK_CaseEvents_RulesVersion CHECK (RulesVersion >= 1);
GO

-- The rules version a case's clocks and facts were last computed under; the start-up step that applies
-- the corrected rules to cases recorded before (RulesApplied events) moves it to the current version.
ALTER TABLE dbo.Cases ADD RulesVersion int NOT NULL CONSTRAINT DF_Cases_RulesVersion DEFAULT 1;
GO
