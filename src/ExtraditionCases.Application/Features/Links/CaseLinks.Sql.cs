using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Links;

public static partial class CaseLinks
{
    /// <summary>The links' table (migration 0013) in both dialects.</summary>
    public static class Sql
    {
        public static readonly SqlStatement Insert = new(
            Sqlite: """
                INSERT INTO CaseLinks (Id, CaseA, CaseB, Reason, Competing, LinkedAt, LinkedBySubject, LinkedByIssuer, LinkedByCountry)
                VALUES (@Id, @CaseA, @CaseB, @Reason, @Competing, @LinkedAt, @LinkedBySubject, @LinkedByIssuer, @LinkedByCountry)
                """,
            SqlServer: """
                INSERT INTO dbo.CaseLinks (Id, CaseA, CaseB, Reason, Competing, LinkedAt, LinkedBySubject, LinkedByIssuer, LinkedByCountry)
                VALUES (@Id, @CaseA, @CaseB, @Reason, @Competing, @LinkedAt, @LinkedBySubject, @LinkedByIssuer, @LinkedByCountry);
                """);

        /// <summary>Whether the pair is linked already (either way round).</summary>
        public static readonly SqlStatement Exists = new(
            Sqlite: "SELECT COUNT(*) FROM CaseLinks WHERE (CaseA = @CaseA AND CaseB = @CaseB) OR (CaseA = @CaseB AND CaseB = @CaseA)",
            SqlServer: "SELECT COUNT(*) FROM dbo.CaseLinks WHERE (CaseA = @CaseA AND CaseB = @CaseB) OR (CaseA = @CaseB AND CaseB = @CaseA);");

        /// <summary>Every link of a case, with the other case's parties (who may see it) and where it stands.</summary>
        public static readonly SqlStatement OfCase = new(
            Sqlite: """
                SELECT l.Id AS LinkId, l.LinkedAt, l.Competing, c.Id AS OtherId, c.Reference, c.RequestingState, c.RequestedState, c.State
                FROM CaseLinks l JOIN Cases c ON c.Id = CASE WHEN l.CaseA = @CaseId THEN l.CaseB ELSE l.CaseA END
                WHERE l.CaseA = @CaseId OR l.CaseB = @CaseId
                ORDER BY l.LinkedAt, l.Id
                """,
            SqlServer: """
                SELECT l.Id AS LinkId, l.LinkedAt, l.Competing, c.Id AS OtherId, c.Reference, c.RequestingState, c.RequestedState, c.State
                FROM dbo.CaseLinks l JOIN dbo.Cases c ON c.Id = CASE WHEN l.CaseA = @CaseId THEN l.CaseB ELSE l.CaseA END
                WHERE l.CaseA = @CaseId OR l.CaseB = @CaseId
                ORDER BY l.LinkedAt, l.Id;
                """);

        /// <summary>One link with its two cases, one row per case.</summary>
        public static readonly SqlStatement Find = new(
            Sqlite: """
                SELECT l.Id, l.Reason, l.Competing, l.LinkedAt, l.LinkedBySubject, l.LinkedByIssuer, l.LinkedByCountry,
                       c.Id AS CaseId, c.Reference, c.RequestingState, c.RequestedState, c.State
                FROM CaseLinks l JOIN Cases c ON c.Id = l.CaseA OR c.Id = l.CaseB
                WHERE l.Id = @Id
                ORDER BY c.CreatedAt, c.Id
                """,
            SqlServer: """
                SELECT l.Id, l.Reason, l.Competing, l.LinkedAt, l.LinkedBySubject, l.LinkedByIssuer, l.LinkedByCountry,
                       c.Id AS CaseId, c.Reference, c.RequestingState, c.RequestedState, c.State
                FROM dbo.CaseLinks l JOIN dbo.Cases c ON c.Id = l.CaseA OR c.Id = l.CaseB
                WHERE l.Id = @Id
                ORDER BY c.CreatedAt, c.Id;
                """);
    }
}
