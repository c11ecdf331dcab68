using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Access;

/// <summary>The access log's writer statement; auditors read the log through the ListAccess use case.</summary>
public sealed record AccessLogSql(string Insert)
{
    private const string Columns = "At, Subject, Role, Country, CaseId, Method, Endpoint, Status, TraceId, ClientAddress, Issuer";
    private const string Values = "@At, @Subject, @Role, @Country, @CaseId, @Method, @Endpoint, @Status, @TraceId, @ClientAddress, @Issuer";

    public static readonly Dialect<AccessLogSql> Statements = new(
        Sqlite: new AccessLogSql(Insert: $"INSERT INTO AccessLog ({Columns}) VALUES ({Values})"),
        SqlServer: new AccessLogSql(Insert: $"INSERT INTO dbo.AccessLog ({Columns}) VALUES ({Values});"));
}
