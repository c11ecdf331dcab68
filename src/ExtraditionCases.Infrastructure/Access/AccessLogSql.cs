using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Access;

public sealed record AccessLogSql(string Insert, string Page)
{
    private const string Columns = "At, Subject, Role, Country, CaseId, Method, Endpoint, Status, TraceId, ClientAddress, Issuer";
    private const string Values = "@At, @Subject, @Role, @Country, @CaseId, @Method, @Endpoint, @Status, @TraceId, @ClientAddress, @Issuer";
    private const string Filter = """
        WHERE Id > @AfterId
          AND (@From IS NULL OR At >= @From)
          AND (@To IS NULL OR At < @To)
          AND (@CaseId IS NULL OR CaseId = @CaseId)
          AND (@Subject IS NULL OR Subject = @Subject)
        """;

    // Subjects are compared exactly: SQL Server's default collation would take 'alice' for 'Alice'.
    private const string ExactSubject = "Subject = @Subject COLLATE Latin1_General_100_BIN2";

    public static readonly Dialect<AccessLogSql> Statements = new(
        Sqlite: new AccessLogSql(
            Insert: $"INSERT INTO AccessLog ({Columns}) VALUES ({Values})",
            Page: $"SELECT Id, {Columns} FROM AccessLog {Filter} ORDER BY Id LIMIT @Limit"),
        SqlServer: new AccessLogSql(
            Insert: $"INSERT INTO dbo.AccessLog ({Columns}) VALUES ({Values});",
            Page: $"SELECT TOP (@Limit) Id, {Columns} FROM dbo.AccessLog {Filter.Replace("Subject = @Subject", ExactSubject, StringComparison.Ordinal)} ORDER BY Id OPTION (RECOMPILE);"));
}
