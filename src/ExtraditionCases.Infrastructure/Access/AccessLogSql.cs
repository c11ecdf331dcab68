using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Access;

/// <summary>
/// The access log's writer statements; auditors read the log through the ListAccess use case. A batch first
/// locks the access tree's last leaf (SQL Server; SQLite has one writer) and reads its index, so batches commit
/// one after another and ids follow commit order. Each entry is then one command of two statements: the entry
/// with the hash of its canonical form, and its leaf at the next index naming the id just inserted. The batch
/// runs that one command for every entry (AccessLogInsert: its parameters made once, SQLite prepares it once per batch).
/// </summary>
public sealed record AccessLogSql(string InsertWithLeaf, string LockTree)
{
    private const string Columns = "At, Subject, Role, Country, CaseId, Method, Endpoint, Status, TraceId, ClientAddress, Issuer, RequestCount, CaseIds, EntryHash";
    private const string Values = "@At, @Subject, @Role, @Country, @CaseId, @Method, @Endpoint, @Status, @TraceId, @ClientAddress, @Issuer, @RequestCount, @CaseIds, @EntryHash";
    private const string LeafColumns = "Tree, LeafIndex, CaseId, Sequence, AccessId, EntryHash";
    private const string LeafValues = "'access', @LeafIndex, NULL, NULL";

    public static readonly Dialect<AccessLogSql> Statements = new(
        Sqlite: new AccessLogSql(
            InsertWithLeaf: $"INSERT INTO AccessLog ({Columns}) VALUES ({Values}); " +
                $"INSERT INTO TransparencyLeaves ({LeafColumns}) VALUES ({LeafValues}, last_insert_rowid(), @EntryHash)",
            LockTree: "SELECT COALESCE(MAX(LeafIndex), -1) FROM TransparencyLeaves WHERE Tree = 'access'"),
        SqlServer: new AccessLogSql(
            InsertWithLeaf: $"INSERT INTO dbo.AccessLog ({Columns}) VALUES ({Values}); " +
                $"INSERT INTO dbo.TransparencyLeaves ({LeafColumns}) VALUES ({LeafValues}, CAST(SCOPE_IDENTITY() AS bigint), @EntryHash);",
            LockTree: "SELECT COALESCE(MAX(LeafIndex), -1) FROM dbo.TransparencyLeaves WITH (UPDLOCK, HOLDLOCK) WHERE Tree = N'access';"));
}
