using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Cases;

public static partial class AssignOfficer
{
    /// <summary>The assignees' table (migration 0013) in both dialects.</summary>
    public static class Sql
    {
        public static readonly SqlStatement Update = new(
            Sqlite: """
                UPDATE CaseAssignees SET Issuer = @Issuer, Subject = @Subject, AssignedAt = @AssignedAt, Sequence = @Sequence
                WHERE CaseId = @CaseId AND Country = @Country
                """,
            SqlServer: """
                UPDATE dbo.CaseAssignees SET Issuer = @Issuer, Subject = @Subject COLLATE Latin1_General_100_BIN2, AssignedAt = @AssignedAt, Sequence = @Sequence
                WHERE CaseId = @CaseId AND Country = @Country;
                """);

        public static readonly SqlStatement Insert = new(
            Sqlite: "INSERT INTO CaseAssignees (CaseId, Country, Issuer, Subject, AssignedAt, Sequence) VALUES (@CaseId, @Country, @Issuer, @Subject, @AssignedAt, @Sequence)",
            SqlServer: "INSERT INTO dbo.CaseAssignees (CaseId, Country, Issuer, Subject, AssignedAt, Sequence) VALUES (@CaseId, @Country, @Issuer, @Subject, @AssignedAt, @Sequence);");

        public static readonly SqlStatement OfCase = new(
            Sqlite: "SELECT Country, Subject, Issuer, AssignedAt FROM CaseAssignees WHERE CaseId = @CaseId ORDER BY Country",
            SqlServer: "SELECT Country, Subject, Issuer, AssignedAt FROM dbo.CaseAssignees WHERE CaseId = @CaseId ORDER BY Country;");
    }
}
