using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Access;

/// <summary>
/// The access log's writer statements; auditors read the log through the ListAccess use case. Each entry is
/// inserted with the hash of its canonical form and comes back with its id, which its leaf in the access
/// tree names. A batch first locks the access tree's last leaf (SQL Server; SQLite has one writer), so
/// batches commit one after another and ids follow commit order.
/// </summary>
public sealed record AccessLogSql(string Insert, string LockTree)
{
    private const string Columns = "At, Subject, Role, Country, CaseId, Method, Endpoint, Status, TraceId, ClientAddress, Issuer, RequestCount, CaseIds, EntryHash";
    private const string Values = "@At, @Subject, @Role, @Country, @CaseId, @Method, @Endpoint, @Status, @TraceId, @ClientAddress, @Issuer, @RequestCount, @CaseIds, @EntryHash";

    public static readonly Dialect<AccessLogSql> Statements = new(
        Sqlite: new AccessLogSql(
            Insert: $"INSERT INTO AccessLog ({Columns}) VALUES ({Values}) RETURNING Id",
            LockTree: "SELECT COALESCE(MAX(LeafIndex), -1) FROM TransparencyLeaves WHERE Tree = 'access'"),
        SqlServer: new AccessLogSql(
            Insert: $"INSERT INTO dbo.AccessLog ({Columns}) OUTPUT inserted.Id VALUES ({Values});",
            LockTree: "SELECT COALESCE(MAX(LeafIndex), -1) FROM dbo.TransparencyLeaves WITH (UPDLOCK, HOLDLOCK) WHERE Tree = N'access';"));
}
