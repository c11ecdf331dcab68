using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Audit;

public static partial class CaseEvidence
{
    public static class Sql
    {
        /// <summary>The case row's own columns the replay is compared with (beside the aggregate the store restores).</summary>
        public static readonly SqlStatement CaseRow = new(
            Sqlite: "SELECT Id, Reference, RequestingState, RequestedState, Version, HeadHash, RulesVersion FROM Cases WHERE Id = @CaseId",
            SqlServer: "SELECT Id, Reference, RequestingState, RequestedState, Version, HeadHash, RulesVersion FROM dbo.Cases WHERE Id = @CaseId;");

        /// <summary>
        /// The rules version each event was made under (NULL: recorded before versions were stored, version 1). It is
        /// kept beside the event, not in it (the contract's members and hashes); the replay binds it through the
        /// RulesApplied events and the row, see <see cref="ExtraditionCases.Domain.Workflow.ExtraditionCase.Replay"/>.
        /// </summary>
        public static readonly SqlStatement EventRulesVersions = new(
            Sqlite: "SELECT Sequence, COALESCE(RulesVersion, 1) AS RulesVersion FROM CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence",
            SqlServer: "SELECT Sequence, COALESCE(RulesVersion, 1) AS RulesVersion FROM dbo.CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence;");

        public static readonly SqlStatement FeedRows = new(
            Sqlite: "SELECT Audience, Seq, Version FROM ChangeFeed WHERE CaseId = @CaseId",
            SqlServer: "SELECT Audience, Seq, Version FROM dbo.ChangeFeed WHERE CaseId = @CaseId;");

        /// <summary>Every case, oldest first, in pages: what the auditor-wide verification walks.</summary>
        public static readonly SqlStatement CasePage = new(
            Sqlite: "SELECT Id, CreatedAt FROM Cases WHERE (@AfterCreatedAt IS NULL OR CreatedAt > @AfterCreatedAt OR (CreatedAt = @AfterCreatedAt AND Id > @AfterId)) ORDER BY CreatedAt, Id LIMIT @Limit",
            SqlServer: "SELECT TOP (@Limit) Id, CreatedAt FROM dbo.Cases WHERE (@AfterCreatedAt IS NULL OR CreatedAt > @AfterCreatedAt OR (CreatedAt = @AfterCreatedAt AND Id > @AfterId)) ORDER BY CreatedAt, Id;");

        /// <summary>The access tree's leaves in order, each with the access log row it covers (null when the row is gone).</summary>
        public static readonly SqlStatement AccessLeaves = new(
            Sqlite: """
                SELECT l.LeafIndex, l.EntryHash, a.Id, a.At, a.Subject, a.Role, a.Country, a.CaseId, a.Method, a.Endpoint, a.Status, a.TraceId,
                       a.ClientAddress, a.RequestCount, a.CaseIds, a.Issuer
                FROM TransparencyLeaves l LEFT JOIN AccessLog a ON a.Id = l.AccessId
                WHERE l.Tree = 'access' AND l.LeafIndex >= @From AND l.LeafIndex < @To ORDER BY l.LeafIndex
                """,
            SqlServer: """
                SELECT l.LeafIndex, l.EntryHash, a.Id, a.At, a.Subject, a.Role, a.Country, a.CaseId, a.Method, a.Endpoint, a.Status, a.TraceId,
                       a.ClientAddress, a.RequestCount, a.CaseIds, a.Issuer
                FROM dbo.TransparencyLeaves l LEFT JOIN dbo.AccessLog a ON a.Id = l.AccessId
                WHERE l.Tree = N'access' AND l.LeafIndex >= @From AND l.LeafIndex < @To ORDER BY l.LeafIndex;
                """);

        public static readonly SqlStatement CaseCount = new(
            Sqlite: "SELECT COUNT(*) FROM Cases",
            SqlServer: "SELECT COUNT_BIG(*) FROM dbo.Cases;");
    }
}
