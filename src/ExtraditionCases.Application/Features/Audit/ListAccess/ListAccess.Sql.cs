using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Audit;

public static partial class ListAccess
{
    public static class Sql
    {
        private const string Columns = "Id, At, Subject, Role, Country, CaseId, Method, Endpoint, Status, TraceId, ClientAddress, RequestCount, CaseIds, Issuer";

        private const string Window = """
            WHERE Id > @AfterId
              AND (@From IS NULL OR At >= @From)
              AND (@To IS NULL OR At < @To)
              AND (@CaseId IS NULL OR CaseId = @CaseId)
            """;

        // Subjects are compared exactly: SQL Server's default collation would take 'alice' for 'Alice'.
        public static readonly SqlStatement Page = new(
            Sqlite: $"""
                SELECT {Columns} FROM AccessLog
                {Window}
                  AND (@Subject IS NULL OR Subject = @Subject)
                ORDER BY Id LIMIT @Limit
                """,
            SqlServer: $"""
                SELECT TOP (@Limit) {Columns} FROM dbo.AccessLog
                {Window}
                  AND (@Subject IS NULL OR Subject = @Subject COLLATE Latin1_General_100_BIN2)
                ORDER BY Id OPTION (RECOMPILE);
                """);
    }
}
